/**
 * What the spec fuzzer generates and checks (issue 7). A case is a small folder: a spec
 * (sometimes split over two files with `extends:`), a data file, maybe raw bytes. The
 * property, whatever the case: the engine succeeds, or fails with one of its own error
 * types (an EventStudyError, exit code 2-4), never anything else; within a time bound; and
 * it writes nothing outside the reports folder.
 *
 * A case that breaks the property is saved under test/fuzz/regressions/ as JSON, and every
 * fuzz run replays those first.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EventStudyError, ExitCode } from "../../src/errors.js";

export interface FuzzCase {
  /** Relative path -> text, or raw bytes as `{ base64 }`. */
  files: Record<string, string | { base64: string }>;
  /** The spec the engine is given (a key of `files`). */
  spec: string;
  /** What was done to the valid case it started from, in order (to read a failure). */
  mutations: string[];
}

export type Tier = "spec" | "pipeline";

export interface Regression {
  tier: Tier;
  /** The run that found it: FUZZ_SEED and the counterexample's path in that run. */
  seed: number;
  path: string;
  /** What went wrong. */
  failure: string;
  case: FuzzCase;
}

export const REGRESSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "regressions");

/**
 * A temporary folder in memory (/dev/shm) when there is one: the fuzzer writes three small
 * files per case, and on a disk that took longer than the engine's work. The caller
 * removes it.
 */
export function fastTempDir(prefix: string): string {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return mkdtempSync(join("/dev/shm", prefix));
  } catch {
    return mkdtempSync(join(tmpdir(), prefix));
  }
}

/** Writes a case's files into `dir` (which must exist or will be created). */
export function materialize(fuzzCase: FuzzCase, dir: string): string {
  for (const [path, content] of Object.entries(fuzzCase.files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, typeof content === "string" ? content : Buffer.from(content.base64, "base64"));
  }
  return join(dir, fuzzCase.spec);
}

/**
 * What the property allows of a failure: an EventStudyError with a user-facing exit code
 * and a message that reads as one (no "[object Object]", no "undefined" that the input did
 * not contain, no stack trace).
 */
export function checkFailure(error: unknown, input: string): string | undefined {
  if (!(error instanceof EventStudyError)) {
    return `not an EventStudyError: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error)}`;
  }
  const allowed: number[] = [ExitCode.invalidSpec, ExitCode.badData, ExitCode.output];
  if (!allowed.includes(error.exitCode)) return `exit code ${error.exitCode}: ${error.message}`;
  if (error.message.trim() === "") return "an empty message";
  if (error.message.includes("[object Object]")) return `a message with [object Object]: ${error.message}`;
  if (/\bundefined\b/.test(error.message) && !input.includes("undefined")) return `a message with "undefined": ${error.message}`;
  if (/\n\s+at .*:\d+:\d+\)?$/m.test(error.message)) return `a message with a stack trace: ${error.message}`;
  return undefined;
}

/** Everything a case's files hold, as text, for checkFailure's "did the input say that" test. */
export function inputText(fuzzCase: FuzzCase): string {
  return Object.values(fuzzCase.files)
    .map((content) => (typeof content === "string" ? content : Buffer.from(content.base64, "base64").toString("latin1")))
    .join("\n");
}

/** Saves a failing case so the next run replays it first; returns the file written. */
export function saveRegression(regression: Regression): string {
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const id = createHash("sha256").update(JSON.stringify(regression.case)).digest("hex").slice(0, 12);
  const file = join(REGRESSIONS_DIR, `${regression.tier}-${id}.json`);
  writeFileSync(file, `${JSON.stringify(regression, null, 2)}\n`);
  return file;
}

export function loadRegressions(tier: Tier): Array<Regression & { file: string }> {
  let names: string[];
  try {
    names = readdirSync(REGRESSIONS_DIR).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return names
    .map((name) => ({ ...(JSON.parse(readFileSync(join(REGRESSIONS_DIR, name), "utf8")) as Regression), file: name }))
    .filter((regression) => regression.tier === tier);
}

/** FUZZ_SEED (a number, or "random"); a fixed default so `npm test` is the same run every time. */
export function fuzzSeed(): number {
  const text = process.env.FUZZ_SEED;
  if (text === undefined || text === "") return 20240619;
  if (text === "random") return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(text)}`);
  return seed;
}

export function fuzzRuns(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined || text === "") return fallback;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 0) throw new Error(`${variable} must be a whole number, not ${JSON.stringify(text)}`);
  return runs;
}
