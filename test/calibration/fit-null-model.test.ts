// The null-model fit recovers the parameters of data simulated from known ones (within
// sampling error), and its clamps and edge cases do what the header of the module says.
import { describe, expect, it } from "vitest";
import { fitNullModel, hillEstimator, lag1Autocovariance } from "../../src/calibration/fit-null-model.js";
import { simulateNullSeries, type NullModel } from "../../src/calibration/null-model.js";
import { createRng } from "../../src/stats/random.js";

/** Simulated counts, and amounts read off the days with exactly one incident (each one Pareto draw). */
function simulate(model: NullModel, days: number, seed: number): { counts: Float64Array; amounts: number[] } {
  const { counts, losses } = simulateNullSeries(model, days, createRng(seed));
  return { counts, amounts: Array.from(losses.filter((_, day) => counts[day] === 1)) };
}

describe("fitNullModel", () => {
  // Tolerances are about 4 standard errors, measured over 20 seeds of each design.
  it("clustered counts: recovers rate, sigma and phi, and the amounts' median and tail index", () => {
    const truth: NullModel = { rate: 1, tailIndex: 1.2, medianAmount: 3.6e6, phi: 0.6, sigma: 0.8 };
    const { counts, amounts } = simulate(truth, 50_000, 11);
    const { model, diagnostics } = fitNullModel(counts, amounts);
    expect(Math.abs(model.rate - 1)).toBeLessThan(0.03); // SD over seeds 0.007
    expect(Math.abs(model.sigma - 0.8)).toBeLessThan(0.045); // SD 0.010
    expect(Math.abs(model.phi - 0.6)).toBeLessThan(0.04); // SD 0.009
    expect(Math.abs(model.medianAmount / 3.6e6 - 1)).toBeLessThan(0.025); // SD 0.5%
    expect(Math.abs(model.tailIndex - 1.2)).toBeLessThan(0.6); // Hill at k = 50: SE ~ alpha / sqrt(50) = 0.17
    expect(diagnostics.tailK).toBe(50);
    expect(diagnostics.dispersionIndex).toBeGreaterThan(1.5);
    expect(diagnostics.notes).toEqual([]);
  });

  it("sparse, mildly clustered counts like the hack data: recovers sigma and phi within their (larger) error", () => {
    const truth: NullModel = { rate: 0.25, tailIndex: 0.8, medianAmount: 1e6, phi: 0.3, sigma: 0.5 };
    const { counts, amounts } = simulate(truth, 50_000, 12);
    const { model } = fitNullModel(counts, amounts);
    expect(Math.abs(model.rate - 0.25)).toBeLessThan(0.01); // SD 0.0024
    expect(Math.abs(model.sigma - 0.5)).toBeLessThan(0.11); // SD 0.027
    expect(Math.abs(model.phi - 0.3)).toBeLessThan(0.33); // SD 0.08
    expect(Math.abs(model.tailIndex - 0.8)).toBeLessThan(0.45); // SD 0.11
  });

  it("the moment formulas: Var(N) = m + m^2 (e^(sigma^2) - 1), Cov(N_t, N_t-1) = m^2 (e^(phi sigma^2) - 1)", () => {
    const m = 0.7;
    const sigma = 0.9;
    const phi = 0.5;
    const { counts } = simulateNullSeries({ rate: m, tailIndex: 1, medianAmount: 1, phi, sigma }, 200_000, createRng(13));
    const { diagnostics } = fitNullModel(counts, [1, 2, 3]);
    const variance = m + m * m * Math.expm1(sigma * sigma);
    const covariance = m * m * Math.expm1(phi * sigma * sigma);
    expect(Math.abs(diagnostics.countVariance / variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(diagnostics.lag1Autocovariance / covariance - 1)).toBeLessThan(0.08);
  });

  it("plain Poisson counts: sigma near 0", () => {
    const { counts, amounts } = simulate({ rate: 0.3, tailIndex: 1, medianAmount: 1e6, phi: 0, sigma: 0 }, 50_000, 14);
    const { model } = fitNullModel(counts, amounts);
    expect(model.sigma).toBeLessThan(0.25); // over 20 seeds: at most 0.16
    expect(model.phi).toBeGreaterThanOrEqual(0);
    expect(model.phi).toBeLessThanOrEqual(0.95);
  });

  it("no overdispersion: sigma = 0 and phi = 0, with a note", () => {
    const counts = Float64Array.from({ length: 100 }, (_, day) => day % 2); // mean 0.5, variance 0.25
    const { model, diagnostics } = fitNullModel(counts, [1, 2, 3, 4]);
    expect(model.sigma).toBe(0);
    expect(model.phi).toBe(0);
    expect(diagnostics.notes.join(" ")).toMatch(/no overdispersion/);
  });

  it("clamps: a step in the rate reads as persistent latent variation (phi 0.95); extreme bursts clamp sigma to 2", () => {
    const step = Float64Array.from({ length: 2000 }, (_, day) => (day < 1000 ? 0 : 3));
    const stepFit = fitNullModel(step, [1, 2]);
    expect(stepFit.model.phi).toBe(0.95);
    expect(stepFit.diagnostics.unclampedPhi).toBeGreaterThan(0.95);
    expect(stepFit.diagnostics.notes.join(" ")).toMatch(/phi .* clamped to 0.95/);

    const bursts = Float64Array.from({ length: 1000 }, (_, day) => (day % 500 === 0 ? 200 : 0));
    const burstFit = fitNullModel(bursts, [1, 2]);
    expect(burstFit.model.sigma).toBe(2);
    expect(burstFit.diagnostics.notes.join(" ")).toMatch(/sigma .* clamped to 2/);
    // Isolated bursts: the lag-1 autocovariance is negative, so phi = 0.
    expect(burstFit.model.phi).toBe(0);
  });

  it("rejects unknown amounts passed as 0, and too little data", () => {
    expect(() => fitNullModel(new Float64Array([1, 0, 2]), [1, 0])).toThrow(/amounts\[1\] is 0/);
    expect(() => fitNullModel(new Float64Array([0, 0, 0]), [1, 2])).toThrow(/at least one incident/);
    expect(() => fitNullModel(new Float64Array([1, 0]), [1, 2])).toThrow(/at least 3 days/);
  });
});

describe("hillEstimator and lag1Autocovariance", () => {
  it("Hill: k / sum log(X_(i) / X_(k+1)) on hand values; k shrinks to n - 1", () => {
    // Top 3 are e, e^2, e^3 times the threshold 10: sum of logs = 1 + 2 + 3 = 6, alpha = 3/6.
    const values = [10 * Math.E, 10 * Math.E ** 2, 10 * Math.E ** 3, 10, 5, 1];
    expect(hillEstimator(values, 3).alpha).toBeCloseTo(0.5, 12);
    const small = hillEstimator([2, 4], 50);
    expect(small.k).toBe(1);
    expect(small.alpha).toBeCloseTo(1 / Math.log(2), 12);
  });

  it("lag-1 autocovariance over n - 1 pairs", () => {
    // deviations from 1: -1, 1, -1, 1 -> products -1, -1, -1 over 3 pairs.
    expect(lag1Autocovariance([0, 2, 0, 2], 1)).toBeCloseTo(-1, 12);
  });
});
