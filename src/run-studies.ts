/**
 * Runs studies and writes their reports: the library entry point the CLI calls.
 * One study's failure does not stop the others; the worst exit code wins.
 *
 * A study is a spec file with one or more cells (event x variant). Its report folder
 * `reports/<name>/` holds the main cell's report (with the table across cells and "what
 * moved" since the previous run), one sub-folder per other cell, `history.jsonl` and the
 * incident snapshot the next run compares with. The folder is replaced atomically, under a
 * per-study lock, so a failed or concurrent run never leaves a half-written report.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { EventStudyError, ExitCode, OutputError, type ExitCodeValue } from "./errors.js";
import { messages } from "./messages.js";
import { headlinesOf } from "./living/headlines.js";
import { appendHistory, HISTORY_FILE, readHistory, type HistoryEntry } from "./living/history.js";
import { studyInputs, type StudyInputs } from "./living/inputs-hash.js";
import { withStudyLock } from "./living/study-lock.js";
import type { CellSnapshot } from "./living/window-incidents.js";
import { whatMoved, type WhatMoved } from "./living/what-moved.js";
import type { StudyRun } from "./pipeline.js";
import type { CellOverview, ResultsJson } from "./report/results-json.js";
import { checkReportFolder, checkReportsFolder, writeReportFolder, type ReportFile } from "./report/write-report.js";
import type { RunContext } from "./run-context.js";
import { loadStudySpec } from "./spec/load-spec.js";
import type { StudySpec } from "./spec/normalized-spec.js";
import { formatDay } from "./util/days.js";

export const SNAPSHOT_FILE = "window-incidents.json";
export const CHANGES_FILE = "changes.json";
/**
 * The names the engine writes in a report folder and in each cell's sub-folder. Anything
 * else in a previous report (the user's notes) is carried over into the new one.
 */
export const REPORT_ENTRIES = ["index.html", "results.json", "results.csv", "summary.md", "charts", HISTORY_FILE, SNAPSHOT_FILE, CHANGES_FILE] as const;
/** How long a run waits for another run of the same study to finish writing. */
const LOCK_TIMEOUT_MS = 120_000;

export interface StudyOutcome {
  specFile: string;
  exitCode: ExitCodeValue;
  /** The report folder written (or found up to date). */
  reportDir?: string;
  error?: unknown;
  /** The main cell's run. */
  run?: StudyRun;
  /** Every cell's run, main first. */
  runs?: StudyRun[];
  study?: StudySpec;
  /** True when the report on disk already matches the spec, data and engine (nothing rerun). */
  unchanged?: boolean;
  /** What changed since the previous run (only for a study that ran). */
  moved?: WhatMoved;
}

export interface RunOptions {
  /** Rerun even when nothing changed. */
  force?: boolean;
  /** Told which cell is running, for a progress indicator. */
  onProgress?: (message: string) => void;
}

/** The specs in `analyses/`, sorted, when the user names none. */
export function defaultSpecFiles(projectRoot: string): string[] {
  const folder = join(projectRoot, "analyses");
  return readdirSync(folder)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => relative(process.cwd(), join(folder, file)) || join(folder, file));
}

/**
 * Runs one study and writes its report, unless `force` is off and the report on disk was
 * made from exactly the same spec files, data and engine (then it is `unchanged`).
 */
export async function runAndWrite(specFile: string, context: RunContext, reportsDir: string, options: RunOptions = {}): Promise<StudyOutcome> {
  try {
    const study = loadStudySpec(specFile, context.projectRoot);
    // A reports "folder" that is a file fails now, not after the whole study has run.
    checkReportsFolder(reportsDir);
    const reportDir = resolve(reportsDir, study.name);
    // A folder of that name that is not a report of this engine (the user's data/ under
    // --reports .) is refused now, before the study runs; writeReportFolder checks again.
    checkReportFolder(reportDir);
    checkReportIsThisSpecs(reportDir, specFile);
    const inputs = await studyInputs(study, context.engineVersion);
    if (options.force !== true && recordedInputsHash(reportDir) === inputs.hash) return { specFile, exitCode: ExitCode.ok, reportDir, study, unchanged: true };
    // DuckDB and vega take ~0.7 s to load: only a study that really runs pays for them.
    const { runCell } = await import("./pipeline.js");
    const runs: StudyRun[] = [];
    for (const cell of study.cells) {
      options.onProgress?.(`${study.name}: ${study.cells.length > 1 ? `cell ${cell.cell.index + 1}/${study.cells.length} (${cell.cell.id}): ` : ""}running`);
      const run = await runCell(cell, context).catch((error: unknown) => {
        // A spec with several events or variants: say which one failed, as the error may
        // hold in one variant only (its coverage, its groups) yet point at a shared line.
        if (study.cells.length > 1 && error instanceof EventStudyError) error.message += ` (in ${cellName(cell.cell)}, one of the ${study.cells.length} events and variants of this spec)`;
        throw error;
      });
      run.provenance.inputsHash = inputs.hash;
      // From the folder this cell's results.json goes in: the main cell's, or its own sub-folder.
      run.provenance.specFromReport = relative(cell.cell.index === 0 ? reportDir : join(reportDir, cell.cell.id), resolve(specFile));
      runs.push(run);
    }
    options.onProgress?.(`${study.name}: writing the report`);
    const moved = await withStudyLock(reportDir, LOCK_TIMEOUT_MS, async () => {
      const previous = readPreviousRun(reportDir);
      const { files, moved } = await renderStudyFiles(study, runs, inputs, previous, context);
      // The cells' sub-folders are the engine's: this run's and the previous run's (a variant
      // since removed from the spec); any other sub-folder is the user's and is kept whole.
      const cellFolders = [...study.cells.slice(1).map((cell) => cell.cell.id), ...(previous.last?.cells.slice(1).map((cell) => cell.id) ?? [])];
      writeReportFolder(reportDir, files, { engineEntries: REPORT_ENTRIES, cellFolders });
      return moved;
    });
    return { specFile, exitCode: ExitCode.ok, reportDir, run: runs[0], runs, study, moved };
  } catch (error) {
    return { specFile, exitCode: error instanceof EventStudyError ? error.exitCode : ExitCode.internal, error };
  }
}

/** `the event "Treaty"`, `the variant "SlowMist"` or both: how a cell is named in an error. */
function cellName(cell: { event: { label: string }; variant: { name: string } | null }): string {
  return cell.variant === null ? `the event "${cell.event.label}"` : `the event "${cell.event.label}", variant "${cell.variant.name}"`;
}

/** Whether a study's report is up to date with its inputs, without running anything. */
export async function checkStudy(specFile: string, context: RunContext, reportsDir: string): Promise<StudyOutcome & { stale?: boolean }> {
  try {
    const study = loadStudySpec(specFile, context.projectRoot);
    const reportDir = resolve(reportsDir, study.name);
    checkReportIsThisSpecs(reportDir, specFile);
    const inputs = await studyInputs(study, context.engineVersion);
    const stale = recordedInputsHash(reportDir) !== inputs.hash;
    return { specFile, exitCode: ExitCode.ok, reportDir, study, stale, unchanged: !stale };
  } catch (error) {
    return { specFile, exitCode: error instanceof EventStudyError ? error.exitCode : ExitCode.internal, error };
  }
}

interface PreviousRun {
  historyText: string;
  last: HistoryEntry | undefined;
  snapshots: Record<string, CellSnapshot> | undefined;
}

function readPreviousRun(reportDir: string): PreviousRun {
  const history = readHistory(reportDir);
  let snapshots: PreviousRun["snapshots"];
  try {
    snapshots = JSON.parse(readFileSync(join(reportDir, SNAPSHOT_FILE), "utf8")) as Record<string, CellSnapshot>;
  } catch {
    snapshots = undefined;
  }
  return { historyText: history.text, last: history.entries.at(-1), snapshots };
}

/** Every file of a study's report folder, built in memory; nothing is written here. */
async function renderStudyFiles(study: StudySpec, runs: readonly StudyRun[], inputs: StudyInputs, previous: PreviousRun, context: RunContext): Promise<{ files: ReportFile[]; moved: WhatMoved }> {
  const { buildResultsJson } = await import("./report/results-json.js");
  const cellResults = runs.map((run) => buildResultsJson(run));
  const entry: HistoryEntry = {
    runAt: context.now().toISOString(),
    engineVersion: context.engineVersion,
    inputsHash: inputs.hash,
    specFiles: inputs.specFiles,
    dataFiles: inputs.dataFiles,
    engine: inputs.engine,
    cells: runs.map((run, index) => ({
      id: run.spec.cell.id,
      event: { id: run.spec.cell.event.id, label: run.spec.cell.event.label, date: formatDay(run.spec.event.day) },
      variant: run.spec.cell.variant === null ? null : { id: run.spec.cell.variant.id, name: run.spec.cell.variant.name },
      headlines: headlinesOf(cellResults[index] as ResultsJson),
      incidents: { pre: sumCounts(run.snapshot.pre.counts), post: sumCounts(run.snapshot.post.counts) },
    })),
  };
  const snapshots = Object.fromEntries(runs.map((run) => [run.spec.cell.id, run.snapshot]));
  const moved = whatMoved(previous.last === undefined ? undefined : { entry: previous.last, snapshots: previous.snapshots }, { entry, snapshots });
  const files: ReportFile[] = [];
  const main = runs[0] as StudyRun;
  const cells = study.cells.length > 1 ? entry.cells.map((cell, index) => ({ ...cell, path: index === 0 ? "index.html" : `${cell.id}/index.html` })) : null;
  files.push(...(await renderCellFiles(main, cellResults[0] as ResultsJson, { cells, moved, study })));
  for (let index = 1; index < runs.length; index += 1) {
    const run = runs[index] as StudyRun;
    const cellFiles = await renderCellFiles(run, cellResults[index] as ResultsJson, { cells: null, moved: null, study, parent: true });
    files.push(...cellFiles.map((file) => ({ ...file, path: `${run.spec.cell.id}/${file.path}` })));
  }
  files.push({ path: HISTORY_FILE, content: appendHistory(previous.historyText, entry) });
  files.push({ path: SNAPSHOT_FILE, content: `${JSON.stringify(snapshots)}\n` });
  files.push({ path: CHANGES_FILE, content: `${JSON.stringify(moved, null, 2)}\n` });
  return { files, moved };
}

export interface StudyExtras {
  /** Every cell with its headlines, when the spec has more than one. */
  cells: CellOverview[] | null;
  moved: WhatMoved | null;
  study: StudySpec;
  /** True for a cell's report one folder below the main one. */
  parent?: boolean;
}

/** Builds every file of one cell's report in memory. */
export async function renderReportFiles(run: StudyRun, extras?: StudyExtras): Promise<ReportFile[]> {
  const { buildResultsJson } = await import("./report/results-json.js");
  return renderCellFiles(run, buildResultsJson(run), extras);
}

async function renderCellFiles(run: StudyRun, results: ResultsJson, extras?: StudyExtras): Promise<ReportFile[]> {
  const { buildCharts } = await import("./report/charts/index.js");
  const { acrossCellsChart } = await import("./report/charts/across-cells.js");
  const { renderReportHtml } = await import("./report/render-report.js");
  const { renderSvg } = await import("./report/render-svg.js");
  const { buildResultsCsv } = await import("./report/results-csv.js");
  const { buildSummaryMarkdown } = await import("./report/summary-md.js");
  const withCells: ResultsJson = extras?.cells === null || extras?.cells === undefined ? results : { ...results, cells: extras.cells };
  const charts = [...(extras?.cells ? [acrossCellsChart(extras.cells, run.spec.tests.bootstrap.confidence)] : []), ...buildCharts(run)];
  const rendered = [];
  for (const chart of charts) rendered.push({ chart, svg: await renderSvg(chart.spec) });
  const files: ReportFile[] = charts.map((chart) => ({ path: `charts/${chart.id}.vl.json`, content: `${JSON.stringify(chart.spec, null, 2)}\n` }));
  if (run.spec.output.formats.includes("json")) {
    files.push({ path: "results.json", content: `${JSON.stringify(withCells, null, 2)}\n` });
    files.push({ path: "results.csv", content: buildResultsCsv(results) });
    files.push({ path: "summary.md", content: buildSummaryMarkdown(withCells) });
  }
  const runSeconds = run.timings.reduce((total, lap) => total + lap.ms, 0) / 1000;
  if (run.spec.output.formats.includes("html")) {
    const sections = extras === undefined ? undefined : { moved: extras.moved, cellId: run.spec.cell.id, isSubReport: extras.parent === true, studyName: extras.study.name };
    files.push({ path: "index.html", content: renderReportHtml(withCells, rendered, runSeconds, sections) });
  }
  return files;
}

function sumCounts(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** The inputs hash in a report folder's results.json, if there is a readable one. */
function recordedInputsHash(reportDir: string): string | undefined {
  const hash = recordedProvenance(reportDir)?.inputsHash;
  return typeof hash === "string" ? hash : undefined;
}

type RecordedProvenance = { inputsHash?: unknown; specFile?: unknown; specFromReport?: unknown };

function recordedProvenance(reportDir: string): RecordedProvenance | undefined {
  try {
    return (JSON.parse(readFileSync(join(reportDir, "results.json"), "utf8")) as { provenance?: RecordedProvenance }).provenance;
  } catch {
    return undefined;
  }
}

/**
 * A report folder is named after its spec file, so a/study.yaml run today and b/study.yaml
 * run tomorrow would share one: the second would replace the first's report and write into
 * its history, whose "what moved" would then compare two different studies. The spec
 * recorded in the report's results.json must be this one, or no longer exist (a spec that
 * was moved or renamed keeps its report and history). It is found from the report folder
 * (`specFromReport`), so a run started from another folder finds the same file; a report
 * written before that field has only `specFile`, relative to the folder its run started
 * from, looked for from this one. Paths are compared as files, so the same spec named by
 * another relative path or through a link is the same spec.
 */
function checkReportIsThisSpecs(reportDir: string, specFile: string): void {
  const recorded = recordedProvenance(reportDir);
  const path = typeof recorded?.specFromReport === "string" ? resolve(reportDir, recorded.specFromReport) : typeof recorded?.specFile === "string" ? recorded.specFile : undefined;
  if (path === undefined) return;
  const recordedIdentity = fileIdentity(path);
  if (recordedIdentity === undefined || recordedIdentity === fileIdentity(specFile)) return;
  throw new OutputError(messages.reportOfAnotherSpec(reportDir, relative(process.cwd(), path) || path, specFile));
}

/** Device and inode: the same file under any path; undefined when there is none. */
function fileIdentity(path: string): string | undefined {
  try {
    const stats = statSync(path);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * `validate`: the spec (its keys, types and values), then what can be checked without
 * reading the data's rows: each data file is readable and has every column the spec names,
 * and an event or window outside a coverage the spec declares. What needs the rows (the
 * rows left out, a coverage inferred from the dates) is for `run`.
 */
export async function validateSpecFile(specFile: string, context: RunContext): Promise<StudyOutcome> {
  try {
    const study = loadStudySpec(specFile, context.projectRoot);
    const { checkColumnsExist, readDataColumns } = await import("./data/incident-table.js");
    const { clipWindows, resolveCoverage } = await import("./analysis/coverage.js");
    const { WarningList } = await import("./analysis/warnings.js");
    // Each file's header is read once; every cell's columns, groups and filters are checked
    // against it (a variant may keep the file and change its groups).
    const columnsByFile = new Map<string, Awaited<ReturnType<typeof readDataColumns>>>();
    for (const cell of study.cells) {
      try {
        if (cell.data.clickhouse === null) {
          const file = `${cell.data.format}:${cell.data.displayPath}`;
          const columns = columnsByFile.get(file) ?? (await readDataColumns(cell));
          columnsByFile.set(file, columns);
          checkColumnsExist(cell, columns);
        }
        const { start, end } = cell.coverage;
        // The extent stands in for the data's dates, which a declared coverage does not use.
        if (start !== null && end !== null) clipWindows(cell, resolveCoverage(cell, { first: start, last: end }, new WarningList()), new WarningList());
      } catch (error) {
        if (study.cells.length > 1 && error instanceof EventStudyError) error.message += ` (in ${cellName(cell.cell)}, one of the ${study.cells.length} events and variants of this spec)`;
        throw error;
      }
    }
    return { specFile, exitCode: ExitCode.ok, study };
  } catch (error) {
    return { specFile, exitCode: error instanceof EventStudyError ? error.exitCode : ExitCode.internal, error };
  }
}
