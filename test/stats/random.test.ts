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

  it("nextInt gives exactly the draw % n of plain rejection sampling, for n from 1 to 2^32 (its floor division is exact)", () => {
    // The reference reads the same raw 32-bit draws (next() is draw / 2^32, exactly) and
    // applies the textbook rule with %, which nextInt's floor division must match draw for
    // draw, rejections included.
    const reference = (raw: () => number, n: number): number => {
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const draw = raw() * 4294967296;
        if (draw < limit) return draw % n;
      }
    };
    const edges = [1, 2, 3, 7, 360, 1024, 65_537, 2 ** 20 + 1, 2 ** 21 - 1, 2 ** 21, 2 ** 21 + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3_000_000_019, 2 ** 32 - 1, 2 ** 32];
    const rngUnderTest = createRng(99);
    const raw = createRng(99);
    const bounds = createRng(5);
    let mismatches = 0;
    for (let index = 0; index < 400_000; index += 1) {
      // The edges, then n spread over every scale up to 2^32.
      const n = index < edges.length * 100 ? (edges[index % edges.length] as number) : 1 + Math.floor(2 ** (bounds.next() * 32));
      if (rngUnderTest.nextInt(n) !== reference(() => raw.next(), n)) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });
});
