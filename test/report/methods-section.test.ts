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
