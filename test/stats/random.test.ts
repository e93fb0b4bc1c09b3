import { describe, expect, it } from "vitest";
import { createRng } from "../../src/stats/random.js";

describe("createRng", () => {
  it("reproduces the same stream for the same seed and differs for another", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it("is uniform enough: mean, and every bucket of nextInt hit about equally", () => {
    const rng = createRng(7);
    const n = 200_000;
    const buckets = new Float64Array(10);
    let total = 0;
    for (let index = 0; index < n; index += 1) {
      total += rng.next();
      const bucket = rng.nextInt(10);
      buckets[bucket] = (buckets[bucket] as number) + 1;
    }
    // Mean of U(0,1) is 0.5 with standard error sqrt(1/12/n) = 0.00065: allow 5 SE.
    expect(Math.abs(total / n - 0.5)).toBeLessThan(0.0033);
    // Chi-square with 9 df: the 0.999 quantile is 27.88 (scipy.stats.chi2.ppf(0.999, 9)).
    const expected = n / 10;
    const chiSquare = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.88);
  });
});
