// What the report says about its own methods is what this study did: every metric's tests,
// the robustness checks as the spec set them, which p-values the multiple-testing
// adjustment counted, and how much a permutation p-value moves with its random splits.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStudy } from "../../src/pipeline.js";
import { renderReportHtml } from "../../src/report/render-report.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { testContext } from "../helpers/study-fixture.js";

const GOLDEN = "test/cases/golden-basic";

/** The golden study's report, its spec with `extra` appended. */
async function goldenReport(extra = ""): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-methods-"));
  copyFileSync(join(GOLDEN, "data.csv"), join(dir, "data.csv"));
  writeFileSync(join(dir, "spec.yaml"), `${readFileSync(join(GOLDEN, "spec.yaml"), "utf8")}${extra}`);
  const run = await runStudy(join(dir, "spec.yaml"), testContext(process.cwd()));
  return renderReportHtml(buildResultsJson(run), [], 0);
}

const methodsOf = (html: string): string => html.slice(html.indexOf('<section id="methods">'), html.indexOf("</section>", html.indexOf('<section id="methods">')));

describe("Methods", () => {
  it("names each metric's tests, the count tests and the Poisson regression for incidents included", async () => {
    const methods = methodsOf(await goldenReport());
    const incidents = methods.slice(methods.indexOf("for incidents per day:"));
    expect(methods).toContain("for daily loss: <strong>block permutation test</strong>");
    for (const label of ["exact Poisson rate-ratio test", "quasi-Poisson rate-ratio test"]) {
      expect(incidents).toContain(`<strong>${label}</strong>`);
      expect(methods.slice(0, methods.indexOf("for incidents per day:"))).not.toContain(label);
    }
    expect(incidents).toContain("segmented Poisson regression (log link)");
    expect(methods).toContain(
      // The golden study's 20 days of coverage cut every length to its own 10 + 10 days: one length ran.
      "Robustness: the change is recomputed at every fake event date that fits in coverage (placebo), with windows of 30 (cut by coverage to 10 before and 10 after) days each side and without each of the 5 largest incidents.",
    );
  });

  it("says a robustness check the spec turned off is off, and does not claim it", async () => {
    const methods = methodsOf(await goldenReport("robustness: {placebo: false, influence_top_k: 0}\n"));
    expect(methods).toContain(
      "Robustness: the change is recomputed with windows of 30 (cut by coverage to 10 before and 10 after) days each side. Turned off by the spec: the placebo check (robustness.placebo: false) and the influence check (robustness.influence_top_k: 0).",
    );
    expect(methods).not.toContain("fake event date");
  });
});

describe("All tests", () => {
  it("says which p-values the adjustment counted", async () => {
    // The golden study's family is 36 p-values (test/reference/golden_case.py --check):
    // 3 groups x (5 loss tests + 7 incident tests); its 20 days leave no placebo date.
    const html = await goldenReport();
    expect(html).toContain("The 36 p-values adjusted across the study (Holm) are those of the 36 tests below that gave one and of the 0 placebo checks.");
  });
});

describe("All tests, with a difference in differences and placebo dates", () => {
  it("counts the DiD's tests and every placebo p-value in the family it describes", async () => {
    // 60 days of coverage around a 10 + 10-day study leave room for placebo dates.
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-family-"));
    const rows = ["date,amount,name,actor"];
    for (let day = 1; day <= 29; day += 1) rows.push(`2024-01-${String(day).padStart(2, "0")},${1000 * day},i${day},${day % 3 === 0 ? "a" : "b"}`);
    for (let day = 1; day <= 29; day += 2) rows.push(`2024-02-${String(day).padStart(2, "0")},${700 * day},j${day},${day % 4 === 1 ? "a" : "b"}`);
    writeFileSync(join(dir, "data.csv"), `${rows.join("\n")}\n`);
    writeFileSync(
      join(dir, "spec.yaml"),
      "title: Family\ndata:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\ncoverage: {start: 2024-01-01, end: 2024-02-29}\n" +
        "groups:\n  - name: A\n    where: {actor: a}\n  - name: B\n    otherwise: true\nevent: {date: 2024-02-10, label: e}\nwindows: {pre: {days: 10}, post: {days: 10}}\n" +
        "difference_in_differences: {treated: A, controls: [B]}\ntests: {permutations: 199, bootstrap: {resamples: 199}}\n",
    );
    const results = buildResultsJson(await runStudy(join(dir, "spec.yaml"), testContext(process.cwd())));
    const note = /The (\d+) p-values adjusted across the study \(Holm\) are those of the (\d+) tests below that gave one and of the (\d+) placebo checks\./.exec(renderReportHtml(results, [], 0));
    expect(note).not.toBeNull();
    const [family, tests, placebos] = (note ?? []).slice(1).map(Number);
    // The study has a DiD and placebo p-values, so both kinds are in the family.
    expect(results.differenceInDifferences.length).toBe(2);
    expect(placebos).toBeGreaterThan(0);
    // The family the adjustment used (study-analysis.ts) is the sum the note gives (render-report.ts).
    expect(family).toBe(results.multipleTesting.family);
    expect((tests ?? 0) + (placebos ?? 0)).toBe(family);
  });
});

describe("Influence", () => {
  it("says how far a sampled permutation p-value can move from one set of random splits to another, and says nothing of the kind for exact ones", async () => {
    // The permutation test samples 10,000 of the C(20, 10) = 184,756 splits of the golden
    // study's days: 2 x sqrt(0.5 x 0.5 / 10,000) = 0.010.
    const sampled = await goldenReport("tests: {primary: {daily_loss: permutation}}\n");
    expect(sampled).toContain("with 10000 splits, by up to about ±0.010 (two standard errors at p = 0.5).");
    // The default block permutation test goes through every split of its 2-day blocks (exact).
    expect(await goldenReport()).not.toContain("splits, by up to about");
  });
});
