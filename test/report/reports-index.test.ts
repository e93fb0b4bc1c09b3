// reports/index.html lists every study folder that has a results.json, escapes its strings,
// and links to each report.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportsIndexNotUpdatedText, writeReportsIndex } from "../../src/report/reports-index.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { basicSpec, runFixture } from "../helpers/study-fixture.js";

describe("reports/index.html", () => {
  it("lists each study with its verdicts, escaped, and skips folders without results", async () => {
    const csv = "date,amount,name,actor\n2024-01-02,10,x,a\n2024-01-12,20,y,b\n";
    const run = await runFixture(basicSpec().replace("title: Test study", 'title: "Study <img src=x onerror=alert(1)>"'), csv);
    const results = buildResultsJson(run);
    const reports = mkdtempSync(join(tmpdir(), "eventstudy-index-"));
    mkdirSync(join(reports, "first study"));
    writeFileSync(join(reports, "first study", "results.json"), JSON.stringify(results));
    mkdirSync(join(reports, "no-results"));
    mkdirSync(join(reports, ".study.staging-1"));
    writeReportsIndex(reports);
    const page = readFileSync(join(reports, "index.html"), "utf8");
    expect(page).toContain("1 studies.");
    expect(page).toContain('<a href="first%20study/index.html">Study &lt;img src=x onerror=alert(1)&gt;</a>');
    expect(page).not.toContain("<img");
    expect(page).not.toContain("no-results");
    // One line per group x metric: A, Rest and All, each with two metrics.
    expect(page.match(/<li>/g)?.length).toBe(6);
  });

  it("leaves out a results.json of another shape, even one that has the top-level fields, and lists the rest", async () => {
    const run = await runFixture(basicSpec(), "date,amount,name,actor\n2024-01-02,10,x,a\n2024-01-12,20,y,b\n");
    const results = buildResultsJson(run);
    const reports = mkdtempSync(join(tmpdir(), "eventstudy-index-"));
    for (const [folder, content] of [["good", results], ["other-tool", { previous: true }], ["look-alike", { ...results, results: [1] }]] as const) {
      mkdirSync(join(reports, folder));
      writeFileSync(join(reports, folder, "results.json"), JSON.stringify(content));
    }
    writeReportsIndex(reports);
    const page = readFileSync(join(reports, "index.html"), "utf8");
    expect(page).toContain("1 studies.");
    expect(page).toContain('<a href="good/index.html">');
    expect(page).toContain("Not listed: look-alike, other-tool, whose results.json is not a report of this engine");
  });

  it("a list that cannot be written says so as the list, not as a report (whose folders are already written)", () => {
    // A reports folder under /proc: readable, nothing can be created in it.
    let thrown: unknown;
    try {
      writeReportsIndex("/proc/self");
    } catch (error) {
      thrown = error;
    }
    const failure = (thrown as Error | undefined)?.message;
    expect(failure).toMatch(/^ENOENT: no such file or directory, open '\/proc\/self\/index\.html\.\d+\.tmp'$/);
    expect(reportsIndexNotUpdatedText("reports", thrown)).toBe(
      `reports/index.html (the list of studies) was not updated (${failure}); every study's own report was written. Check that the reports folder exists and is on a disk, then run again to rebuild the list.`,
    );
    // Before: "cannot write the report to .../index.html ...; the previous report is untouched", said of a list.
    expect(reportsIndexNotUpdatedText("reports", thrown)).not.toContain("previous report");
  });

  it("a page of the user's put in place of the list while the studies ran is not overwritten, and the warning says the reports were written", () => {
    const reports = mkdtempSync(join(tmpdir(), "eventstudy-index-"));
    writeFileSync(join(reports, "index.html"), "<!doctype html><title>My page</title>\n");
    let thrown: unknown;
    try {
      writeReportsIndex(reports);
    } catch (error) {
      thrown = error;
    }
    expect(readFileSync(join(reports, "index.html"), "utf8")).toBe("<!doctype html><title>My page</title>\n");
    const file = join(reports, "index.html");
    expect(reportsIndexNotUpdatedText(reports, thrown)).toBe(
      `cannot write the list of studies to ${file}: that file was not written by eventstudy, and it would be overwritten. Choose another folder with --reports, or rename or move ${file}; the list was not updated; every study's own report was written.`,
    );
  });
});
