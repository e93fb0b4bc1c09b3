// Expected numbers: scipy 1.10.1 (Debian python3-scipy), produced by
//   /usr/bin/python3 test/reference/two_sample_tests.py
// which calls stats.ttest_ind(x, y, equal_var=False) and
// stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic").
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors.js";
import { mannWhitneyU } from "../../src/stats/mann-whitney-u.js";
import { welchTTest } from "../../src/stats/welch-t-test.js";
import { expectClose as close } from "../helpers/reference-match.js";

const cases = {
  small: { x: [1.5, 2.0, 9.0, 4.0, 3.5], y: [0.5, 1.0, 1.0, 2.5] },
  tiedZeros: {
    x: [0, 0, 0, 0, 0, 0, 0, 305e6, 0, 0, 0, 1.2e6, 0, 0],
    y: [0, 0, 4.5e6, 0, 0, 0, 0, 0, 0, 235e6, 0, 0, 0, 0, 0, 0, 50e6, 0],
  },
  counts: { x: [0, 1, 0, 2, 0, 0, 1, 0, 3, 0, 0, 1], y: [0, 0, 1, 0, 0, 0, 0, 1, 0, 0] },
};


describe("welchTTest against scipy 1.10.1 ttest_ind(equal_var=False)", () => {
  it("small samples", () => {
    const result = welchTTest(cases.small.x, cases.small.y);
    close(result.statistic, 1.9630341781826868); // scipy t
    close(result.df, 4.818021892103205); // Welch–Satterthwaite df, numpy formula in the script
    close(result.pValue, 0.10903725847176664); // scipy p
  });
  it("mostly-zero daily losses with a few huge days", () => {
    const result = welchTTest(cases.tiedZeros.x, cases.tiedZeros.y);
    close(result.statistic, 0.22740746177661086);
    close(result.df, 21.99841933624534);
    close(result.pValue, 0.8222071034999284);
  });
  it("daily counts", () => {
    const result = welchTTest(cases.counts.x, cases.counts.y);
    close(result.statistic, 1.4862760152282017);
    close(result.df, 15.457974906634217);
    close(result.pValue, 0.1573162443727269);
  });
  it("constant windows give an undefined statistic with a reason (scipy: nan)", () => {
    const result = welchTTest([0, 0, 0], [0, 0, 0, 0]);
    expect(result).toEqual({ statistic: null, df: null, pValue: null, note: "both windows have constant daily values, so the t statistic is undefined" });
  });
  it("refuses a window with fewer than 2 days", () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(new InsufficientDataError("Welch's t-test", "at least 2 days in each window"));
  });
});

describe("mannWhitneyU against scipy 1.10.1 mannwhitneyu(asymptotic, continuity)", () => {
  it("small samples without ties in the statistic's direction", () => {
    const result = mannWhitneyU(cases.small.x, cases.small.y);
    expect(result.statistic).toBe(18); // scipy U = 18.0
    close(result.pValue, 0.06506370687881986);
  });
  it("many tied zeros", () => {
    const result = mannWhitneyU(cases.tiedZeros.x, cases.tiedZeros.y);
    expect(result.statistic).toBe(123); // scipy U = 123.0
    close(result.pValue, 0.880576155459526);
  });
  it("daily counts", () => {
    const result = mannWhitneyU(cases.counts.x, cases.counts.y);
    expect(result.statistic).toBe(75); // scipy U = 75.0
    close(result.pValue, 0.24365902381543347);
  });
  it("all values tied", () => {
    const result = mannWhitneyU([0, 0, 0], [0, 0, 0, 0]);
    expect(result.statistic).toBe(6); // scipy U = 6.0
    expect(result.pValue).toBe(1); // scipy p = 1.0
  });
});
