// Expected numbers: statsmodels 0.13.5 and scipy 1.10.1 (Debian python3-statsmodels,
// python3-scipy), printed by
//   cd test/reference && /usr/bin/python3 poisson_rate_test.py
// p     = test_poisson_2indep(k1, n1, k0, n0, method='exact-cond', alternative='two-sided').pvalue
//         (statsmodels 0.13.5 calls scipy.stats.binomtest(k1, k1 + k0, n1 / (n1 + n0)): "minlike")
// ratio = the same result's .ratio
// ci    = scipy.stats.beta.ppf(0.025, k1, k0 + 1) and 1 - beta.ppf(0.025, k0, k1 + 1) mapped
//         by pi / (1 - pi) * n0 / n1 (statsmodels 0.13.5 has no confint_poisson_2indep)
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors.js";
import { betaQuantile, binomialMass, binomialTwoSidedMinLike, poissonRateTest } from "../../src/stats/poisson-rate-test.js";
import { counts120 } from "./reference-series.js";
import { expectClose as close } from "../helpers/reference-match.js";

const total = (values: Float64Array): number => values.reduce((sum, value) => sum + value, 0);

interface Case {
  k1: number;
  n1: number;
  k0: number;
  n0: number;
  p: number;
  ratio: number;
  ci: [number, number];
}
const cases: Record<string, Case> = {
  // 120 mostly-zero days of test/stats/reference-series.ts (17 post, 5 pre incidents).
  counts120: { k1: 17, n1: 60, k0: 5, n0: 60, p: 0.01690053939819336, ratio: 3.4, ci: [1.2040820214932006, 11.786700137565148] },
  unequalExposure: { k1: 10, n1: 30, k0: 3, n0: 90, p: 0.00012612342834472656, ratio: 10.0, ci: [2.5748451470993556, 56.546170657258685] },
  // pi = 0.5: P(3) = P(7) exactly, so both tails count; scipy's 1e-7 tolerance decides ties.
  symmetricTie: { k1: 3, n1: 60, k0: 7, n0: 60, p: 0.34375, ratio: 0.4285714285714286, ci: [0.07151220048108632, 1.8773074392140194] },
  largeCounts: { k1: 250, n1: 365, k0: 180, n0: 365, p: 0.0008559705446208579, ratio: 1.3888888888888888, ci: [1.1421400121472443, 1.6916880524824494] },
  tinyP: { k1: 60, n1: 100, k0: 5, n0: 200, p: 2.674551700341948e-23, ratio: 23.999999999999996, ci: [9.73321321415208, 76.59019557065677] },
  ninetyTen: { k1: 1, n1: 90, k0: 9, n0: 10, p: 9.09999999999998e-9, ratio: 0.012345679012345678, ci: [0.00028166538465522174, 0.08909490300976378] },
  // Millions of incidents per window (telemetry): the p-value comes from the outcomes whose
  // probability is not 0 in floating point, ~90,000 of the 5 million.
  telemetryCounts: { k1: 2_501_200, n1: 180, k0: 2_498_000, n0: 180, p: 0.1525016535679496, ratio: 1.0012810248198558, ci: [0.9995267314876831, 1.0030383976414299] },
  telemetryShift: { k1: 2_520_000, n1: 180, k0: 2_480_000, n0: 181, p: 3.8290037404351596e-128, ratio: 1.021774193548387, ci: [1.019984084276951, 1.023567450737667] },
};

describe("poissonRateTest against statsmodels 0.13.5 test_poisson_2indep(method='exact-cond')", () => {
  it("the fixture holds the counts the reference used", () => {
    expect([total(counts120.post), total(counts120.pre)]).toEqual([17, 5]);
  });
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const result = poissonRateTest({ count: c.k1, days: c.n1 }, { count: c.k0, days: c.n0 });
      close(result.pValue, c.p);
      close(result.rateRatio, c.ratio);
      close(result.ciLow, c.ci[0]);
      close(result.ciHigh, c.ci[1]);
      expect(result.note).toBeNull();
    });
  }
  it("counts exactly at their expectation give p = 1 (scipy's k == p n shortcut)", () => {
    const result = poissonRateTest({ count: 4, days: 60 }, { count: 4, days: 60 });
    expect(result.pValue).toBe(1); // statsmodels: 1.0
    expect(result.rateRatio).toBe(1);
    close(result.ciLow, 0.18625759085078453);
    close(result.ciHigh, 5.368908700215736);
  });
});

describe("poissonRateTest with a zero-count window", () => {
  it("no post incidents: ratio 0, lower limit 0, exact p-value", () => {
    const result = poissonRateTest({ count: 0, days: 60 }, { count: 5, days: 60 });
    expect(result.rateRatio).toBe(0); // statsmodels ratio 0.0
    close(result.pValue, 0.0625); // statsmodels p 0.0625 = 2 * 0.5^5
    expect(result.ciLow).toBe(0);
    close(result.ciHigh, 1.0912791051825463);
    expect(result.note).toBe("no incidents in the post window, so the rate ratio is 0 and the lower confidence limit is 0");
  });
  it("no pre incidents: ratio and upper limit unbounded (null), p-value and lower limit exact", () => {
    const result = poissonRateTest({ count: 6, days: 45 }, { count: 0, days: 90 });
    expect(result.rateRatio).toBeNull(); // statsmodels ratio inf
    close(result.pValue, 0.0013717421124828527);
    close(result.ciLow, 2.3548494514483553);
    expect(result.ciHigh).toBeNull();
    expect(result.note).toBe(
      "no incidents in the pre window, so the rate ratio and the upper confidence limit are unbounded; the p-value and the lower limit are exact",
    );
  });
  it("no incidents at all: nothing to test (statsmodels raises ValueError: n must be an integer not less than 1)", () => {
    const result = poissonRateTest({ count: 0, days: 60 }, { count: 0, days: 60 });
    expect(result).toEqual({
      rateRatio: null,
      pValue: null,
      nullProportion: 0.5,
      confidenceLevel: 0.95,
      ciLow: null,
      ciHigh: null,
      note: "no incidents in either window, so the rate ratio is undefined and there is nothing to test",
    });
  });
  it("refuses an empty window and a non-integer count", () => {
    expect(() => poissonRateTest({ count: 1, days: 0 }, { count: 1, days: 10 })).toThrow(
      new InsufficientDataError("the exact Poisson rate-ratio test", "at least 1 day in each window (the post window has 0)"),
    );
    expect(() => poissonRateTest({ count: 1.5, days: 10 }, { count: 1, days: 10 })).toThrow(
      "the exact Poisson rate-ratio test: the post count must be a non-negative integer, got 1.5",
    );
  });
});

/**
 * The whole-range computation binomialMass replaced (every outcome 0..n), kept here as the
 * oracle: the kept range must give the same probabilities and p-values bit for bit.
 */
function wholeRangeProbabilities(n: number, p: number): Float64Array {
  const logWeights = new Float64Array(n + 1);
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logOdds = Math.log(p) - Math.log1p(-p);
  for (let x = mode; x < n; x += 1) logWeights[x + 1] = (logWeights[x] as number) + Math.log((n - x) / (x + 1)) + logOdds;
  for (let x = mode; x > 0; x -= 1) logWeights[x - 1] = (logWeights[x] as number) + Math.log(x / (n - x + 1)) - logOdds;
  let sum = 0;
  for (let x = 0; x <= n; x += 1) sum += Math.exp(logWeights[x] as number);
  const logTotal = Math.log(sum);
  return logWeights.map((logWeight) => Math.exp(logWeight - logTotal));
}

function wholeRangeMinLike(k: number, n: number, p: number): number {
  const pmf = wholeRangeProbabilities(n, p);
  const at = (x: number): number => pmf[x] as number;
  const sumOver = (from: number, to: number): number => {
    let sum = 0;
    for (let i = Math.max(from, 0); i <= Math.min(to, n); i += 1) sum += at(i);
    return sum;
  };
  const search = (a: (x: number) => number, d: number, lo: number, hi: number): number => {
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (a(mid) < d) lo = mid + 1;
      else if (a(mid) > d) hi = mid - 1;
      else return mid;
    }
    return a(lo) <= d ? lo : lo - 1;
  };
  const d = at(k);
  const rerr = 1 + 1e-7;
  if (k === p * n) return 1;
  if (k < p * n) {
    const ix = search((x) => -at(x), -d * rerr, Math.ceil(p * n), n);
    const y = n - ix + (d * rerr === at(ix) ? 1 : 0);
    return Math.min(1, sumOver(0, k) + sumOver(n - y + 1, n));
  }
  const ix = search(at, d * rerr, 0, Math.floor(p * n));
  return Math.min(1, sumOver(0, ix) + sumOver(k, n));
}

describe("binomial helpers", () => {
  it("probabilities sum to 1 and match the closed form", () => {
    const { first, last, probabilities } = binomialMass(10, 0.5);
    expect([first, last]).toEqual([0, 10]);
    expect(probabilities[3]).toBeCloseTo(120 / 1024, 15);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });
  it("leaves out only outcomes of probability 0, and keeps the rest bit for bit as over the whole range", () => {
    for (const [n, p] of [[10, 0.5], [2_000, 0.5], [20_000, 0.2], [200_000, 0.5], [200_000, 0.999], [150_000, 1e-4]] as const) {
      const whole = wholeRangeProbabilities(n, p);
      const { first, last, probabilities } = binomialMass(n, p);
      for (let x = 0; x <= n; x += 1) {
        const kept = x >= first && x <= last ? (probabilities[x - first] as number) : 0;
        if (kept !== whole[x]) throw new Error(`n ${n}, p ${p}: P(${x}) is ${kept}, the whole range gives ${whole[x]}`);
      }
      // Outcomes were left out where there are any to leave out (n = 10 keeps all 11).
      if (n >= 200_000) expect(last - first + 1).toBeLessThan(n / 2);
    }
  });
  it("minlike p-values are bit for bit those of the whole range, on either side of the mode and in the far tails", () => {
    for (const [n, p] of [[5, 0.5], [430, 250 / 430], [200_000, 0.5], [200_000, 0.3], [150_000, 1e-4]] as const) {
      const sd = Math.sqrt(n * p * (1 - p));
      for (const z of [-60, -40, -5, -1.5, -0.3, 0, 0.3, 1.5, 5, 40, 60]) {
        const k = Math.min(n, Math.max(0, Math.round(n * p + z * sd)));
        expect(binomialTwoSidedMinLike(k, n, p)).toBe(wholeRangeMinLike(k, n, p));
      }
    }
  });
  it("minlike p-value for a one-sided-only outcome: scipy binomtest(0, 5, 0.5) -> 0.0625", () => {
    close(binomialTwoSidedMinLike(0, 5, 0.5), 0.0625);
  });
  it("beta quantile: scipy 1.10.1 stats.beta.ppf(0.025, 17, 6) -> 0.5462963763378781", () => {
    close(betaQuantile(0.025, 17, 6), 0.5462963763378781);
  });
});
