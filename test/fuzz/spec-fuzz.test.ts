// Spec fuzzer, tier 1 (issue 7): >= 10,000 generated specs (mutations of valid ones, see
// arbitraries.ts) through reading, YAML parsing, `extends:`, the schema check and
// normalization (`loadStudySpec`). Each must load, or fail with an EventStudyError whose
// message reads as one, within 2 s. Whole studies are tier 2 (pipeline-fuzz.test.ts).
//
// Reproducible: the seed is printed; FUZZ_SEED=<n> reruns it (FUZZ_SEED=random explores),
// FUZZ_RUNS=<n> changes the count. A failing case is saved in test/fuzz/regressions/ and
// replayed first from then on.
import { mkdirSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadStudySpec } from "../../src/spec/load-spec.js";
import { PROJECT_ROOT } from "../cli/run-cli.js";
import { fuzzCase } from "./arbitraries.js";
import { checkFailure, fastTempDir, fuzzRuns, fuzzSeed, inputText, loadRegressions, materialize, saveRegression, type FuzzCase } from "./fuzz-case.js";

const SEED = fuzzSeed();
const RUNS = fuzzRuns("FUZZ_RUNS", 10_000);
/** Bound per case: loading a spec is milliseconds; seconds mean a runaway (an alias bomb, a backtracking pattern). */
const CASE_MS = 2_000;

const root = fastTempDir("eventstudy-fuzz-spec-");
/** One folder for every case (removing a folder per case took longer than loading the spec). */
const caseDir = join(root, "case");
mkdirSync(caseDir);
let previousFiles: string[] = [];
const outcomes = { loaded: 0, specError: 0, dataError: 0, outputError: 0 };

/** The property: returns what went wrong, or undefined. */
function check(fuzzCase: FuzzCase): string | undefined {
  for (const file of previousFiles) if (!(file in fuzzCase.files)) unlinkSync(join(caseDir, file));
  previousFiles = Object.keys(fuzzCase.files);
  const spec = materialize(fuzzCase, caseDir);
  const started = performance.now();
  let failure: string | undefined;
  try {
    loadStudySpec(spec, PROJECT_ROOT);
    outcomes.loaded += 1;
  } catch (error) {
    failure = checkFailure(error, inputText(fuzzCase));
    if (failure === undefined) {
      const code = (error as { exitCode: number }).exitCode;
      if (code === 2) outcomes.specError += 1;
      else if (code === 3) outcomes.dataError += 1;
      else outcomes.outputError += 1;
    }
  }
  const ms = performance.now() - started;
  return failure ?? (ms > CASE_MS ? `took ${ms.toFixed(0)} ms (bound ${CASE_MS} ms)` : undefined);
}

describe("spec fuzzer, tier 1: loading and validating generated specs", () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const regressions = loadRegressions("spec");
  for (const regression of regressions) {
    it(`regression ${regression.file}: ${regression.failure.split("\n")[0]?.slice(0, 100)}`, () => {
      expect(check(regression.case), regression.case.mutations.join("; ")).toBeUndefined();
    });
  }

  it(`${RUNS} generated specs load or fail with the engine's own error (seed ${SEED})`, () => {
    process.stderr.write(`spec fuzzer: seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} reproduces)\n`);
    const started = performance.now();
    const details = fc.check(
      fc.property(fuzzCase({ cheap: false }), (generated) => {
        const failure = check(generated);
        if (failure !== undefined) throw new Error(failure);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `spec fuzzer: ${details.numRuns} runs in ${seconds.toFixed(1)} s: ${outcomes.loaded} loaded, ${outcomes.specError} spec errors, ${outcomes.dataError} data errors, ${outcomes.outputError} output errors\n`,
    );
    if (details.failed && details.counterexample !== null) {
      const [counterexample] = details.counterexample;
      const file = saveRegression({ tier: "spec", seed: SEED, path: details.counterexamplePath ?? "", failure: String((details.errorInstance as Error)?.message ?? details.errorInstance), case: counterexample });
      expect.fail(`${fc.defaultReportMessage(details)}\nsaved as ${file}; mutations: ${counterexample.mutations.join("; ")}`);
    }
    expect(details.failed, details.failed ? fc.defaultReportMessage(details) : "").toBe(false);
    expect(details.numRuns).toBe(RUNS);
    // The generator reaches both sides: specs that load and specs that are refused.
    if (RUNS >= 1000) {
      expect(outcomes.loaded).toBeGreaterThan(RUNS * 0.02);
      expect(outcomes.specError).toBeGreaterThan(RUNS * 0.2);
    }
  }, 600_000);
});
