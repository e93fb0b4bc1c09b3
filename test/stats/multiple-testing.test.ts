// Expected numbers: statsmodels 0.13.5 (Debian python3-statsmodels), printed by
//   /usr/bin/python3 test/reference/multiple_testing.py
// = statsmodels.stats.multitest.multipletests(p, method='holm' | 'fdr_bh')[1], with null
// entries dropped before the call and put back afterwards. Same arithmetic, so the
// comparison is exact (toEqual), not to a tolerance.
import { describe, expect, it } from "vitest";
import { adjustPValues, benjaminiHochbergAdjust, holmAdjust } from "../../src/stats/multiple-testing.js";

const cases: Record<string, { p: (number | null)[]; holm: (number | null)[]; bh: (number | null)[] }> = {
  mixed: {
    p: [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.049],
    holm: [0.06, 0.16, 0.15, 0.035, 0.4, 0.5, 0.16],
    bh: [0.035, 0.0686, 0.0686, 0.035, 0.23333333333333336, 0.5, 0.0686],
  },
  ties: {
    p: [0.02, 0.02, 0.001, 0.02, 0.9, 0.9],
    holm: [0.1, 0.1, 0.006, 0.1, 1.0, 1.0],
    bh: [0.030000000000000002, 0.030000000000000002, 0.006, 0.030000000000000002, 0.9, 0.9],
  },
  withNulls: {
    p: [0.012, null, 0.3, 0.0004, null, 0.047, 0.051],
    holm: [0.048, null, 0.3, 0.002, null, 0.14100000000000001, 0.14100000000000001],
    bh: [0.03, null, 0.3, 0.002, null, 0.06374999999999999, 0.06374999999999999],
  },
  capped: { p: [0.6, 0.8, 0.7, 0.95], holm: [1.0, 1.0, 1.0, 1.0], bh: [0.95, 0.95, 0.95, 0.95] },
  single: { p: [0.03], holm: [0.03], bh: [0.03] },
  tiny: {
    p: [1e-12, 2.674551700341948e-23, 0.01690053939819336, 0.00012612342834472656, 0.34375],
    holm: [4e-12, 1.337275850170974e-22, 0.03380107879638672, 0.0003783702850341797, 0.34375],
    bh: [2.5e-12, 1.337275850170974e-22, 0.0211256742477417, 0.00021020571390787762, 0.34375],
  },
};

describe("Holm and Benjamini–Hochberg against statsmodels 0.13.5 multipletests", () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      expect(holmAdjust(c.p)).toEqual(c.holm);
      expect(benjaminiHochbergAdjust(c.p)).toEqual(c.bh);
    });
  }
  it("nothing to adjust: empty and all-null inputs", () => {
    expect(adjustPValues([], "holm")).toEqual([]);
    expect(adjustPValues([null, null], "bh")).toEqual([null, null]);
  });
  it("refuses a value outside [0, 1]", () => {
    expect(() => holmAdjust([0.2, Number.NaN])).toThrow("adjustPValues: p-value 2 is NaN; p-values must be in [0, 1] (or null for a missing test)");
    expect(() => benjaminiHochbergAdjust([1.5])).toThrow("adjustPValues: p-value 1 is 1.5; p-values must be in [0, 1] (or null for a missing test)");
  });
});
