// Expected numbers: scipy 1.10.1 (Debian python3-scipy, numpy 1.24.2), printed by
//   /usr/bin/python3 test/reference/resampling.py
// scipy.stats.bootstrap((post, pre), statistic, vectorized=True, method="percentile" | "BCa")
// is the iid bootstrap, i.e. blockLength 1 here. Lines quoted below are that script's output.
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors.js";
import {
  blockBootstrapMeans,
  bootstrapIntervals,
  defaultBlockLength,
  jackknifeAcceleration,
  stationaryBootstrapMeans,
} from "../../src/stats/block-bootstrap.js";
import { createRng } from "../../src/stats/random.js";

const f64 = (values: number[]): Float64Array => Float64Array.from(values);
const near = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};

describe("defaultBlockLength", () => {
  it("is round(cbrt(shorter window)), at least 1", () => {
    expect(defaultBlockLength(30, 400)).toBe(3); // cbrt(30) = 3.11
    expect(defaultBlockLength(100, 100)).toBe(5); // 4.64
    expect(defaultBlockLength(200, 300)).toBe(6); // 5.85
    expect(defaultBlockLength(400, 400)).toBe(7); // 7.37
    expect(defaultBlockLength(2, 5)).toBe(1); // 1.26
  });
});

describe("interval arithmetic against scipy 1.10.1 on a given bootstrap distribution", () => {
  // scipy: stats.bootstrap((x, y), statistic, n_resamples=0, method=...,
  //   bootstrap_result=SimpleNamespace(bootstrap_distribution=DIST), confidence_level=...)
  // and a_hat from scipy.stats._resampling._bca_interval (which returns it).
  const post = f64([0, 3, 0, 0, 7.5, 1, 0, 2]);
  const pre = f64([0, 0, 1.5, 0, 0, 4, 0.5]);
  const TOLERANCE = 1e-12;
  const difference = [
    -1.2, 0.4, 1.1, 0.9, 2.5, -0.3, 0.9, 1.7, 3.2, 0.1, 1.4, 0.6, 2.2, -0.8, 1.0, 0.7, 1.9, 0.2, 4.1, 1.3, 0.5, 1.6, 0.8, 2.8, 1.1,
  ];
  const ratio = [
    0.6, 1.4, 2.3, 1.9, 3.7, 0.9, 1.8, 2.6, 5.2, 1.1, 2.4, 1.5, 3.1, 0.8, 2.0, 1.7, 2.9, 1.2, 7.4, 2.2, 1.3, 2.5, 1.6, 4.4, Infinity,
  ];

  it("difference of means", () => {
    const acceleration = jackknifeAcceleration(post, pre, "difference");
    near(acceleration, 0.04340626349570874, TOLERANCE); // scipy: IV difference a_hat 0.04340626349570874
    const estimate = 0.8303571428571429; // scipy: estimate 0.8303571428571429
    const at95 = bootstrapIntervals(difference, estimate, acceleration, 0.95);
    // scipy: IV difference percentile 0.95 -0.9599999999999997 3.5599999999999987
    near(at95.percentile[0], -0.9599999999999997, TOLERANCE);
    near(at95.percentile[1], 3.5599999999999987, TOLERANCE);
    // scipy: IV difference BCa 0.95 -1.0893758563867417 3.062983727318593
    near((at95.bca as [number, number])[0], -1.0893758563867417, TOLERANCE);
    near((at95.bca as [number, number])[1], 3.062983727318593, TOLERANCE);
    const at80 = bootstrapIntervals(difference, estimate, acceleration, 0.8);
    // scipy: IV difference percentile 0.8 -0.14000000000000018 2.68
    near(at80.percentile[0], -0.14000000000000018, TOLERANCE);
    near(at80.percentile[1], 2.68, TOLERANCE);
    // scipy: IV difference BCa 0.8 -0.756549451125395 1.9219468222361842
    near((at80.bca as [number, number])[0], -0.756549451125395, TOLERANCE);
    near((at80.bca as [number, number])[1], 1.9219468222361842, TOLERANCE);
  });

  it("ratio of means, with one infinite resample (a pre window drawn all zero)", () => {
    const acceleration = jackknifeAcceleration(post, pre, "ratio");
    near(acceleration, -0.09491200887358826, TOLERANCE); // scipy: IV ratio a_hat -0.09491200887358826
    const estimate = 1.96875; // scipy: estimate 1.96875
    const at95 = bootstrapIntervals(ratio, estimate, acceleration, 0.95);
    // scipy: IV ratio percentile 0.95 0.7200000000000001 inf
    near(at95.percentile[0], 0.7200000000000001, TOLERANCE);
    expect(at95.percentile[1]).toBe(Infinity);
    // scipy: IV ratio BCa 0.95 0.6270501782496344 6.505690975100514
    near((at95.bca as [number, number])[0], 0.6270501782496344, TOLERANCE);
    near((at95.bca as [number, number])[1], 6.505690975100514, TOLERANCE * 6.5);
    const at80 = bootstrapIntervals(ratio, estimate, acceleration, 0.8);
    // scipy: IV ratio percentile 0.8 0.98 4.880000000000002
    near(at80.percentile[0], 0.98, TOLERANCE);
    near(at80.percentile[1], 4.880000000000002, TOLERANCE * 4.9);
    // scipy: IV ratio BCa 0.8 0.8384373308158685 4.041970001806441
    near((at80.bca as [number, number])[0], 0.8384373308158685, TOLERANCE);
    near((at80.bca as [number, number])[1], 4.041970001806441, TOLERANCE * 4);
  });
});

describe("blockBootstrapMeans with blockLength 1 against scipy 1.10.1 bootstrap (Monte Carlo)", () => {
  // Heavy-tailed, mostly-zero daily losses (millions), 45 post days and 40 pre days.
  const post = f64([
    1.8, 0.0, 0.0, 4.9, 0.0, 3.0, 0.0, 1.6, 0.0, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 2.6, 0.0, 0.0, 0.0, 0.4, 195.5, 0.0, 0.0, 0.0, 0.0,
    0.0, 1.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 11.9, 0.0, 0.0, 2.1, 0.0, 0.2, 0.0, 2.9, 0.0, 0.0, 0.0, 0.5,
  ]);
  const pre = f64([
    0.0, 0.0, 1.7, 0.0, 0.6, 0.0, 1.2, 2.3, 0.0, 89.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.4, 9.2, 0.3, 0.0, 0.0, 8.6,
    0.0, 0.0, 70.3, 4.9, 0.0, 0.0, 38.3, 0.0, 0.0, 0.0, 0.0, 9.9, 0.0, 0.0, 0.0,
  ]);
  // Tolerance: both results are Monte Carlo estimates. The reference uses B = 200,000 and
  // this run B = 20,000; "sd" is the standard deviation of the endpoint over 100 scipy runs
  // at B = 20,000, so the difference has sd·sqrt(1 + 1/10). 4 of those allow for a true
  // miss with probability about 6e-5 per endpoint while still catching a wrong interval
  // definition (e.g. percentile vs BCa endpoints differ by 5 to 50 sd here).
  const allowance = (sd: number): number => 4 * sd * Math.sqrt(1.1);
  const resamples = 20_000;

  it("difference of means", () => {
    const result = blockBootstrapMeans(post, pre, { resamples, rng: createRng(2024), statistic: "difference", blockLength: 1 });
    expect(result.blockLength).toBe(1);
    expect(result.confidence).toBe(0.95);
    expect(result.resamples).toBe(resamples);
    near(result.estimate as number, -0.8697222222222214, 1e-12); // scipy: MC difference estimate -0.8697222222222214
    const percentile = result.percentile as [number, number];
    const bca = result.bca as [number, number];
    near(percentile[0], -9.895277777777777, allowance(0.08091318128824122)); // scipy: percentile_lo B=200000 -9.895277777777777 sd(B=20000) 0.08091318128824122
    near(percentile[1], 10.486951388888887, allowance(0.12232457828605363)); // scipy: percentile_hi B=200000 10.486951388888887 sd(B=20000) 0.12232457828605363
    near(bca[0], -8.236944444444445, allowance(0.07378693801276856)); // scipy: bca_lo B=200000 -8.236944444444445 sd(B=20000) 0.07378693801276856
    near(bca[1], 14.237058183158783, allowance(0.30530898932170425)); // scipy: bca_hi B=200000 14.237058183158783 sd(B=20000) 0.30530898932170425
  });

  it("ratio of means", () => {
    const result = blockBootstrapMeans(post, pre, { resamples, rng: createRng(2025), statistic: "ratio", blockLength: 1 });
    near(result.estimate as number, 0.8542568542568544, 1e-12); // scipy: MC ratio estimate 0.8542568542568544
    const percentile = result.percentile as [number, number];
    const bca = result.bca as [number, number];
    near(percentile[0], 0.051407519027704844, allowance(0.0007215526992709202)); // scipy: percentile_lo B=200000 0.051407519027704844 sd(B=20000) 0.0007215526992709202
    near(percentile[1], 5.5555933484504845, allowance(0.12119799336366482)); // scipy: percentile_hi B=200000 5.5555933484504845 sd(B=20000) 0.12119799336366482
    near(bca[0], 0.06795603217236958, allowance(0.0010762598250304086)); // scipy: bca_lo B=200000 0.06795603217236958 sd(B=20000) 0.0010762598250304086
    near(bca[1], 9.16451061363612, allowance(0.41065537407781993)); // scipy: bca_hi B=200000 9.16451061363612 sd(B=20000) 0.41065537407781993
  });

  it("same seed, identical result; another seed, different endpoints", () => {
    const options = { resamples: 2_000, statistic: "difference" } as const;
    const a = blockBootstrapMeans(post, pre, { ...options, rng: createRng(8) });
    const b = blockBootstrapMeans(post, pre, { ...options, rng: createRng(8) });
    const c = blockBootstrapMeans(post, pre, { ...options, rng: createRng(9) });
    expect(a.blockLength).toBe(3); // default: round(cbrt(40)) = 3
    expect(b).toEqual(a);
    expect(c.percentile).not.toEqual(a.percentile);
    expect(c.bca).not.toEqual(a.bca);
  });
});

describe("stationaryBootstrapMeans against the Politis–Romano closed-form variance", () => {
  // Autocorrelated daily counts (latent AR(1) Poisson), 60 days.
  const series = f64([
    0, 11, 8, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 3, 2, 1, 1, 0, 0, 0, 0, 2, 0, 2,
    2, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0,
  ]);
  // numpy in the script: Var*(mean*) = (C(0) + 2 sum_h (1 - h/n)(1 - 1/L)^h C(h)) / n, circular C.
  const cases = [
    { blockLength: 1, variance: 0.05287037037037037 }, // scipy script: SB L 1 variance 0.05287037037037037 (= C(0)/n, the iid bootstrap)
    { blockLength: 4, variance: 0.06806252302626917 }, // SB L 4 variance 0.06806252302626917 (numpy simulation 0.06744189821255947)
    { blockLength: 2.5, variance: 0.06936747159851783 }, // SB L 2.5 variance 0.06936747159851783 (numpy simulation 0.06988682985894092)
  ];
  it("L = 1 without zero days: the iid variance var(x) / n", () => {
    const dense = f64([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]);
    const resamples = 40_000;
    const means = stationaryBootstrapMeans(dense, 1, resamples, createRng(78));
    let center = 0;
    for (const value of means) center += value;
    center /= resamples;
    let m2 = 0;
    let m4 = 0;
    for (const value of means) {
      m2 += (value - center) ** 2;
      m4 += (value - center) ** 4;
    }
    const sampleVariance = m2 / (resamples - 1);
    const standardError = Math.sqrt((m4 / resamples - sampleVariance ** 2 * ((resamples - 3) / (resamples - 1))) / resamples);
    near(sampleVariance, 0.453125, 4 * standardError); // numpy in the script: SB_DENSE L 1 variance 0.453125
  });
  for (const { blockLength, variance } of cases) {
    it(`L = ${blockLength}: within 4 standard errors of the exact bootstrap variance`, () => {
      const resamples = 40_000;
      const means = stationaryBootstrapMeans(series, blockLength, resamples, createRng(77));
      let center = 0;
      for (const value of means) center += value;
      center /= resamples;
      let m2 = 0;
      let m4 = 0;
      for (const value of means) {
        m2 += (value - center) ** 2;
        m4 += (value - center) ** 4;
      }
      const sampleVariance = m2 / (resamples - 1);
      // Standard error of a sample variance from B iid draws: sqrt((mu4 - sigma^4 (B-3)/(B-1)) / B).
      const standardError = Math.sqrt((m4 / resamples - sampleVariance ** 2 * ((resamples - 3) / (resamples - 1))) / resamples);
      near(sampleVariance, variance, 4 * standardError);
      // Every day is equally likely to be drawn (blocks wrap), so the resampled means centre on the sample mean.
      near(center, series.reduce((a, b) => a + b, 0) / series.length, 4 * Math.sqrt(variance / resamples));
    });
  }
});

describe("zeros, degenerate data and the small-sample contract", () => {
  const rng = (): ReturnType<typeof createRng> => createRng(1);

  it("a pre window of zeros: infinite ratio, no interval", () => {
    const result = blockBootstrapMeans(f64([0, 2, 0, 1]), f64([0, 0, 0]), { resamples: 100, rng: rng(), statistic: "ratio" });
    expect(result).toEqual({
      estimate: Infinity,
      percentile: null,
      bca: null,
      resamples: 100,
      blockLength: 1,
      confidence: 0.95,
      note: "the pre window has only zero days, so the ratio of means is infinite and has no interval",
    });
    const none = blockBootstrapMeans(f64([0, 0]), f64([0, 0, 0]), { resamples: 100, rng: rng(), statistic: "ratio" });
    expect(none.estimate).toBeNull();
    expect(none.note).toBe("both windows have only zero days, so the ratio of means is undefined");
  });

  it("resamples with both windows all zero void the ratio's intervals, and say how many", () => {
    // One nonzero day in 10 per window: a window resample is all zero with probability 0.9^10 = 0.35.
    const post = f64([0, 0, 0, 0, 5, 0, 0, 0, 0, 0]);
    const pre = f64([0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
    const result = blockBootstrapMeans(post, pre, { resamples: 1000, rng: rng(), statistic: "ratio", blockLength: 1 });
    expect(result.estimate).toBeCloseTo(5 / 3, 14);
    expect(result.percentile).toBeNull();
    expect(result.bca).toBeNull();
    expect(result.note).toMatch(/^\d+ of 1000 resamples drew only zero days in both windows, so their ratio is undefined and no interval is given$/);
  });

  it("constant windows: a point percentile interval, no BCa", () => {
    const result = blockBootstrapMeans(f64([2, 2, 2]), f64([1, 1]), { resamples: 50, rng: rng(), statistic: "difference" });
    expect(result.estimate).toBe(1);
    expect(result.percentile).toEqual([1, 1]);
    expect(result.bca).toBeNull();
    expect(result.note).toBe(
      "the jackknife acceleration is undefined (constant data, or a jackknife ratio with a zero pre mean), so there is no BCa interval",
    );
  });

  it("needs 2 days in each window and sane options", () => {
    const options = { resamples: 10, rng: rng(), statistic: "difference" } as const;
    expect(() => blockBootstrapMeans(f64([1]), f64([1, 2]), options)).toThrow(
      new InsufficientDataError("block bootstrap of means", "at least 2 days in each window"),
    );
    expect(() => blockBootstrapMeans(f64([1, 2]), f64([1, 2]), { ...options, blockLength: 0.5 })).toThrow(
      new RangeError("block bootstrap of means: blockLength 0.5 must be a number of days ≥ 1 (1 = iid bootstrap), e.g. 5"),
    );
    expect(() => blockBootstrapMeans(f64([1, 2]), f64([1, 2]), { ...options, confidence: 95 })).toThrow(
      new RangeError("block bootstrap of means: confidence 95 must lie strictly between 0 and 1, e.g. 0.95"),
    );
    expect(() => blockBootstrapMeans(f64([1, -2]), f64([1, 2]), { ...options, statistic: "ratio" })).toThrow(
      new RangeError("block bootstrap of means: the ratio of means needs non-negative daily values, but post[1] is -2; use the difference instead"),
    );
  });
});
