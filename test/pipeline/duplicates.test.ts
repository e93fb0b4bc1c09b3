// data.duplicates end to end, on a table whose copies can be counted by eye. With
// `unchecked` (attack telemetry: the same source probing twice on one day is two events)
// the engine does not look for duplicates: every copy counts, nothing warns about them,
// and results.json and the report say they were not looked for.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStudy, type StudyRun } from "../../src/pipeline.js";
import { renderReportHtml } from "../../src/report/render-report.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { basicSpec, csvToParquet, runFixture, testContext, writeFixture } from "../helpers/study-fixture.js";

// pre = 2024-01-01..2024-01-10, post = 2024-01-11..2024-01-20 (basicSpec).
// Group A: "probe" three times on 01-03 (pre), "flood" twice on 01-12 (post).
// Group Rest (actor b): one distinct row in each window.
const CSV = [
  "date,amount,name,actor",
  "2024-01-03,100,probe,a",
  "2024-01-03,100,probe,a",
  "2024-01-05,50,scan,b",
  "2024-01-03,100,probe,a",
  "2024-01-12,400,flood,a",
  "2024-01-15,20,scan,b",
  "2024-01-12,400,flood,a",
].join("\n");

/** A study of CSV with `data.duplicates` set to `value` (the default when undefined). */
async function study(value: "drop" | "keep" | "unchecked" | undefined): Promise<StudyRun> {
  const data = `data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}${value === undefined ? "" : `\n  duplicates: ${value}`}`;
  return runFixture(basicSpec({ data, extra: "tests: {permutations: 999, bootstrap: {resamples: 499}}\nrobustness: {placebo: false}" }), CSV);
}

/** Incidents and losses per group and window, as the comparisons report them. */
function counts(run: StudyRun): Record<string, { incidents: [number, number]; loss: [number, number] }> {
  const out: Record<string, { incidents: [number, number]; loss: [number, number] }> = {};
  for (const item of run.comparisons) {
    const entry = (out[item.group] ??= { incidents: [0, 0], loss: [0, 0] });
    if (item.metric === "daily_incidents") entry.incidents = [item.pre.total, item.post.total];
    else entry.loss = [item.pre.total, item.post.total];
  }
  return out;
}

describe("data.duplicates: unchecked", () => {
  it("counts every copy as an incident: the numbers of keep, and more than drop's", async () => {
    const [unchecked, keep, drop] = [await study("unchecked"), await study("keep"), await study(undefined)];
    // A: 3 probes of 100 before, 2 floods of 400 after; Rest: 50 before, 20 after; All: their sums.
    expect(counts(unchecked)).toEqual({
      A: { incidents: [3, 2], loss: [300, 800] },
      Rest: { incidents: [1, 1], loss: [50, 20] },
      All: { incidents: [4, 3], loss: [350, 820] },
    });
    expect(counts(keep)).toEqual(counts(unchecked));
    // drop keeps one probe and one flood.
    expect(counts(drop).A).toEqual({ incidents: [1, 1], loss: [100, 400] });
    expect(unchecked.provenance).toMatchObject({ rowsRead: 7, rowsExcluded: 0, rowsFilteredOut: 0, rowsUsed: 7 });
  });

  it("warns about no duplicate, neither dropped nor kept (drop and keep both warn)", async () => {
    const codes = async (value: "drop" | "keep" | "unchecked"): Promise<string[]> => (await study(value)).warnings.map((warning) => warning.code);
    expect(await codes("drop")).toEqual(["rows_duplicate"]);
    expect(await codes("keep")).toEqual(["duplicates_kept"]);
    expect(await codes("unchecked")).toEqual([]);
  });

  it("is named in results.json, and the report says duplicates were not looked for", async () => {
    const results = buildResultsJson(await study("unchecked"));
    expect(results.dataRules.duplicates).toBe("unchecked");
    const report = renderReportHtml(results, []);
    expect(report).toContain("Exact duplicate rows are not looked for (data.duplicates: unchecked): every row counts as an incident, identical rows included.");
    expect(report).not.toContain("Exact duplicate rows are left out");
  });

  it("the report of drop and keep says what became of the copies", async () => {
    expect(renderReportHtml(buildResultsJson(await study("drop")), [])).toContain("Exact duplicate rows are left out (the first is kept).");
    expect(renderReportHtml(buildResultsJson(await study("keep")), [])).toContain("Exact duplicate rows are kept.");
  });
});

describe("data.duplicates: unchecked on one Parquet file (read in place, with no row hash at all)", () => {
  it("gives the counts and warnings of the same rows as CSV", async () => {
    const data = "data:\n  file: data.parquet\n  columns: {date: date, amount: amount, name: name}\n  duplicates: unchecked";
    const fixture = writeFixture(basicSpec({ data, extra: "tests: {permutations: 999, bootstrap: {resamples: 499}}\nrobustness: {placebo: false}" }), CSV);
    await csvToParquet(join(fixture.dir, "data.csv"), join(fixture.dir, "data.parquet"));
    const parquet = await runStudy(fixture.specFile, testContext(fixture.dir));
    const csv = await study("unchecked");
    expect(counts(parquet)).toEqual(counts(csv));
    expect(parquet.warnings).toEqual(csv.warnings);
    expect(parquet.provenance).toMatchObject({ rowsRead: 7, rowsExcluded: 0, rowsUsed: 7 });
  });
});
