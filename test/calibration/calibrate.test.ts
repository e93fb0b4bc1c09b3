// The calibration run: its shape, its reproducibility under a seed, and one level that
// must hold on plain Poisson counts (the exact conditional rate-ratio test is conservative).
import { describe, expect, it } from "vitest";
import { calibrate, monteCarloError, type CalibrationOptions } from "../../src/calibration/calibrate.js";
import type { NullModel } from "../../src/calibration/null-model.js";
import { DEFAULT_TEST_METHODS } from "../../src/spec/normalize.js";

const poissonModel: NullModel = { rate: 0.25, tailIndex: 1.2, medianAmount: 1e6, phi: 0, sigma: 0 };

const small: CalibrationOptions = {
  model: poissonModel,
  preDays: 60,
  postDays: 70,
  simulations: 60,
  permutations: 199,
  bootstrapResamples: 199,
  alpha: 0.05,
  seed: 7,
  methods: DEFAULT_TEST_METHODS,
};

describe("calibrate", () => {
  it("returns one row per metric x applicable test and per metric x interval kind, with consistent counts", () => {
    const result = calibrate(small);
    // 5 tests on daily_loss (no rate-ratio tests), 7 on daily_incidents.
    expect(result.tests.map((row) => `${row.metric}|${row.method}`)).toEqual([
      "daily_loss|block_permutation",
      "daily_loss|permutation",
      "daily_loss|welch_t",
      "daily_loss|mann_whitney_u",
      "daily_loss|segmented_regression",
      "daily_incidents|block_permutation",
      "daily_incidents|permutation",
      "daily_incidents|welch_t",
      "daily_incidents|mann_whitney_u",
      "daily_incidents|rate_ratio_exact",
      "daily_incidents|rate_ratio_quasi_poisson",
      "daily_incidents|segmented_regression",
    ]);
    expect(result.intervals.map((row) => `${row.metric}|${row.kind}`)).toEqual([
      "daily_loss|percentile",
      "daily_loss|bca",
      "daily_incidents|percentile",
      "daily_incidents|bca",
    ]);
    expect(result.blockLength).toBe(4); // round(60^(1/3))
    for (const row of result.tests) {
      expect(row.simulations).toBe(60);
      expect(row.computed).toBeLessThanOrEqual(60);
      expect(row.computed).toBeGreaterThan(50);
      expect(row.rejections).toBeLessThanOrEqual(row.computed);
      expect(row.rate).toBe(row.rejections / row.computed);
      expect(row.standardError).toBeCloseTo(monteCarloError(row.rate as number, row.computed), 15);
      expect(row.holdsLevel).toBe((row.rate as number) >= 0.03 && (row.rate as number) <= 0.07);
      expect(row.variant.length).toBeGreaterThan(0);
    }
    for (const row of result.intervals) {
      expect(row.covered + row.missesAbove + row.missesBelow).toBe(row.computed);
      expect(row.missesTowardLargestDay).toBeLessThanOrEqual(row.missesAbove + row.missesBelow);
      expect(row.coverage).toBe(row.covered / row.computed);
      expect(row.medianWidth).toBeGreaterThan(0);
    }
  });

  it("is reproducible under a seed, and a different seed gives different draws", () => {
    const options = { ...small, simulations: 20 };
    expect(calibrate(options)).toEqual(calibrate(options));
    const other = calibrate({ ...options, seed: 8 });
    expect(other.intervals.map((row) => row.medianWidth)).not.toEqual(calibrate(options).intervals.map((row) => row.medianWidth));
  });

  it("reports progress after every simulation; more simulations only add draws (simulation i is labelled by i)", () => {
    const ten = calibrate({ ...small, simulations: 10, methods: ["rate_ratio_exact"] });
    let seen = 0;
    const twenty = calibrate({
      ...small,
      simulations: 20,
      methods: ["rate_ratio_exact"],
      onProgress: (done) => {
        seen = done;
      },
    });
    expect(seen).toBe(20);
    expect(twenty.tests[0]?.rejections).toBeGreaterThanOrEqual(ten.tests[0]?.rejections ?? Infinity);
  });

  it("exact Poisson rate-ratio test on plain Poisson counts: false-positive rate <= 0.05 + 3 SE", () => {
    const result = calibrate({ ...small, preDays: 170, postDays: 196, simulations: 400, methods: ["rate_ratio_exact"], seed: 20240619 });
    const row = result.tests.find((entry) => entry.method === "rate_ratio_exact");
    expect(row?.computed).toBe(400);
    const rate = row?.rate as number;
    expect(rate).toBeLessThanOrEqual(0.05 + 3 * monteCarloError(0.05, 400));
  });

  it("rejects impossible settings", () => {
    expect(() => calibrate({ ...small, simulations: 0 })).toThrow(/simulations 0/);
    expect(() => calibrate({ ...small, preDays: 1 })).toThrow(/at least 2 days/);
    expect(() => calibrate({ ...small, alpha: 1 })).toThrow(/alpha 1/);
  });
});
