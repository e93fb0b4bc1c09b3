// The simulator produces what its parameters say, checked by moments over long runs.
import { describe, expect, it } from "vitest";
import { simulateNullSeries } from "../../src/calibration/null-model.js";
import { createRng } from "../../src/stats/random.js";
import { mean, median, sampleVariance } from "../../src/stats/descriptive.js";

describe("simulateNullSeries", () => {
  it("plain Poisson: mean rate, variance = mean, no autocorrelation", () => {
    const { counts } = simulateNullSeries({ rate: 0.3, tailIndex: 1, medianAmount: 1e6, phi: 0, sigma: 0 }, 200_000, createRng(1));
    // Poisson(0.3): mean 0.3 with SE sqrt(0.3/200000) = 0.0012; allow 5 SE.
    expect(Math.abs(mean(counts) - 0.3)).toBeLessThan(0.0062);
    expect(Math.abs(sampleVariance(counts) / mean(counts) - 1)).toBeLessThan(0.03);
    expect(Math.abs(lag1(counts))).toBeLessThan(0.012); // SE of a lag-1 autocorrelation ~ 1/sqrt(n) = 0.0022
  });

  it("latent AR(1): keeps the mean rate, adds overdispersion and positive autocorrelation", () => {
    const { counts } = simulateNullSeries({ rate: 0.3, tailIndex: 1, medianAmount: 1e6, phi: 0.8, sigma: 1 }, 200_000, createRng(2));
    expect(Math.abs(mean(counts) - 0.3)).toBeLessThan(0.02);
    expect(sampleVariance(counts) / mean(counts)).toBeGreaterThan(1.2);
    expect(lag1(counts)).toBeGreaterThan(0.05);
  });

  it("amounts: the median matches, and the Hill estimate of the tail index is near alpha", () => {
    const { counts, losses } = simulateNullSeries({ rate: 1, tailIndex: 1.2, medianAmount: 3.6e6, phi: 0, sigma: 0 }, 100_000, createRng(3));
    const single = losses.filter((_, day) => counts[day] === 1);
    expect(Math.abs(median(single) / 3.6e6 - 1)).toBeLessThan(0.03);
    const sorted = Float64Array.from(single).sort().reverse();
    const k = 2000;
    let sum = 0;
    for (let index = 0; index < k; index += 1) sum += Math.log((sorted[index] as number) / (sorted[k] as number));
    expect(Math.abs(k / sum - 1.2)).toBeLessThan(0.12); // Hill SE ~ alpha/sqrt(k) = 0.027
  });
});

function lag1(values: Float64Array): number {
  const center = mean(values);
  let numerator = 0;
  let denominator = 0;
  for (let index = 0; index < values.length; index += 1) {
    const deviation = (values[index] as number) - center;
    denominator += deviation * deviation;
    if (index > 0) numerator += deviation * ((values[index - 1] as number) - center);
  }
  return numerator / denominator;
}
