// Spec fuzzer, tier 1 (issue 7): >= 10,000 generated specs (mutations of valid ones, see
// arbitraries.ts) through reading, YAML parsing, `extends:`, the schema check and
// normalization (`loadStudySpec`). Each must load, or fail with an EventStudyError whose
// message reads as one, within 2 s; the cases run in a child process that is stopped when
// one gets no answer for 20 s (a hang) and reported if it dies. Whole studies are tier 2
// (pipeline-fuzz.test.ts).
//
// Reproducible: the seed is printed; FUZZ_SEED=<n> reruns it (FUZZ_SEED=random explores),
// FUZZ_RUNS=<n> changes the count. A failing case is saved in test/fuzz/regressions/ and
// replayed first from then on.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fastTempDir, fuzzRuns, fuzzSeed, loadRegressions } from "./fuzz-case.js";
import { makeSpecCheck, newOutcomes } from "./properties.js";
import { runFuzz } from "./run-fuzz.js";

const SEED = fuzzSeed();
const RUNS = fuzzRuns("FUZZ_RUNS", 10_000);

describe("spec fuzzer, tier 1: loading and validating generated specs", () => {
  const replayDir = fastTempDir("eventstudy-fuzz-replay-");
  afterAll(() => rmSync(replayDir, { recursive: true, force: true }));
  const check = makeSpecCheck(join(replayDir, "case"), newOutcomes());

  for (const regression of loadRegressions("spec")) {
    it(`regression ${regression.file}: ${regression.failure.split("\n")[0]?.slice(0, 100)}`, () => {
      expect(check(regression.case), regression.case.mutations.join("; ")).toBeUndefined();
    });
  }

  it("the watchdog reports a case that hangs, and one during which the process dies, with the case", async () => {
    const hang = await runFuzz("spec", SEED, 10, { selfTest: "hang", hangMs: 3_000 });
    expect(hang).toMatchObject({ failed: true, failure: "hang: no answer within 3000 ms", savedAs: null });
    expect(hang.counterexample?.spec).toBe("spec.yaml");
    const died = await runFuzz("spec", SEED, 10, { selfTest: "die" });
    expect(died).toMatchObject({ failed: true, failure: "the process died (exit code 7, signal null) while running a case", savedAs: null });
    expect(died.counterexample?.spec).toBe("spec.yaml");
  }, 60_000);

  it(`${RUNS} generated specs load or fail with the engine's own error (seed ${SEED})`, async () => {
    process.stderr.write(`spec fuzzer: seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} reproduces)\n`);
    const result = await runFuzz("spec", SEED, RUNS);
    const outcomes = result.outcomes;
    process.stderr.write(
      `spec fuzzer: ${result.numRuns} runs in ${result.seconds.toFixed(1)} s` +
        (outcomes === null ? "\n" : `: ${outcomes.ok} loaded, ${outcomes.specError} spec errors, ${outcomes.dataError} data errors, ${outcomes.outputError} output errors\n`),
    );
    if (result.failed) {
      expect.fail(`${result.failure}\n${result.report}\nsaved as ${result.savedAs}; mutations: ${result.counterexample?.mutations.join("; ")}`);
    }
    expect(result.numRuns).toBe(RUNS);
    // The generator reaches both sides: specs that load and specs that are refused.
    if (outcomes !== null && RUNS >= 1000) {
      expect(outcomes.ok).toBeGreaterThan(RUNS * 0.02);
      expect(outcomes.specError).toBeGreaterThan(RUNS * 0.2);
    }
  }, 900_000);
});
