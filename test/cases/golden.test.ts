// Golden case (STYLE.md, 10): spec + data in test/cases/golden-basic/, results.json out,
// compared whole with expected/results.json. The expected file was written by the engine
// (UPDATE_GOLDEN=1 npx vitest run test/cases) and then checked independently:
//   /usr/bin/python3 test/reference/golden_case.py --check   (scipy 1.10.1, statsmodels 0.13.5)
// rebuilds the daily series from data.csv and asserts every mean, every deterministic
// test (Welch, Mann-Whitney, exact and quasi-Poisson rate ratios, segmented regression)
// to 1e-8 and the Holm adjustment over the whole family to 1e-12. The key numbers are also asserted here, from that
// script's output, so a wrong golden file cannot pass.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStudy } from "../../src/pipeline.js";
import { buildResultsJson, type ResultsJson } from "../../src/report/results-json.js";
import { testContext } from "../helpers/study-fixture.js";

const caseDir = "test/cases/golden-basic";
const expectedPath = join(caseDir, "expected", "results.json");

async function produce(): Promise<ResultsJson> {
  const run = await runStudy(join(caseDir, "spec.yaml"), testContext(process.cwd()));
  const results = buildResultsJson(run);
  // The inputs hash covers the engine's own code, so it changes with every edit; its
  // behaviour is tested in test/living/rerun.test.ts.
  expect(results.provenance.inputsHash).toMatch(/^[0-9a-f]{64}$/);
  return { ...results, provenance: { ...results.provenance, inputsHash: "<sha256 of spec, data and engine>" } };
}

describe("golden case: golden-basic", () => {
  it("produces exactly the expected results.json", async () => {
    const results = await produce();
    const text = `${JSON.stringify(results, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(join(caseDir, "expected"), { recursive: true });
      writeFileSync(expectedPath, text);
    }
    expect(text).toBe(readFileSync(expectedPath, "utf8"));
  });

  it("agrees with scipy 1.10.1 on the means and tests (test/reference/golden_case.py)", async () => {
    const results = await produce();
    const get = (group: string, metric: string) => {
      const item = results.results.find((result) => result.group === group && result.metric === metric);
      if (item === undefined) throw new Error(`${group} ${metric} missing`);
      const test = (method: string) => item.tests.find((candidate) => candidate.method === method);
      return { item, welch: test("welch_t"), mwu: test("mann_whitney_u") };
    };
    const close = (actual: number | null | undefined, expected: number): void => {
      expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    };
    // Lazarus daily_loss {"pre_mean": 30104000.0, "post_mean": 700000.0, "welch_t": -0.9803597339784733,
    //   "welch_p": 0.3525104673425339, "mwu_u": 42.0, "mwu_p": 0.4843154541616741}
    const lazarus = get("Lazarus", "daily_loss");
    close(lazarus.item.pre.mean, 30104000.0);
    close(lazarus.item.post.mean, 700000.0);
    close(lazarus.welch?.statistic, -0.9803597339784733);
    close(lazarus.welch?.pValue, 0.3525104673425339);
    close(lazarus.mwu?.statistic, 42.0);
    close(lazarus.mwu?.pValue, 0.4843154541616741);
    // All daily_incidents {"pre_mean": 0.8, "post_mean": 0.7, "welch_t": -0.34188172937891415,
    //   "welch_p": 0.7364155939947264, "mwu_u": 45.5, "mwu_p": 0.7339899249173781}
    const all = get("All", "daily_incidents");
    close(all.item.pre.mean, 0.8);
    close(all.item.post.mean, 0.7);
    close(all.welch?.statistic, -0.34188172937891415);
    close(all.welch?.pValue, 0.7364155939947264);
    close(all.mwu?.statistic, 45.5);
    close(all.mwu?.pValue, 0.7339899249173781);
    // Lazarus daily_incidents {..., "segmented_p": 0.931697994016451, "rate_exact_p": 0.6875,
    //   "quasi_poisson_p": 0.3641198838708024, "quasi_poisson_rate_ratio": 0.5}
    //   (statsmodels: GLM Poisson HAC maxlags 3; test_poisson_2indep exact-cond; GLM Poisson scale='X2')
    const counts = get("Lazarus", "daily_incidents").item.tests;
    const pOf = (method: string) => counts.find((test) => test.method === method);
    close(pOf("segmented_regression")?.pValue, 0.931697994016451);
    close(pOf("rate_ratio_exact")?.pValue, 0.6875);
    close(pOf("rate_ratio_quasi_poisson")?.pValue, 0.3641198838708024);
    close(pOf("rate_ratio_quasi_poisson")?.effect?.estimate, 0.5);
    // Lazarus daily_loss segmented OLS HAC (maxlags 3) level change p = 0.38431699555066245
    close(lazarus.item.tests.find((test) => test.method === "segmented_regression")?.pValue, 0.38431699555066245);
    // Other daily_loss {"pre_mean": 33000.0, "post_mean": 122500.0, "welch_t": 1.2191674163371655,
    //   "welch_p": 0.24747593261266834, "mwu_u": 58.0, "mwu_p": 0.5058958819046655}
    const other = get("Other", "daily_loss");
    close(other.item.pre.mean, 33000.0);
    close(other.item.post.mean, 122500.0);
    close(other.welch?.statistic, 1.2191674163371655);
    close(other.welch?.pValue, 0.24747593261266834);
    close(other.mwu?.pValue, 0.5058958819046655);
  });
});
