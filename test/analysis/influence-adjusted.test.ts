// An incident whose removal leaves the raw p-value below alpha but the adjusted one above
// it decides the verdict's significance, since the verdict judges after adjustment. The
// fixture (test/analysis/fixtures/influence-adjusted/: 713 rows, X's losses rising at the
// event, one $20M incident, BigHack, in the post window) puts BigHack on that boundary.
//
// No p-value here is copied from the engine: the permutation p-values are the engine's own
// and are only compared with alpha; the adjusted ones are checked to be Holm's adjustment
// of the study's family with the p-value without BigHack in X's place, through
// adjustPValues, which test/stats/multiple-testing.test.ts checks against statsmodels.
import { describe, expect, it } from "vitest";
import { runStudy } from "../../src/pipeline.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { adjustPValues } from "../../src/stats/multiple-testing.js";
import { testContext } from "../helpers/study-fixture.js";

const ALPHA = 0.05;

describe("influence of one incident, judged after adjustment", () => {
  it("makes the verdict 'some' and flags the incident when only the adjusted p-value crosses alpha", async () => {
    const run = await runStudy("test/analysis/fixtures/influence-adjusted/spec.yaml", testContext(process.cwd()));
    const results = buildResultsJson(run);
    const x = results.results.find((item) => item.group === "X");
    const y = results.results.find((item) => item.group === "Y");
    // The family, in the study's order: X's test and placebo, Y's test and placebo.
    const family = [x?.tests[0]?.pValue, x?.placebo?.pValue, y?.tests[0]?.pValue, y?.placebo?.pValue].map((value) => value ?? null);
    expect(family.every((value) => value !== null)).toBe(true);
    expect(x?.tests[0]?.adjustedPValue).toBe(adjustPValues(family, "holm")[0]);
    // With every incident X's change is significant after adjustment.
    expect(x?.tests[0]?.adjustedPValue).toBeLessThan(ALPHA);

    const bigHack = x?.influence.find((entry) => entry.name === "BigHack");
    const withoutBigHack = adjustPValues([bigHack?.pValue ?? null, ...family.slice(1)], "holm")[0];
    expect(bigHack?.adjustedPValue).toBe(withoutBigHack);
    // The boundary this case is about: without BigHack the raw p-value is still below
    // alpha (the old, raw rule saw no change) but the adjusted one is not.
    expect(bigHack?.pValue).toBeLessThan(ALPHA);
    expect(bigHack?.adjustedPValue).toBeGreaterThanOrEqual(ALPHA);
    expect(bigHack?.changesVerdict).toBe(true);
    // The other large incidents leave it significant after adjustment: not flagged.
    for (const entry of x?.influence ?? []) {
      if (entry.name !== "BigHack") expect([entry.name, entry.changesVerdict, (entry.adjustedPValue ?? 1) < ALPHA]).toEqual([entry.name, false, true]);
    }
    expect(x?.verdict?.level).toBe("some");
    // +131.6%: X's pre mean is $208,791/day and its post losses $64.0M in 91 days, so
    // without BigHack ($64.0M - $20M) / 91 / 208,791 - 1 = 1.3158 (summed from data.csv with
    // /usr/bin/python3 and the csv module: sum of X's amounts dated in each window).
    const p = (value: number | null | undefined): string => (value ?? Number.NaN).toPrecision(2);
    expect(x?.verdict?.caveats).toEqual([
      `Whether the change is significant hangs on one incident: without BigHack ($20.00M, 2024-05-14) the change would be +131.6% (block permutation test p = ${p(bigHack?.pValue)}, ${p(bigHack?.adjustedPValue)} Holm-adjusted).`,
    ]);
  });
});
