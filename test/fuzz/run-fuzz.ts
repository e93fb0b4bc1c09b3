/**
 * Runs a tier's generated cases in a child process (fuzz-child.ts) and watches it: a case
 * that gets no answer within the hang bound, or a child that dies (a native crash, an
 * exit() deep in a library), is a failure like any other, reported with the case it was
 * running. A failing case is saved as a regression.
 */
import { fork } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildMessage } from "./fuzz-child.js";
import { fastTempDir, saveRegression, type FuzzCase, type Tier } from "./fuzz-case.js";
import type { Outcomes } from "./properties.js";

const CHILD = join(fileURLToPath(new URL(".", import.meta.url)), "fuzz-child.ts");
/** No answer for this long on one case is a hang (the per-case bounds are far below it). */
const HANG_MS: Record<Tier, number> = { spec: 20_000, pipeline: 90_000 };

export interface FuzzResult {
  numRuns: number;
  failed: boolean;
  failure: string | null;
  /** The failing (shrunk) case, or the case that hung or was running when the child died. */
  counterexample: FuzzCase | null;
  report: string;
  outcomes: Outcomes | null;
  seconds: number;
  /** The regression file written for a failure. */
  savedAs: string | null;
}

export interface FuzzOptions {
  /** Overrides the hang bound (the watchdog's own test). */
  hangMs?: number;
  /** Makes the child hang or die on its first case (the watchdog's own test); nothing is saved then. */
  selfTest?: "hang" | "die";
}

export function runFuzz(tier: Tier, seed: number, runs: number, options: FuzzOptions = {}): Promise<FuzzResult> {
  const folder = fastTempDir(`eventstudy-fuzz-${tier}-`);
  const started = performance.now();
  const hangMs = options.hangMs ?? HANG_MS[tier];
  const env = { ...process.env, FUZZ_SELF_TEST: options.selfTest ?? "" };
  const child = fork(CHILD, [tier, String(seed), String(runs), folder], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"], env });
  let lastCase: string | null = null;
  let lastCaseAt = performance.now();
  let done: Extract<ChildMessage, { kind: "done" }> | null = null;
  return new Promise((resolve, reject) => {
    let finished = false;
    const finish = (result: Omit<FuzzResult, "savedAs" | "seconds">): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      rmSync(folder, { recursive: true, force: true });
      const savedAs =
        result.failed && result.counterexample !== null && options.selfTest === undefined
          ? saveRegression({ tier, seed, path: done?.path ?? "", failure: result.failure ?? "", case: result.counterexample })
          : null;
      resolve({ ...result, savedAs, seconds: done?.seconds ?? (performance.now() - started) / 1000 });
    };
    const watchdog = setInterval(() => {
      if (done === null && performance.now() - lastCaseAt > hangMs) {
        child.kill("SIGKILL");
        const hung = lastCase === null ? null : (JSON.parse(lastCase) as FuzzCase);
        finish({ numRuns: 0, failed: true, failure: `hang: no answer within ${hangMs} ms`, counterexample: hung, report: "", outcomes: null });
      }
    }, Math.min(1_000, hangMs / 4));
    child.on("message", (message: ChildMessage) => {
      if (message.kind === "case") {
        lastCase = message.json;
        lastCaseAt = performance.now();
      } else {
        done = message;
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (done !== null) {
        finish({ numRuns: done.numRuns, failed: done.failed, failure: done.failure, counterexample: done.counterexample, report: done.report, outcomes: done.outcomes });
      } else {
        const running = lastCase === null ? null : (JSON.parse(lastCase) as FuzzCase);
        finish({ numRuns: 0, failed: true, failure: `the process died (exit code ${code}, signal ${signal}) while running a case`, counterexample: running, report: "", outcomes: null });
      }
    });
  });
}
