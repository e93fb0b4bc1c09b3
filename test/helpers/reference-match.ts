/**
 * Comparing the engine with numbers printed by scipy / statsmodels: one relative
 * tolerance rule and one coefficient-table check for every reference test.
 */
import { expect } from "vitest";

/** The default tolerance for deterministic methods (DEVELOPERS.md: 1e-8 relative). */
export const RELATIVE = 1e-8;

/** |actual − expected| <= relative · |expected|; a missing actual (null, undefined) fails. */
export function expectClose(actual: number | null | undefined, expected: number, relative = RELATIVE): void {
  expect(actual).toBeTypeOf("number");
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));
}

/** A coefficient table as statsmodels prints it: params, bse, tvalues, pvalues, conf_int(). */
export interface StatsmodelsTable {
  params: number[];
  bse: number[];
  tvalues: number[];
  pvalues: number[];
  confInt: number[][];
}

export interface EngineCoefficient {
  estimate: number;
  standardError: number;
  statistic: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

/** Every row of the engine's table matches the reference; a missing or shorter table fails. */
export function expectCoefficients(coefficients: readonly EngineCoefficient[] | null | undefined, reference: StatsmodelsTable): void {
  expect(coefficients?.length).toBe(reference.params.length);
  coefficients?.forEach((coefficient, j) => {
    expectClose(coefficient.estimate, reference.params[j] as number);
    expectClose(coefficient.standardError, reference.bse[j] as number);
    expectClose(coefficient.statistic, reference.tvalues[j] as number);
    expectClose(coefficient.pValue, reference.pvalues[j] as number);
    expectClose(coefficient.ciLow, reference.confInt[j]?.[0] as number);
    expectClose(coefficient.ciHigh, reference.confInt[j]?.[1] as number);
  });
}
