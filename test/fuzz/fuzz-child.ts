/**
 * Runs one tier's generated cases in a child process, so the test process can stop it when
 * a case hangs (a loop that never yields cannot be timed out from inside) or notice when it
 * dies: before each case it sends the case to the parent, which keeps the last one.
 *
 * Usage (run-fuzz.ts does this): node --import tsx test/fuzz/fuzz-child.ts <tier> <seed> <runs> <folder>
 */
import fc from "fast-check";
import { rmSync } from "node:fs";
import { fuzzCase } from "./arbitraries.js";
import type { FuzzCase, Tier } from "./fuzz-case.js";
import { makePipelineCheck, makeSpecCheck, newOutcomes, type Outcomes } from "./properties.js";

export type ChildMessage =
  | { kind: "case"; json: string }
  | { kind: "done"; numRuns: number; failed: boolean; counterexample: FuzzCase | null; failure: string | null; path: string | null; report: string; outcomes: Outcomes; seconds: number };

const [tier, seedText, runsText, folder] = process.argv.slice(2) as [Tier, string, string, string];
const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    process.send?.(message, undefined, undefined, (error) => (error === null ? resolve() : reject(error)));
  });

const outcomes = newOutcomes();
/** The watchdog's own test (run-fuzz.ts): hang, or die, on the first case. */
const selfTest = (): void => {
  if (process.env.FUZZ_SELF_TEST === "die") process.exit(7);
  if (process.env.FUZZ_SELF_TEST === "hang") for (;;);
};
const started = performance.now();
const parameters = { seed: Number(seedText), numRuns: Number(runsText) };
let details: fc.RunDetails<[FuzzCase]>;
if (tier === "spec") {
  const check = makeSpecCheck(folder, outcomes);
  details = fc.check(
    fc.property(fuzzCase({ cheap: false }), (generated) => {
      process.send?.({ kind: "case", json: JSON.stringify(generated) } satisfies ChildMessage);
      selfTest();
      const failure = check(generated);
      if (failure !== undefined) throw new Error(failure);
    }),
    parameters,
  );
} else {
  const check = makePipelineCheck(folder, outcomes);
  details = await fc.check(
    fc.asyncProperty(fuzzCase({ cheap: true }), async (generated) => {
      await send({ kind: "case", json: JSON.stringify(generated) });
      selfTest();
      const failure = await check(generated);
      if (failure !== undefined) throw new Error(failure);
    }),
    parameters,
  );
}
rmSync(folder, { recursive: true, force: true });
await send({
  kind: "done",
  numRuns: details.numRuns,
  failed: details.failed,
  counterexample: details.counterexample?.[0] ?? null,
  failure: details.failed ? String((details.errorInstance as Error)?.message ?? details.errorInstance) : null,
  path: details.counterexamplePath,
  report: details.failed ? fc.defaultReportMessage(details) ?? "" : "",
  outcomes,
  seconds: (performance.now() - started) / 1000,
});
process.disconnect?.();
