/**
 * The fuzzer's two properties, one per tier, each returning what went wrong with a case (or
 * undefined): tier "spec" loads the spec (`loadStudySpec`), tier "pipeline" runs the whole
 * study and writes its report (`runAndWrite`). Used in the test process (to replay saved
 * regressions) and in the child process that runs the generated cases (fuzz-child.ts).
 */
import { mkdirSync, readdirSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { runAndWrite } from "../../src/run-studies.js";
import { defaultContext, silentLogger } from "../../src/run-context.js";
import { loadStudySpec } from "../../src/spec/load-spec.js";
import { PROJECT_ROOT, snapshotTree } from "../cli/run-cli.js";
import { parse } from "yaml";
import { JS_PROPERTY_NAMES } from "./arbitraries.js";
import { checkFailure, inputText, materialize, type FuzzCase, type Tier } from "./fuzz-case.js";

/** Bounds per case: a spec loads in milliseconds, a small study in about a second. */
export const CASE_MS: Record<Tier, number> = { spec: 2_000, pipeline: 30_000 };

export interface Outcomes {
  ok: number;
  specError: number;
  dataError: number;
  outputError: number;
}

export function newOutcomes(): Outcomes {
  return { ok: 0, specError: 0, dataError: 0, outputError: 0 };
}

function count(outcomes: Outcomes, exitCode: number): void {
  if (exitCode === 2) outcomes.specError += 1;
  else if (exitCode === 3) outcomes.dataError += 1;
  else outcomes.outputError += 1;
}

/** Tier 1. `dir` is reused from case to case (writing a folder per case costs more than the check). */
export function makeSpecCheck(dir: string, outcomes: Outcomes): (fuzzCase: FuzzCase) => string | undefined {
  mkdirSync(dir, { recursive: true });
  let previousFiles: string[] = [];
  return (fuzzCase) => {
    for (const file of previousFiles) if (!(file in fuzzCase.files)) unlinkSync(join(dir, file));
    previousFiles = Object.keys(fuzzCase.files);
    const spec = materialize(fuzzCase, dir);
    const started = performance.now();
    let failure: string | undefined;
    try {
      loadStudySpec(spec, PROJECT_ROOT);
      outcomes.ok += 1;
      // No spec key is named like a JavaScript property: a spec holding one must not load.
      const sneaky = jsPropertyKey(fuzzCase);
      if (sneaky !== undefined) failure = `loaded although it has the key ${sneaky}, which the schema does not know`;
    } catch (error) {
      failure = checkFailure(error, inputText(fuzzCase));
      if (failure === undefined) count(outcomes, (error as { exitCode: number }).exitCode);
    }
    const ms = performance.now() - started;
    return failure ?? (ms > CASE_MS.spec ? `took ${ms.toFixed(0)} ms (bound ${CASE_MS.spec} ms)` : undefined);
  };
}

/** The path of a key named like a JavaScript property (outside column conditions, which take any name), if a YAML file of the case has one. */
function jsPropertyKey(fuzzCase: FuzzCase): string | undefined {
  const visit = (value: unknown, path: string): string | undefined => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = visit(item, `${path}[${index}]`);
        if (found !== undefined) return found;
      }
    } else if (value !== null && typeof value === "object") {
      const columnMap = /(^|\.)(where|include|exclude)$/.test(path);
      for (const key of Object.keys(value)) {
        if (!columnMap && JS_PROPERTY_NAMES.includes(key)) return `${path === "" ? "" : `${path}.`}${key}`;
        const found = visit((value as Record<string, unknown>)[key], path === "" ? key : `${path}.${key}`);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  for (const [file, content] of Object.entries(fuzzCase.files)) {
    if (!file.endsWith(".yaml") || typeof content !== "string") continue;
    try {
      const found = visit(parse(content, { logLevel: "silent" }), "");
      if (found !== undefined) return `${file}: ${found}`;
    } catch {
      // Not YAML: the engine refuses it anyway.
    }
  }
  return undefined;
}

/**
 * Tier 2: the study runs or fails with the engine's own error, within the bound, and
 * nothing changes outside reports/ (which may only gain the study's own folder).
 */
export function makePipelineCheck(root: string, outcomes: Outcomes): (fuzzCase: FuzzCase) => Promise<string | undefined> {
  const context = { ...defaultContext(PROJECT_ROOT, silentLogger), now: () => new Date("2026-01-01T00:00:00Z") };
  let counter = 0;
  return async (fuzzCase) => {
    const dir = join(root, String(counter++));
    mkdirSync(dir, { recursive: true });
    const spec = materialize(fuzzCase, dir);
    const reports = join(dir, "reports");
    const before = snapshotTree(dir);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), CASE_MS.pipeline);
    });
    const outcome = await Promise.race([runAndWrite(spec, context, reports, { force: true }), timeout]);
    clearTimeout(timer);
    const ms = performance.now() - started;
    if (outcome === "timeout") return `no answer within ${CASE_MS.pipeline} ms`;
    let failure: string | undefined;
    if (outcome.error !== undefined) {
      failure = checkFailure(outcome.error, inputText(fuzzCase));
      if (failure === undefined) count(outcomes, outcome.exitCode);
    } else {
      outcomes.ok += 1;
    }
    const after = snapshotTree(dir);
    const outside = Object.keys({ ...before, ...after }).filter((path) => !path.startsWith("reports/") && before[path] !== after[path]);
    if (outside.length > 0) failure ??= `files changed outside reports/: ${outside.join(", ")}`;
    let entries: string[] = [];
    try {
      entries = readdirSync(reports);
    } catch {
      // No reports folder: nothing was written.
    }
    const unexpected = entries.filter((entry) => entry !== "spec");
    if (unexpected.length > 0) failure ??= `unexpected entries in reports/: ${unexpected.join(", ")}`;
    if (outcome.error === undefined && outcome.reportDir !== join(reports, "spec")) failure ??= `report written to ${outcome.reportDir}`;
    rmSync(dir, { recursive: true, force: true });
    return failure ?? (ms > CASE_MS.pipeline ? `took ${ms.toFixed(0)} ms (bound ${CASE_MS.pipeline} ms)` : undefined);
  };
}
