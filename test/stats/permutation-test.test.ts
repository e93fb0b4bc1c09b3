// Expected numbers: scipy 1.10.1 (Debian python3-scipy, numpy 1.24.2), printed by
//   /usr/bin/python3 test/reference/resampling.py
// Each p-value there is scipy.stats.permutation_test((post, pre), statistic,
// permutation_type="independent", n_resamples=np.inf, vectorized=True) -- exact enumeration --
// with statistic |mean(x) - mean(y)| (or |log(mean(x) / mean(y))|) and alternative="greater":
// the share of splits with |T*| >= |T|, this engine's two-sided definition. scipy's own
// alternative="two-sided" (2 * min of the one-sided p-values) is printed as p_scipy_two_sided.
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors.js";
import { blockPermutationTest, permutationTestMeans } from "../../src/stats/permutation-test.js";
import { createRng } from "../../src/stats/random.js";

const SMALL = { post: [0, 0, 2.5, 0, 7, 2.5], pre: [0, 1, 0, 0, 2.5] }; // n1 = 6, n2 = 5: C(11, 6) = 462 splits
const EQUAL = { post: [0, 4, 0, 0, 1, 6], pre: [0, 0, 1, 0, 0, 2] }; // n1 = n2 = 6: C(12, 6) = 924 splits
const ZERO_PRE = { post: [0, 3, 0, 1, 0, 0], pre: [0, 0, 0, 0, 0] };
const LARGE = { post: [0, 0, 3.5, 0, 0, 12, 0, 0.5, 0, 0, 40, 0], pre: [0, 1.5, 0, 0, 0, 0, 2, 0, 0, 0] }; // C(22, 12) = 646,646
const BLOCK_EVEN = { post: [0, 2, 0, 0, 0, 5, 1, 0, 0, 9, 0, 0], pre: [0, 0, 1, 0, 0, 0, 3, 0, 0] };
const BLOCK_LEFTOVER = { post: [0, 2, 0, 0, 0, 5, 1, 0, 0, 9, 0, 0, 4], pre: [6, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0] };

const f64 = (values: number[]): Float64Array => Float64Array.from(values);
const exactly = { resamples: 1_000_000, rng: createRng(1) }; // more than every split here: enumeration
const TOLERANCE = 1e-12;

describe("permutationTestMeans, exact enumeration against scipy 1.10.1", () => {
  it("difference, unequal windows with ties and zeros", () => {
    const result = permutationTestMeans(f64(SMALL.post), f64(SMALL.pre), { ...exactly, statistic: "difference" });
    expect(result.exact).toBe(true);
    expect(result.resamples).toBe(462); // scipy: splits 462
    expect(result.observed).toBeCloseTo(2 - 0.7, 14); // 12/6 − 3.5/5 by hand
    // scipy: SMALL difference p_abs 0.42424242424242425 (= 196/462)
    expect(Math.abs((result.pValue as number) - 0.42424242424242425)).toBeLessThanOrEqual(TOLERANCE);
    // scipy's default two-sided p_scipy_two_sided 0.5454545454545454 differs: the permutation
    // distribution is not symmetric when n1 != n2 (see the header of permutation-test.ts).
    expect(Math.abs((result.pValue as number) - 0.5454545454545454)).toBeGreaterThan(0.1);
    expect(result.note).toBeNull();
  });

  it("difference, equal windows: the same as scipy's default two-sided p", () => {
    const result = permutationTestMeans(f64(EQUAL.post), f64(EQUAL.pre), { ...exactly, statistic: "difference" });
    expect(result.resamples).toBe(924); // scipy: splits 924
    // scipy: EQUAL difference p_abs 0.3787878787878788, p_scipy_two_sided 0.3787878787878788
    expect(Math.abs((result.pValue as number) - 0.3787878787878788)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("ratio: |log(post mean / pre mean)|, splits with an all-zero window count as infinite", () => {
    const small = permutationTestMeans(f64(SMALL.post), f64(SMALL.pre), { ...exactly, statistic: "ratio" });
    expect(small.observed).toBeCloseTo(2.857142857142857, 14); // scipy: observed ratio 2.857142857142857
    // scipy: SMALL ratio p_abs 0.42424242424242425
    expect(Math.abs((small.pValue as number) - 0.42424242424242425)).toBeLessThanOrEqual(TOLERANCE);
    const equal = permutationTestMeans(f64(EQUAL.post), f64(EQUAL.pre), { ...exactly, statistic: "ratio" });
    expect(equal.observed).toBeCloseTo(3.6666666666666665, 14); // scipy: observed ratio 3.6666666666666665
    // scipy: EQUAL ratio p_abs 0.3787878787878788
    expect(Math.abs((equal.pValue as number) - 0.3787878787878788)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("ratio with a zero pre mean: infinite, p = share of splits leaving a window all zero", () => {
    const result = permutationTestMeans(f64(ZERO_PRE.post), f64(ZERO_PRE.pre), { ...exactly, statistic: "ratio" });
    expect(result.observed).toBe(Infinity);
    // 9 zero days of 11: post all zero in C(9,6) = 84 splits, pre all zero in C(9,5) = 126,
    // so p = 210/462. scipy (statistic arctan|log ratio|, alternative="greater"):
    // ZERO_PRE ratio p_abs 0.45454545454545453.
    expect(result.pValue).toBe(210 / 462);
    expect(Math.abs((result.pValue as number) - 0.45454545454545453)).toBeLessThanOrEqual(TOLERANCE);
    expect(result.note).toBe(
      "the pre window has only zero days, so the log ratio is infinite; the p-value is the share of splits that leave one window with only zero days",
    );
  });

  it("ratio when every day is zero: undefined, with a reason", () => {
    const result = permutationTestMeans(f64([0, 0, 0]), f64([0, 0]), { ...exactly, statistic: "ratio" });
    expect(result).toEqual({
      observed: null,
      pValue: null,
      resamples: 0,
      exact: false,
      note: "every day in both windows is 0, so the ratio of means is 0/0 in every split and the test is undefined",
    });
  });

  it("difference when every day is zero: nothing is more extreme than 0, p = 1", () => {
    const result = permutationTestMeans(f64([0, 0, 0]), f64([0, 0]), { ...exactly, statistic: "difference" });
    expect(result).toEqual({ observed: 0, pValue: 1, resamples: 10, exact: true, note: null });
  });

  it("a larger case enumerated: 646,646 splits", () => {
    const result = permutationTestMeans(f64(LARGE.post), f64(LARGE.pre), { ...exactly, statistic: "difference" });
    expect(result.exact).toBe(true);
    expect(result.resamples).toBe(646_646); // scipy: splits 646646
    // scipy: LARGE difference p_abs 0.33766233766233766
    expect(Math.abs((result.pValue as number) - 0.33766233766233766)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("permutationTestMeans, Monte Carlo", () => {
  it("is within 4 binomial standard errors of scipy's exact p", () => {
    const resamples = 10_000;
    const result = permutationTestMeans(f64(LARGE.post), f64(LARGE.pre), { resamples, rng: createRng(11), statistic: "difference" });
    expect(result.exact).toBe(false);
    expect(result.resamples).toBe(resamples);
    const exactP = 0.33766233766233766; // scipy: LARGE difference p_abs
    const standardError = Math.sqrt((exactP * (1 - exactP)) / resamples); // 0.0047
    expect(Math.abs((result.pValue as number) - exactP)).toBeLessThanOrEqual(4 * standardError);
  });

  it("a series without zero days (every block is shuffled) is within 4 standard errors too", () => {
    const post = f64([3, 1, 4, 1, 5, 9, 2, 6]);
    const pre = f64([5, 3, 5, 8, 9, 7, 9, 3]);
    const exactP = 0.12804972804972806; // scipy: DENSE difference p_abs 0.12804972804972806, splits 12870
    const enumerated = permutationTestMeans(post, pre, { ...exactly, statistic: "difference" });
    expect(enumerated.resamples).toBe(12_870);
    expect(Math.abs((enumerated.pValue as number) - exactP)).toBeLessThanOrEqual(TOLERANCE);
    const resamples = 5_000;
    const sampled = permutationTestMeans(post, pre, { resamples, rng: createRng(12), statistic: "difference" });
    expect(sampled.exact).toBe(false);
    expect(Math.abs((sampled.pValue as number) - exactP)).toBeLessThanOrEqual(4 * Math.sqrt((exactP * (1 - exactP)) / resamples));
  });

  it("is (b + 1) / (R + 1): never 0, and 1 / (R + 1) when nothing ties the observed split", () => {
    const post = f64(Array.from({ length: 40 }, (_, day) => 100 + day));
    const pre = f64(Array.from({ length: 40 }, (_, day) => day));
    const result = permutationTestMeans(post, pre, { resamples: 999, rng: createRng(3), statistic: "difference" });
    expect(result.pValue).toBe(1 / 1000);
  });

  it("same seed, same result; another seed, another p-value", () => {
    const options = { resamples: 2_000, statistic: "difference" } as const;
    const a = permutationTestMeans(f64(LARGE.post), f64(LARGE.pre), { ...options, rng: createRng(5) });
    const b = permutationTestMeans(f64(LARGE.post), f64(LARGE.pre), { ...options, rng: createRng(5) });
    const c = permutationTestMeans(f64(LARGE.post), f64(LARGE.pre), { ...options, rng: createRng(6) });
    expect(b).toEqual(a);
    expect(c.pValue).not.toBe(a.pValue);
  });
});

describe("blockPermutationTest", () => {
  it("permutes whole blocks: with L dividing both windows it is scipy's test on block sums", () => {
    const result = blockPermutationTest(f64(BLOCK_EVEN.post), f64(BLOCK_EVEN.pre), { ...exactly, statistic: "difference", blockLength: 3 });
    expect(result.blocks).toEqual({ post: 4, pre: 3 });
    expect(result.resamples).toBe(35); // C(7, 3); scipy: splits 35
    // scipy on the 7 block sums, |sum(a)/12 − sum(b)/9|: BLOCK_EVEN L=3 difference p_abs 0.34285714285714286
    expect(Math.abs((result.pValue as number) - 0.34285714285714286)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("keeps the leftover days at each window's far end in place", () => {
    // post: 4 blocks (days 0..11) + day 12 fixed; pre: days 0..1 fixed + 3 blocks ending at the event.
    const options = { ...exactly, blockLength: 3 };
    const difference = blockPermutationTest(f64(BLOCK_LEFTOVER.post), f64(BLOCK_LEFTOVER.pre), { ...options, statistic: "difference" });
    expect(difference.blocks).toEqual({ post: 4, pre: 3 });
    // scipy, leftovers added in the statistic: BLOCK_LEFTOVER L=3 difference p_abs 0.4
    expect(Math.abs((difference.pValue as number) - 0.4)).toBeLessThanOrEqual(TOLERANCE);
    const ratio = blockPermutationTest(f64(BLOCK_LEFTOVER.post), f64(BLOCK_LEFTOVER.pre), { ...options, statistic: "ratio" });
    // scipy: BLOCK_LEFTOVER L=3 ratio p_abs 0.4
    expect(Math.abs((ratio.pValue as number) - 0.4)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("Monte Carlo over blocks agrees with enumerating them (within 4 standard errors)", () => {
    // 24 + 18 mostly-zero days, L = 3: 8 + 6 blocks, C(14, 6) = 3003 splits.
    const post = f64([0, 0, 4, 0, 0, 0, 0, 0, 0, 7, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 30]);
    const pre = f64([0, 1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
    for (const statistic of ["difference", "ratio"] as const) {
      const enumerated = blockPermutationTest(post, pre, { ...exactly, statistic, blockLength: 3 });
      expect(enumerated.resamples).toBe(3003);
      const resamples = 4_000;
      const sampled = blockPermutationTest(post, pre, { resamples, rng: createRng(13), statistic, blockLength: 3 });
      const p = enumerated.pValue as number;
      expect(Math.abs((sampled.pValue as number) - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / resamples));
    }
  });

  it("with blockLength 1 is the ordinary test, draw for draw", () => {
    const options = { resamples: 3_000, statistic: "difference" } as const;
    const ordinary = permutationTestMeans(f64(LARGE.post), f64(LARGE.pre), { ...options, rng: createRng(9) });
    const blocks = blockPermutationTest(f64(LARGE.post), f64(LARGE.pre), { ...options, rng: createRng(9), blockLength: 1 });
    expect(blocks).toEqual({ ...ordinary, blockLength: 1, blocks: { post: 12, pre: 10 } });
  });

  it("defaults to L = round(cbrt(shorter window)) and reproduces with the same seed", () => {
    const rngSeries = createRng(21);
    const post = f64(Array.from({ length: 200 }, () => (rngSeries.next() < 0.1 ? rngSeries.next() * 1e7 : 0)));
    const pre = f64(Array.from({ length: 30 }, () => (rngSeries.next() < 0.1 ? rngSeries.next() * 1e7 : 0)));
    const a = blockPermutationTest(post, pre, { resamples: 2_000, rng: createRng(4), statistic: "difference" });
    const b = blockPermutationTest(post, pre, { resamples: 2_000, rng: createRng(4), statistic: "difference" });
    expect(a.blockLength).toBe(3); // cbrt(30) = 3.1
    expect(a.blocks).toEqual({ post: 66, pre: 10 });
    expect(a.exact).toBe(false);
    expect(b).toEqual(a);
  });
});

describe("small-sample contract and argument checks", () => {
  it("needs a day in each window, or a full block", () => {
    const options = { resamples: 100, rng: createRng(1), statistic: "difference" } as const;
    expect(() => permutationTestMeans(f64([]), f64([1, 2]), options)).toThrow(
      new InsufficientDataError("permutation test of means", "at least 1 day in each window"),
    );
    expect(() => blockPermutationTest(f64([1, 2, 3, 4]), f64([1, 2]), { ...options, blockLength: 3 })).toThrow(
      new InsufficientDataError("block permutation test of means", "at least one block of 3 days in each window"),
    );
  });

  it("refuses negative values for the ratio, and bad resamples or block lengths", () => {
    const rng = createRng(1);
    expect(() => permutationTestMeans(f64([1, -2]), f64([1]), { resamples: 10, rng, statistic: "ratio" })).toThrow(
      new RangeError("permutation test of means: the ratio of means needs non-negative daily values, but post[1] is -2; use the difference instead"),
    );
    expect(() => permutationTestMeans(f64([1]), f64([1]), { resamples: 0, rng, statistic: "difference" })).toThrow(
      new RangeError("permutation test of means: resamples 0 must be a positive whole number, e.g. 10000"),
    );
    expect(() => blockPermutationTest(f64([1]), f64([1]), { resamples: 10, rng, statistic: "difference", blockLength: 2.5 })).toThrow(
      new RangeError("block permutation test of means: blockLength 2.5 must be a whole number of days ≥ 1 (1 = independent days), e.g. 5"),
    );
  });
});
