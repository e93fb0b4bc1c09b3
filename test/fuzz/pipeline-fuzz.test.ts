// Spec fuzzer, tier 2 (issue 7): generated specs and small datasets through the whole
// study, in process: `runAndWrite` (spec -> DuckDB -> statistics -> charts -> report folder),
// with cheap settings (99-299 permutations and resamples, no placebo dates, windows of at
// most 60 days) so a few hundred fit in `npm test`; the extreme values are tier 1's.
//
// The property: the study runs, or fails with an EventStudyError (exit 2-4), never anything
// else; within 30 s; and nothing is written outside the reports folder: the case's folder
// (spec, data, reports/) is compared before and after, and reports/ may only gain the
// study's own folder. Seed and count: FUZZ_SEED, FUZZ_PIPELINE_RUNS. A failing case is
// saved in test/fuzz/regressions/ and replayed first.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runAndWrite } from "../../src/run-studies.js";
import { defaultContext, silentLogger } from "../../src/run-context.js";
import { PROJECT_ROOT, snapshotTree } from "../cli/run-cli.js";
import { fuzzCase } from "./arbitraries.js";
import { checkFailure, fastTempDir, fuzzRuns, fuzzSeed, inputText, loadRegressions, materialize, saveRegression, type FuzzCase } from "./fuzz-case.js";

const SEED = fuzzSeed();
const RUNS = fuzzRuns("FUZZ_PIPELINE_RUNS", 150);
/** Bound per study: these take well under a second; 30 s means a runaway. */
const CASE_MS = 30_000;

const context = { ...defaultContext(PROJECT_ROOT, silentLogger), now: () => new Date("2026-01-01T00:00:00Z") };
const root = fastTempDir("eventstudy-fuzz-pipeline-");
let counter = 0;
const outcomes = { ran: 0, specError: 0, dataError: 0, outputError: 0 };

async function check(fuzzCase: FuzzCase): Promise<string | undefined> {
  const dir = join(root, String(counter++));
  mkdirSync(dir);
  const spec = materialize(fuzzCase, dir);
  const reports = join(dir, "reports");
  const before = snapshotTree(dir);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), CASE_MS);
  });
  const outcome = await Promise.race([runAndWrite(spec, context, reports, { force: true }), timeout]);
  clearTimeout(timer);
  const ms = performance.now() - started;
  if (outcome === "timeout") return `no answer within ${CASE_MS} ms`;
  let failure: string | undefined;
  if (outcome.error !== undefined) {
    failure = checkFailure(outcome.error, inputText(fuzzCase));
    const code = outcome.exitCode;
    if (failure === undefined) outcomes[code === 2 ? "specError" : code === 3 ? "dataError" : "outputError"] += 1;
  } else {
    outcomes.ran += 1;
  }
  // Nothing outside reports/ changed; reports/ holds at most the study's own folder.
  const after = snapshotTree(dir);
  const outside = Object.keys({ ...before, ...after }).filter((path) => !path.startsWith("reports/") && path !== "reports" && before[path] !== after[path]);
  if (outside.length > 0) failure ??= `files changed outside reports/: ${outside.join(", ")}`;
  let reportEntries: string[] = [];
  try {
    reportEntries = readdirSync(reports);
  } catch {
    // No reports folder: nothing was written.
  }
  const unexpected = reportEntries.filter((entry) => entry !== "spec");
  if (unexpected.length > 0) failure ??= `unexpected entries in reports/: ${unexpected.join(", ")}`;
  if (outcome.error === undefined && outcome.reportDir !== join(reports, "spec")) failure ??= `report written to ${outcome.reportDir}`;
  rmSync(dir, { recursive: true, force: true });
  return failure ?? (ms > CASE_MS ? `took ${ms.toFixed(0)} ms` : undefined);
}

describe("spec fuzzer, tier 2: whole studies on generated specs and data", () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const regression of loadRegressions("pipeline")) {
    it(`regression ${regression.file}: ${regression.failure.split("\n")[0]?.slice(0, 100)}`, async () => {
      expect(await check(regression.case), regression.case.mutations.join("; ")).toBeUndefined();
    }, 60_000);
  }

  it(`${RUNS} generated studies run or fail with the engine's own error, writing only inside reports/ (seed ${SEED})`, async () => {
    process.stderr.write(`pipeline fuzzer: seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_PIPELINE_RUNS=${RUNS} reproduces)\n`);
    const started = performance.now();
    const details = await fc.check(
      fc.asyncProperty(fuzzCase({ cheap: true }), async (generated) => {
        const failure = await check(generated);
        if (failure !== undefined) throw new Error(failure);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `pipeline fuzzer: ${details.numRuns} runs in ${seconds.toFixed(1)} s: ${outcomes.ran} ran, ${outcomes.specError} spec errors, ${outcomes.dataError} data errors, ${outcomes.outputError} output errors\n`,
    );
    if (details.failed && details.counterexample !== null) {
      const [counterexample] = details.counterexample;
      const file = saveRegression({ tier: "pipeline", seed: SEED, path: details.counterexamplePath ?? "", failure: String((details.errorInstance as Error)?.message ?? details.errorInstance), case: counterexample });
      expect.fail(`${fc.defaultReportMessage(details)}\nsaved as ${file}; mutations: ${counterexample.mutations.join("; ")}`);
    }
    expect(details.failed, details.failed ? fc.defaultReportMessage(details) : "").toBe(false);
    expect(details.numRuns).toBe(RUNS);
    // Both sides are reached: studies that run to the end, and inputs the data layer refuses.
    if (RUNS >= 100) {
      expect(outcomes.ran).toBeGreaterThan(RUNS * 0.05);
      expect(outcomes.dataError).toBeGreaterThan(0);
    }
  }, 900_000);
});
