// The report reads a study against the calibration nearest its windows, and says when no
// calibration covers windows as short as the study's; the figures quoted are the committed
// docs/calibration.json's (test/calibration/calibration-notes.test.ts checks them against it).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStudy } from "../../src/pipeline.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { renderReportHtml } from "../../src/report/render-report.js";
import { basicSpec, runFixture, testContext } from "../helpers/study-fixture.js";

const csv = ["date,amount,name,actor", "2024-01-03,1000000,One,a", "2024-01-09,200000,Two,b", "2024-01-10,300000,Three,a", "2024-01-11,5000000,Four,b", "2024-01-12,70000,Five,a", "2024-01-14,10000,Six,b"].join("\n");

describe("report: calibration at the study's window length", () => {
  it("golden-basic (10 pre / 10 post after coverage) is read against 14-day windows", async () => {
    const run = await runStudy(join("test/cases/golden-basic", "spec.yaml"), testContext(process.cwd()));
    const results = buildResultsJson(run);
    const page = renderReportHtml(results, [], 0);
    expect([results.windows.pre.days, results.windows.post.days]).toEqual([10, 10]);
    // The nearest calibrated length, named in the same phrase as the study's own windows.
    expect(page).toContain("at 14-day windows, the calibrated length nearest this study&#39;s 10-day windows");
    expect(page).not.toContain("No calibration covers");
  });

  it("a 3-day study is told no calibration covers it, with the HAC figures at 7 days", async () => {
    const run = await runFixture(basicSpec({ windows: "windows:\n  pre: {days: 3}\n  post: {days: 3}" }), csv);
    const results = buildResultsJson(run);
    const page = renderReportHtml(results, [], 0);
    const warning = /<li><code>calibration_windows<\/code>([^<]*)<\/li>/.exec(page)?.[1] ?? "";
    // Each test's "holds its level?" cell says it is not known, instead of a 170/196-day figure.
    expect(page).toMatch(/<td>not known[^<]*<\/td>/);
    expect(warning).toContain("No calibration covers this study&#39;s windows (3-day windows)");
    expect(warning).toContain("known to over-reject on short windows");
  });
});
