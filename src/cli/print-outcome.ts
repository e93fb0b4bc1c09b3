/**
 * What `run` prints for each study: where the report went, one line per headline number
 * (per cell when a spec has several), and what moved since the previous run. Also the
 * `--json` form of the same, and the failure message of a study that did not run.
 */
import { relative } from "node:path";
import { EventStudyError } from "../errors.js";
import { headlinesOf, type Headline } from "../living/headlines.js";
import { whatMovedLines } from "../living/what-moved-text.js";
import { buildResultsJson } from "../report/results-json.js";
import { formatRate, formatUsd, percentDigits } from "../text/format.js";
import { cellCountLabel } from "../text/labels.js";
import { oneLine } from "../text/one-line.js";
import type { StudyOutcome } from "../run-studies.js";

export function failureText(outcome: StudyOutcome, debug: boolean): string {
  const error = outcome.error;
  if (error instanceof EventStudyError) return `error: ${error.message}\n${debug && error.stack !== undefined ? `${error.stack}\n` : ""}`;
  const message = `error: ${outcome.specFile}: internal error: ${(error as Error)?.message ?? String(error)}\n`;
  return message + (debug ? `${(error as Error)?.stack ?? ""}\n` : "(this is a bug in eventstudy; run with --debug for the stack trace)\n");
}

export function outcomeLines(outcome: StudyOutcome, projectRoot: string): string[] {
  const report = outcome.reportDir === undefined ? "" : `${relative(projectRoot, outcome.reportDir) || outcome.reportDir}/index.html`;
  if (outcome.unchanged === true) return [`${outcome.specFile}: unchanged since the last run (${report}); --force reruns it`];
  const runs = outcome.runs ?? [];
  // Counted as printed: a warning shared by several events and variants is one (warningLines).
  const warnings = new Set(runs.flatMap((run) => run.warnings.map((warning) => warning.message))).size;
  const lines = [`${outcome.specFile} -> ${report} (${runs.length > 1 ? `${cellCountLabel(runs.map((run) => run.spec.cell))}, ` : ""}${warnings} warning(s))`];
  for (const run of runs) {
    const prefix = runs.length > 1 ? `[${run.spec.cell.id}] ` : "";
    for (const headline of headlinesOf(buildResultsJson(run))) lines.push(`  ${prefix}${headlineText(headline)}`);
  }
  if (outcome.moved !== undefined) lines.push(...whatMovedLines(outcome.moved).map((line, index) => (index === 0 ? `  what moved: ${line}` : `    ${line}`)));
  return lines.map(oneLine);
}

export function headlineText(headline: Headline): string {
  // Per day, as the report writes it (a loss in dollars, a rate in incidents), signed like a percentage.
  const perDay = (value: number): string => `${value > 0 ? "+" : ""}${headline.metric === "daily_loss" ? formatUsd(value) : `${formatRate(value)} incidents`}/day`;
  const change = headline.relative === null || headline.kind === "did" ? perDay(headline.change) : `${headline.relative > 0 ? "+" : ""}${percentDigits(headline.relative)}%`;
  const p = (value: number | null): string => (value === null ? "n/a" : value.toPrecision(3));
  return `${headline.subject} ${headline.metric}: ${change}; ${headline.primaryMethod} p=${p(headline.pValue)} (adjusted ${p(headline.adjustedPValue)}); evidence: ${headline.level ?? "n/a"}`;
}

/**
 * Each warning once: the events and variants of a spec often read the same data, and the
 * same warning (rows left out, unknown amounts) printed once per cell buries the others.
 * A warning of some cells only names them; one of every cell names none.
 */
export function warningLines(specFile: string, runs: ReadonlyArray<{ spec: { cell: { id: string } }; warnings: ReadonlyArray<{ message: string }> }>): string[] {
  const cellsByMessage = new Map<string, string[]>();
  for (const run of runs) {
    for (const warning of run.warnings) {
      const cells = cellsByMessage.get(warning.message) ?? [];
      if (!cells.includes(run.spec.cell.id)) cells.push(run.spec.cell.id);
      cellsByMessage.set(warning.message, cells);
    }
  }
  return [...cellsByMessage].map(([message, cells]) => oneLine(`${specFile}${runs.length > 1 && cells.length < runs.length ? ` [${cells.join(", ")}]` : ""}: ${message}`));
}

/** The `--json` document for one study: plain data, stable keys. */
export function outcomeJson(outcome: StudyOutcome & { stale?: boolean }, projectRoot: string): Record<string, unknown> {
  const status = outcome.error !== undefined ? "failed" : outcome.stale === true ? "stale" : outcome.unchanged === true ? "unchanged" : outcome.runs === undefined ? "up-to-date" : "ran";
  return {
    spec: outcome.specFile,
    status,
    exitCode: outcome.exitCode,
    report: outcome.reportDir === undefined ? null : relative(projectRoot, outcome.reportDir) || outcome.reportDir,
    error: outcome.error === undefined ? null : outcome.error instanceof EventStudyError ? outcome.error.message : String((outcome.error as Error)?.message ?? outcome.error),
    cells: (outcome.runs ?? []).map((run) => ({ id: run.spec.cell.id, event: run.spec.cell.event.label, variant: run.spec.cell.variant?.name ?? null, warnings: run.warnings.length, headlines: headlinesOf(buildResultsJson(run)) })),
    whatMoved: outcome.moved ?? null,
  };
}
