/**
 * "What moved" in words, one line per fact, for the terminal (`run`, `diff`) and the
 * report. Numbers use the report's formats; unchanged headlines are counted, not listed.
 */
import { formatP, formatPercent, formatRate, formatUsd } from "../text/format.js";
import { eventVariantTitle, METRIC_LABEL } from "../text/labels.js";
import type { IncidentKey } from "./window-incidents.js";
import { MOVED_FIELDS, type AddedHeadline, type CellMoves, type HeadlineValues, type MovedField, type NumberMove, type RemovedHeadline, type WhatMoved, type WindowMoves } from "./what-moved.js";

/** How many added or removed incidents are named per window before "and N more". */
const NAMED_INCIDENTS = 5;

const FIELD_LABEL: Record<MovedField, string> = {
  preMean: "pre mean",
  postMean: "post mean",
  change: "change",
  relative: "relative change",
  pValue: "p",
  adjustedPValue: "adjusted p",
  level: "evidence",
};

export function whatMovedLines(moved: WhatMoved): string[] {
  if (moved.previousRunAt === null) return ["first recorded run: nothing to compare with yet"];
  const lines = [`since the run of ${moved.previousRunAt}: ${inputsLine(moved)}`];
  const several = moved.cells.length > 1;
  for (const cell of moved.cells) {
    const prefix = several ? `[${eventVariantTitle(cell.event, cell.variant)}] ` : "";
    if (cell.isNew) {
      lines.push(`${prefix}new in this run (no earlier numbers to compare)`);
      continue;
    }
    for (const window of ["pre", "post"] as const) lines.push(...windowLines(cell.incidents[window], window).map((line) => `${prefix}${line}`));
    lines.push(...headlineLines(cell).map((line) => `${prefix}${line}`));
  }
  for (const id of moved.removedCells) lines.push(`[${id}] no longer in the spec`);
  return lines;
}

/** The headline numbers that moved, appeared or disappeared, then a count of the rest. */
function headlineLines(cell: CellMoves): string[] {
  const lines = [...cell.numbers.map(numberLine), ...cell.addedHeadlines.map(addedHeadlineLine), ...cell.removedHeadlines.map(removedHeadlineLine)];
  // "unchanged" alone only when no headline moved, appeared or disappeared: otherwise it would be false.
  if (lines.length === 0) return [`headline numbers unchanged (${cell.unchangedHeadlines})`];
  if (cell.unchangedHeadlines > 0) lines.push(`${cell.unchangedHeadlines} other headline(s) unchanged`);
  return lines;
}


function inputsLine(moved: WhatMoved): string {
  const parts = [
    ...moved.inputs.dataFiles.map((file) => `data ${file} changed`),
    ...moved.inputs.specFiles.map((file) => `spec ${file} changed`),
    ...(moved.inputs.engine ? ["engine changed"] : []),
  ];
  return parts.length === 0 ? "no input changed (rerun forced)" : parts.join("; ");
}

export function windowLines(moves: WindowMoves, window: "pre" | "post"): string[] {
  if (moves.countsOnly !== null) {
    const groups = [...new Set([...Object.keys(moves.countsOnly.before), ...Object.keys(moves.countsOnly.after)])].sort();
    const changed = groups.filter((group) => moves.countsOnly?.before[group] !== moves.countsOnly?.after[group]);
    return [`${window} window: incidents per group ${changed.map((group) => `${group} ${moves.countsOnly?.before[group] ?? 0} -> ${moves.countsOnly?.after[group] ?? 0}`).join(", ")} (too many to list one by one)`];
  }
  const lines: string[] = [];
  const describe = (verb: string, keys: readonly IncidentKey[]): void => {
    if (keys.length === 0) return;
    const named = keys.slice(0, NAMED_INCIDENTS).map(incidentText).join("; ");
    const more = keys.length > NAMED_INCIDENTS ? `; and ${keys.length - NAMED_INCIDENTS} more` : "";
    lines.push(`${window} window: ${keys.length} incident(s) ${verb}: ${named}${more}`);
  };
  describe("added", moves.added);
  describe("removed", moves.removed);
  return lines;
}

export function incidentText([date, group, name, amount]: IncidentKey): string {
  return `${date} ${name ?? "(unnamed)"} (${group ?? "no group"}, ${amount === null ? "amount unknown" : formatUsd(amount)})`;
}

export function numberLine(move: NumberMove): string {
  const format = (field: MovedField, value: number | string | null): string => fieldText(move.metric, field, value);
  const changes = move.changes.map((change) => `${FIELD_LABEL[change.field]} ${format(change.field, change.before)} -> ${format(change.field, change.after)}`);
  const verdict = move.verdictChanged ? " (VERDICT CHANGED)" : "";
  return `${move.subject} ${METRIC_LABEL[move.metric]}: ${changes.join(", ")}${verdict}`;
}

/** A headline the spec gained (a group or metric added), with its numbers. */
export function addedHeadlineLine(headline: AddedHeadline): string {
  return `${headline.subject} ${METRIC_LABEL[headline.metric]}: new headline: ${valuesText(headline.metric, headline.after)}`;
}

/** A headline the spec lost (a group or metric removed), with its numbers at the previous run. */
export function removedHeadlineLine(headline: RemovedHeadline): string {
  return `${headline.subject} ${METRIC_LABEL[headline.metric]}: no longer a headline; it was: ${valuesText(headline.metric, headline.before)}`;
}

function valuesText(metric: NumberMove["metric"], values: HeadlineValues): string {
  return MOVED_FIELDS.map((field) => `${FIELD_LABEL[field]} ${fieldText(metric, field, values[field])}`).join(", ");
}

function fieldText(metric: NumberMove["metric"], field: MovedField, value: number | string | null): string {
  if (value === null) return "n/a";
  if (typeof value === "string") return value;
  if (field === "pValue" || field === "adjustedPValue") return formatP(value);
  if (field === "relative") return formatPercent(value);
  return metric === "daily_loss" ? `${formatUsd(value)}/day` : `${formatRate(value)}/day`;
}
