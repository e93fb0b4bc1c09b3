// The verdict on constructed cases: it must say exactly what the numbers say.
import { describe, expect, it } from "vitest";
import { buildVerdict, type VerdictInput } from "../../src/analysis/verdict.js";

const usd = (value: number): string => `${value < 0 ? "-" : ""}$${Math.abs(value / 1e6).toFixed(2)}M`;

const base: VerdictInput = {
  subject: "DPRK",
  metric: "daily_loss",
  isDifferenceInDifferences: false,
  preMean: 4e6,
  postMean: 1e6,
  difference: -3e6,
  relativeChange: -0.75,
  primary: { label: "block permutation test", pValue: 0.001, adjustedPValue: 0.004 },
  adjustment: { method: "holm", family: 4 },
  interval: { low: -5e6, high: -1e6, confidence: 0.95, label: "block-bootstrap BCa interval" },
  alpha: 0.05,
  placebo: { pValue: 0.01, eligible: 300, atLeastAsExtreme: 2 },
  sensitivity: [
    { days: 30, difference: -2e6, pValue: 0.04 },
    { days: 90, difference: -3e6, pValue: 0.01 },
  ],
  influence: [{ name: "Big Hack", date: "2024-05-31", amount: 3e8, difference: -2.5e6, relativeChange: -0.7, pValue: 0.01 }],
};

describe("buildVerdict", () => {
  it("a clear effect that survives every check is strong evidence", () => {
    const verdict = buildVerdict(base, usd);
    expect(verdict.level).toBe("strong");
    expect(verdict.caveats).toEqual([]);
    expect(verdict.text).toBe(
      "DPRK: mean daily loss fell by 75.0%, from $4.00M to $1.00M per day. " +
        "The change is statistically significant at the 0.05 level (block permutation test p = 0.0010; Holm-adjusted over 4 tests p = 0.0040). " +
        "The 95% block-bootstrap BCa interval for the change is -$5.00M to -$1.00M per day. Evidence of a change: strong.",
    );
  });

  it("no effect says so, and never calls the change significant", () => {
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: 0.4, adjustedPValue: 1 }, influence: [] }, usd);
    expect(verdict.level).toBe("none");
    expect(verdict.text).toContain("is not statistically distinguishable from no change (block permutation test p = 0.40; Holm-adjusted over 4 tests p = 1.0)");
    expect(verdict.text).not.toMatch(/is statistically significant/);
  });

  it("significant only before adjustment is not established", () => {
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: 0.02, adjustedPValue: 0.08 } }, usd);
    expect(verdict.level).toBe("none");
    expect(verdict.text).toContain("significant before adjusting for the 4 tests in this study but not after");
  });

  it("an effect driven by one incident names the incident", () => {
    const verdict = buildVerdict(
      { ...base, influence: [{ name: "DMM Bitcoin", date: "2024-05-31", amount: 305e6, difference: 0.2e6, relativeChange: 0.2, pValue: 0.6 }] },
      usd,
    );
    expect(verdict.level).toBe("some");
    expect(verdict.caveats).toEqual([
      "The direction of the change hangs on one incident: without DMM Bitcoin ($305.00M, 2024-05-31) the change would be +20.0% (block permutation test p = 0.60, unadjusted).",
    ]);
  });

  it("names a placebo rank that makes the change ordinary, and a direction that flips with the window", () => {
    const verdict = buildVerdict(
      {
        ...base,
        placebo: { pValue: 0.3, eligible: 300, atLeastAsExtreme: 89 },
        sensitivity: [
          { days: 30, difference: 1e6, pValue: 0.5 },
          { days: 90, difference: -3e6, pValue: 0.01 },
        ],
      },
      usd,
    );
    expect(verdict.level).toBe("some");
    expect(verdict.caveats).toEqual([
      "A change at least this large happened at 89 of 300 fake event dates without this event (placebo p = 0.30), so changes of this size are common in this series.",
      "The direction of the change depends on the window length (30 days: $1.00M, 90 days: -$3.00M).",
    ]);
  });

  it("an uncomputable primary test gives no conclusion", () => {
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: null, adjustedPValue: null } }, usd);
    expect(verdict.level).toBe("undetermined");
    expect(verdict.text).toBe("DPRK: mean daily loss fell by 75.0%, from $4.00M to $1.00M per day. The block permutation test could not be computed, so the engine draws no conclusion.");
  });

  it("describes a difference in differences as a difference of changes", () => {
    const verdict = buildVerdict({ ...base, subject: "DPRK relative to Other", isDifferenceInDifferences: true }, usd);
    expect(verdict.text.startsWith("DPRK relative to Other: mean daily loss changed by $3.00M per day less than in the control group(s) (difference in differences -$3.00M).")).toBe(true);
  });
});
