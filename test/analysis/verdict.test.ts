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
  influence: [{ name: "Big Hack", date: "2024-05-31", amount: 3e8, difference: -2.5e6, relativeChange: -0.7, pValue: 0.01, adjustedPValue: 0.04, flipsDirection: false }],
  unknownAmounts: { lowering: 0, raising: 0 },
};

describe("buildVerdict", () => {
  it("a clear effect that survives every check is strong evidence", () => {
    const verdict = buildVerdict(base, usd);
    expect(verdict.level).toBe("strong");
    expect(verdict.caveats).toEqual([]);
    expect(verdict.text).toBe(
      "DPRK: mean daily loss fell by 75.0%, from $4.00M to $1.00M per day. " +
        "The change is statistically significant at the 0.05 level (block permutation test p = 0.0010; Holm-adjusted over 4 p-values p = 0.0040). " +
        "The 95% block-bootstrap BCa interval for the change is -$5.00M to -$1.00M per day. Evidence of a change: strong.",
    );
  });

  it("no effect says so, and never calls the change significant", () => {
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: 0.4, adjustedPValue: 1 }, influence: [] }, usd);
    expect(verdict.level).toBe("none");
    expect(verdict.text).toContain("is not statistically distinguishable from no change (block permutation test p = 0.40; Holm-adjusted over 4 p-values p = 1.0)");
    expect(verdict.text).not.toMatch(/is statistically significant/);
  });

  it("significant only before adjustment is not established", () => {
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: 0.02, adjustedPValue: 0.08 } }, usd);
    expect(verdict.level).toBe("none");
    expect(verdict.text).toContain("significant before adjusting for the 4 p-values in this study but not after");
  });

  it("an effect driven by one incident names the incident", () => {
    const verdict = buildVerdict(
      { ...base, influence: [{ name: "DMM Bitcoin", date: "2024-05-31", amount: 305e6, difference: 0.2e6, relativeChange: 0.2, pValue: 0.6, adjustedPValue: 1, flipsDirection: true }] },
      usd,
    );
    expect(verdict.level).toBe("some");
    expect(verdict.caveats).toEqual([
      "The direction of the change hangs on one incident: without DMM Bitcoin ($305.00M, 2024-05-31) the change would be +20.0% (block permutation test p = 0.60, 1.0 Holm-adjusted).",
    ]);
  });

  it("judges an incident's removal by the adjusted p-value, as the verdict itself: raw p still below alpha is not enough", () => {
    // Raw 0.021 < 0.05, but adjusted as the study's own p-value is (0.064) it is no longer significant.
    const withoutBigHack = { name: "BigHack", date: "2024-03-01", amount: 5e7, difference: -2e6, relativeChange: -0.5, pValue: 0.021, adjustedPValue: 0.064, flipsDirection: false };
    const verdict = buildVerdict({ ...base, influence: [withoutBigHack] }, usd);
    expect(verdict.level).toBe("some");
    expect(verdict.caveats).toEqual([
      "Whether the change is significant hangs on one incident: without BigHack ($50.00M, 2024-03-01) the change would be -50.0% (block permutation test p = 0.021, 0.064 Holm-adjusted).",
    ]);
    // Names several incidents in one sentence, and says that for counts they are examples.
    const two = buildVerdict({ ...base, metric: "daily_incidents", influence: [withoutBigHack, { ...withoutBigHack, name: "Other Hack", amount: 1e6 }] }, usd);
    expect(two.caveats[0]).toBe(
      "Whether the change is significant hangs on any one of 2 incidents: without BigHack ($50.00M, 2024-03-01) the change would be -50.0% (block permutation test p = 0.021, 0.064 Holm-adjusted); " +
        "without Other Hack ($1.00M, 2024-03-01) the change would be -50.0% (block permutation test p = 0.021, 0.064 Holm-adjusted) (for incidents per day these are examples: leaving out any one incident of the same window moves the mean as much).",
    );
  });

  it("is never strong when a check could not be made: no placebo (turned off, or too few dates), no other window length, an interval that includes zero", () => {
    const cases: Array<[Partial<VerdictInput>, string]> = [
      [{ placebo: null }, "The placebo-date check was not run (robustness.placebo is off), so nothing shows how often changes this size happen in this series without an event."],
      // 8 dates: the smallest placebo p possible is 1/9 = 0.11, so p = 0.11 says nothing (it must not read "common").
      [{ placebo: { pValue: 1 / 9, eligible: 8, atLeastAsExtreme: 0 } }, "Only 8 placebo date(s) fit in the data's coverage: too few to tell whether changes this size are common in this series (the smallest placebo p-value possible is 1/9, not below 0.05). A longer coverage, or shorter windows, leaves room for more."],
      [{ placebo: { pValue: null, eligible: 0, atLeastAsExtreme: 0 } }, "Only 0 placebo date(s) fit in the data's coverage: too few to tell whether changes this size are common in this series (the smallest placebo p-value possible is 1/1, not below 0.05). A longer coverage, or shorter windows, leaves room for more."],
      [{ sensitivity: [] }, "Fewer than two window lengths fit in the data's coverage, so whether the direction holds at other window lengths is unchecked (robustness.sensitivity_days lists the lengths tried)."],
      [{ sensitivity: [{ days: 30, difference: -2e6, pValue: 0.04 }] }, "Fewer than two window lengths fit in the data's coverage, so whether the direction holds at other window lengths is unchecked (robustness.sensitivity_days lists the lengths tried)."],
      [{ interval: { low: -0.5e6, high: 4e6, confidence: 0.95, label: "block-bootstrap percentile interval" } }, "The 95% block-bootstrap percentile interval (-$0.50M to $4.00M per day) includes no change, so the size of the change, even its sign, is uncertain."],
    ];
    for (const [change, caveat] of cases) {
      const verdict = buildVerdict({ ...base, ...change }, usd);
      expect(verdict.level, caveat).toBe("some");
      expect(verdict.caveats).toEqual([caveat]);
    }
    // 19 dates can reach 1/20 = 0.05, not below it; 20 can (1/21): the check is made, and passes here.
    expect(buildVerdict({ ...base, placebo: { pValue: 1 / 21, eligible: 20, atLeastAsExtreme: 0 } }, usd).level).toBe("strong");
    expect(buildVerdict({ ...base, placebo: { pValue: 1 / 20, eligible: 19, atLeastAsExtreme: 0 } }, usd).level).toBe("some");
  });

  it("says when incidents of unknown amount could make the change: never strong on a fall with amounts missing after the event", () => {
    // A feed that has not published recent amounts: the post window's losses count as $0.
    const fall = buildVerdict({ ...base, unknownAmounts: { lowering: 90, raising: 0 } }, usd);
    expect(fall.level).toBe("some");
    expect(fall.caveats).toEqual(["90 incident(s) after the event have an unknown amount and count as $0, so the fall may come from missing amounts rather than from smaller losses."]);
    // Missing amounts before the event push a rise; for a fall they only make it look smaller: no caveat.
    expect(buildVerdict({ ...base, unknownAmounts: { lowering: 0, raising: 5 } }, usd).level).toBe("strong");
    const rise = buildVerdict({ ...base, difference: 3e6, relativeChange: 3, interval: { low: 1e6, high: 5e6, confidence: 0.95, label: "block-bootstrap BCa interval" }, influence: [], unknownAmounts: { lowering: 0, raising: 5 } }, usd);
    expect(rise.caveats).toEqual(["5 incident(s) before the event have an unknown amount and count as $0, so the rise may come from missing amounts rather than from larger losses."]);
    // Said whatever the significance: a lower bound is a lower bound.
    const notSignificant = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: 0.4, adjustedPValue: 1 }, influence: [], unknownAmounts: { lowering: 2, raising: 0 } }, usd);
    expect(notSignificant.caveats).toEqual(["2 incident(s) after the event have an unknown amount and count as $0, so the fall may come from missing amounts rather than from smaller losses."]);
  });

  it("writes a tiny p-value as \"p < 0.0001\", never \"p = < 0.0001\"", () => {
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: 0.00001, adjustedPValue: 0.00004 } }, usd);
    expect(verdict.text).toContain("(block permutation test p < 0.0001; Holm-adjusted over 4 p-values p < 0.0001)");
    expect(verdict.text).not.toContain("= <");
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

  it("says why the primary test could not be computed, when its note says", () => {
    const note = "not computed: no incidents in either window, so there is nothing to compare";
    const verdict = buildVerdict({ ...base, primary: { label: "block permutation test", pValue: null, adjustedPValue: null, note } }, usd);
    expect(verdict.text).toContain("The block permutation test could not be computed (no incidents in either window, so there is nothing to compare), so the engine draws no conclusion.");
  });

  it("describes a difference in differences as a difference of changes", () => {
    const verdict = buildVerdict({ ...base, subject: "DPRK relative to Other", isDifferenceInDifferences: true }, usd);
    expect(verdict.text.startsWith("DPRK relative to Other: mean daily loss changed by $3.00M per day less than in the control group(s) (difference in differences -$3.00M).")).toBe(true);
  });
});
