// Spec fuzzer, tier 2 (issue 7): generated specs and small datasets through the whole
// study: `runAndWrite` (spec -> DuckDB -> statistics -> charts -> report folder), with
// cheap settings (99-299 permutations and resamples, no placebo dates, windows of at most
// 60 days, fewer spec mutations and more data mutations) so 200 fit in `npm test`;
// the extreme values are tier 1's.
//
// The property: the study runs, or fails with an EventStudyError (exit 2-4), never anything
// else; within 30 s (the cases run in a child process, stopped after 90 s without an
// answer); and nothing is written outside the reports folder: the case's folder (spec,
// data, reports/) is compared before and after, and reports/ may only gain the study's own
// folder. Seed and count: FUZZ_SEED, FUZZ_PIPELINE_RUNS. A failing case is saved in
// test/fuzz/regressions/ and replayed first.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { fastTempDir, fuzzRuns, fuzzSeed, loadRegressions } from "./fuzz-case.js";
import { makePipelineCheck, newOutcomes } from "./properties.js";
import { runFuzz } from "./run-fuzz.js";

const SEED = fuzzSeed();
const RUNS = fuzzRuns("FUZZ_PIPELINE_RUNS", 200);

describe("spec fuzzer, tier 2: whole studies on generated specs and data", () => {
  const replayDir = fastTempDir("eventstudy-fuzz-replay-");
  afterAll(() => rmSync(replayDir, { recursive: true, force: true }));
  const check = makePipelineCheck(replayDir, newOutcomes());

  for (const regression of loadRegressions("pipeline")) {
    it(`regression ${regression.file}: ${regression.failure.split("\n")[0]?.slice(0, 100)}`, async () => {
      expect(await check(regression.case), regression.case.mutations.join("; ")).toBeUndefined();
    }, 60_000);
  }

  it(`${RUNS} generated studies run or fail with the engine's own error, writing only inside reports/ (seed ${SEED})`, async () => {
    process.stderr.write(`pipeline fuzzer: seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_PIPELINE_RUNS=${RUNS} reproduces)\n`);
    const result = await runFuzz("pipeline", SEED, RUNS);
    const outcomes = result.outcomes;
    process.stderr.write(
      `pipeline fuzzer: ${result.numRuns} runs in ${result.seconds.toFixed(1)} s` +
        (outcomes === null ? "\n" : `: ${outcomes.ok} ran, ${outcomes.specError} spec errors, ${outcomes.dataError} data errors, ${outcomes.outputError} output errors\n`),
    );
    if (result.failed) {
      expect.fail(`${result.failure}\n${result.report}\nsaved as ${result.savedAs}; mutations: ${result.counterexample?.mutations.join("; ")}`);
    }
    expect(result.numRuns).toBe(RUNS);
    // Both sides are reached: studies that run to the end, and inputs the data layer refuses.
    if (outcomes !== null && RUNS >= 100) {
      expect(outcomes.ok).toBeGreaterThan(RUNS * 0.05);
      expect(outcomes.dataError).toBeGreaterThan(0);
    }
  }, 1_800_000);
});
