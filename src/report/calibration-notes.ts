/**
 * What the committed calibration (docs/calibration.json, written by `npm run calibrate`)
 * says about the tests and intervals a report shows: which tests call noise significant
 * more often than alpha on simulated data shaped like hack data, and how often the
 * intervals cover. The report states it wherever those tests appear.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LEVEL_BAND } from "../calibration/calibrate.js";

interface CalibrationFile {
  measuredAt: string;
  scenarios: Array<{
    title: string;
    tests: Array<{ metric: string; method: string; rate: number; holdsLevel: boolean }>;
    intervals: Array<{ metric: string; kind: string; coverage: number }>;
  }>;
}

export interface LevelFailure {
  scenario: string;
  rate: number;
}

const CALIBRATION_PATH = fileURLToPath(new URL("../../docs/calibration.json", import.meta.url));

let cached: CalibrationFile | null | undefined;

function calibration(): CalibrationFile | null {
  if (cached === undefined) cached = existsSync(CALIBRATION_PATH) ? (JSON.parse(readFileSync(CALIBRATION_PATH, "utf8")) as CalibrationFile) : null;
  return cached;
}

/** Scenarios in which this test's false-positive rate at alpha 0.05 was above the level band. */
export function overRejections(metric: string, method: string): LevelFailure[] {
  return (calibration()?.scenarios ?? []).flatMap((scenario) =>
    scenario.tests.filter((test) => test.metric === metric && test.method === method && test.rate > LEVEL_BAND[1]).map((test) => ({ scenario: scenario.title, rate: test.rate })),
  );
}

/** The measured coverage range of the nominal 95% interval of this kind, for a metric. */
export function intervalCoverage(metric: string, kind: string): { low: number; high: number } | null {
  const values = (calibration()?.scenarios ?? []).flatMap((scenario) => scenario.intervals.filter((item) => item.metric === metric && item.kind === kind).map((item) => item.coverage));
  return values.length === 0 ? null : { low: Math.min(...values), high: Math.max(...values) };
}
