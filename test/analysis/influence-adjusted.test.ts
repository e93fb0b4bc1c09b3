// An incident whose removal leaves the raw p-value below alpha but the adjusted one above
// it decides the verdict's significance, since the verdict judges after adjustment. The
// fixture (test/analysis/fixtures/influence-adjusted/) has one such incident, BigHack.
// Expected adjusted p-values: /usr/bin/python3 test/reference/influence_adjusted.py
// (statsmodels multipletests, Holm) on the raw p-values asserted first.
import { describe, expect, it } from "vitest";
import { runStudy } from "../../src/pipeline.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { testContext } from "../helpers/study-fixture.js";

describe("influence of one incident, judged after adjustment", () => {
  it("makes the verdict 'some' and flags the incident when only the adjusted p-value crosses alpha", async () => {
    const run = await runStudy("test/analysis/fixtures/influence-adjusted/spec.yaml", testContext(process.cwd()));
    const results = buildResultsJson(run);
    const x = results.results.find((item) => item.group === "X");
    const y = results.results.find((item) => item.group === "Y");
    // The family, in the study's order: X's test and placebo, Y's test and placebo (the inputs of the reference script).
    expect([x?.tests[0]?.pValue, x?.placebo?.pValue, y?.tests[0]?.pValue, y?.placebo?.pValue]).toEqual([0.0064993500649935, 0.0010893246187363835, 0.3748625137486251, 0.4324618736383442]);
    // with every incident, X adjusted: 0.0194980501949805 (significant)
    expect(x?.tests[0]?.adjustedPValue).toBeCloseTo(0.0194980501949805, 12);
    const bigHack = x?.influence.find((entry) => entry.name === "BigHack");
    expect(bigHack?.pValue).toBe(0.021397860213978603);
    // without BigHack, X adjusted: 0.06419358064193581 (not significant): raw p is still below 0.05.
    expect(bigHack?.adjustedPValue).toBeCloseTo(0.06419358064193581, 12);
    expect(bigHack?.changesVerdict).toBe(true);
    // The other large incidents leave it significant after adjustment: not flagged.
    expect(x?.influence.filter((entry) => entry.changesVerdict).map((entry) => entry.name)).toEqual(["BigHack"]);
    expect(x?.verdict?.level).toBe("some");
    expect(x?.verdict?.caveats).toEqual([
      "Whether the change is significant hangs on one incident: without BigHack ($20.00M, 2024-05-14) the change would be +131.6% (block permutation test p = 0.021, 0.064 Holm-adjusted).",
    ]);
  });
});
