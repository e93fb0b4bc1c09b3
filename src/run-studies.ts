/**
 * Runs studies and writes their reports: the library entry point the CLI calls.
 * One study's failure does not stop the others; the worst exit code wins.
 */
import { readdirSync, readFileSync } from "node:fs";
import { inputsHash } from "./living/inputs-hash.js";
import { sha256File } from "./util/hash.js";
import { join, relative, resolve } from "node:path";
import { EventStudyError, ExitCode, type ExitCodeValue } from "./errors.js";
import type { StudyRun } from "./pipeline.js";
import { writeReportFolder, type ReportFile } from "./report/write-report.js";
import type { RunContext } from "./run-context.js";
import { loadSpec } from "./spec/load-spec.js";

export interface StudyOutcome {
  specFile: string;
  exitCode: ExitCodeValue;
  /** The report folder written, when the study succeeded. */
  reportDir?: string;
  error?: unknown;
  run?: StudyRun;
  /** True when the report on disk already matches the spec, data and engine (nothing rerun). */
  unchanged?: boolean;
}

/** The specs in `analyses/`, sorted, when the user names none. */
export function defaultSpecFiles(projectRoot: string): string[] {
  const folder = join(projectRoot, "analyses");
  return readdirSync(folder)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => relative(process.cwd(), join(folder, file)) || join(folder, file));
}

/** Builds every file of one report in memory; nothing is written here. */
export async function renderReportFiles(run: StudyRun): Promise<ReportFile[]> {
  const { buildCharts } = await import("./report/charts/index.js");
  const { renderReportHtml } = await import("./report/render-report.js");
  const { renderSvg } = await import("./report/render-svg.js");
  const { buildResultsCsv } = await import("./report/results-csv.js");
  const { buildResultsJson } = await import("./report/results-json.js");
  const { buildSummaryMarkdown } = await import("./report/summary-md.js");
  const results = buildResultsJson(run);
  const charts = buildCharts(run);
  const rendered = [];
  for (const chart of charts) rendered.push({ chart, svg: await renderSvg(chart.spec) });
  const files: ReportFile[] = charts.map((chart) => ({ path: `charts/${chart.id}.vl.json`, content: `${JSON.stringify(chart.spec, null, 2)}\n` }));
  if (run.spec.output.formats.includes("json")) {
    files.push({ path: "results.json", content: `${JSON.stringify(results, null, 2)}\n` });
    files.push({ path: "results.csv", content: buildResultsCsv(results) });
    files.push({ path: "summary.md", content: buildSummaryMarkdown(results) });
  }
  const runSeconds = run.timings.reduce((total, lap) => total + lap.ms, 0) / 1000;
  if (run.spec.output.formats.includes("html")) files.push({ path: "index.html", content: renderReportHtml(results, rendered, runSeconds) });
  return files;
}

/**
 * Runs one study and writes its report, unless `force` is false and the report on disk was
 * made from exactly the same spec, data and engine (then it is `unchanged`).
 */
export async function runAndWrite(specFile: string, context: RunContext, reportsDir: string, force = true): Promise<StudyOutcome> {
  try {
    if (!force) {
      const spec = loadSpec(specFile, context.projectRoot);
      const reportDir = resolve(reportsDir, spec.name);
      const current = inputsHash(spec, await sha256File(spec.data.path), context.engineVersion);
      if (recordedInputsHash(reportDir) === current) return { specFile, exitCode: ExitCode.ok, reportDir, unchanged: true };
    }
    // DuckDB and vega take ~0.7 s to load: only a study that really runs pays for them.
    const { runStudy } = await import("./pipeline.js");
    const run = await runStudy(specFile, context);
    const files = await renderReportFiles(run);
    const reportDir = resolve(reportsDir, run.spec.name);
    writeReportFolder(reportDir, files);
    return { specFile, exitCode: ExitCode.ok, reportDir, run };
  } catch (error) {
    return { specFile, exitCode: error instanceof EventStudyError ? error.exitCode : ExitCode.internal, error };
  }
}

/** The inputs hash in a report folder's results.json, if there is a readable one. */
function recordedInputsHash(reportDir: string): string | undefined {
  try {
    const results = JSON.parse(readFileSync(join(reportDir, "results.json"), "utf8")) as { provenance?: { inputsHash?: unknown } };
    return typeof results.provenance?.inputsHash === "string" ? results.provenance.inputsHash : undefined;
  } catch {
    return undefined;
  }
}

export function validateSpecFile(specFile: string, context: RunContext): StudyOutcome {
  try {
    loadSpec(specFile, context.projectRoot);
    return { specFile, exitCode: ExitCode.ok };
  } catch (error) {
    return { specFile, exitCode: error instanceof EventStudyError ? error.exitCode : ExitCode.internal, error };
  }
}
