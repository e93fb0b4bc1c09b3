/**
 * What changed since the previous run of a study: which inputs changed, which incidents
 * entered or left each window, each headline number before -> after (means, change,
 * p-values, evidence level), and the headlines a spec edit added or removed. Built from
 * the previous run's history line and incident snapshot; shown by `run`, by `eventstudy
 * diff`, and in the report.
 */
import { headlineKey, legacyHeadlineKey, type Headline } from "./headlines.js";
import type { HistoryCell, HistoryEntry } from "./history.js";
import type { CellSnapshot, IncidentKey, WindowSnapshot } from "./window-incidents.js";

export const MOVED_FIELDS = ["preMean", "postMean", "change", "relative", "pValue", "adjustedPValue", "level"] as const;
export type MovedField = (typeof MOVED_FIELDS)[number];

export interface NumberMove {
  subject: string;
  metric: Headline["metric"];
  changes: Array<{ field: MovedField; before: number | string | null; after: number | string | null }>;
  /** True when the evidence level is different: the line a reader must not miss. */
  verdictChanged: boolean;
}

/** A headline's numbers as "what moved" compares them. */
export type HeadlineValues = Pick<Headline, MovedField>;

/** A headline with no match at the previous run: the spec gained a group or a metric. */
export interface AddedHeadline {
  subject: string;
  metric: Headline["metric"];
  after: HeadlineValues;
}

/** A headline of the previous run with no match now: the spec lost a group or a metric. */
export interface RemovedHeadline {
  subject: string;
  metric: Headline["metric"];
  before: HeadlineValues;
}

export interface WindowMoves {
  added: IncidentKey[];
  removed: IncidentKey[];
  /** When a snapshot kept only counts: incidents per group before and after. */
  countsOnly: { before: Record<string, number>; after: Record<string, number> } | null;
}

export interface CellMoves {
  id: string;
  event: string;
  variant: string | null;
  /** The cell did not exist at the previous run (a new event or variant). */
  isNew: boolean;
  incidents: { pre: WindowMoves; post: WindowMoves };
  numbers: NumberMove[];
  /**
   * Headlines only in this run, and only in the previous one. Empty for a new cell (all of
   * it is new). changes.json files written before these fields existed lack them: read
   * those through `whatMovedFromJson`.
   */
  addedHeadlines: AddedHeadline[];
  removedHeadlines: RemovedHeadline[];
  /** Headlines in both runs with every compared number equal. */
  unchangedHeadlines: number;
}

export interface WhatMoved {
  /** null: this is the study's first recorded run. */
  previousRunAt: string | null;
  inputs: { specFiles: string[]; dataFiles: string[]; engine: boolean };
  cells: CellMoves[];
  removedCells: string[];
}

export interface RunRecord {
  entry: HistoryEntry;
  /** Per cell id; undefined when the previous report kept none. */
  snapshots: Record<string, CellSnapshot> | undefined;
}

export function whatMoved(previous: RunRecord | undefined, current: RunRecord): WhatMoved {
  if (previous === undefined) {
    return { previousRunAt: null, inputs: { specFiles: [], dataFiles: [], engine: false }, cells: [], removedCells: [] };
  }
  const before = previous.entry;
  const after = current.entry;
  const changedFiles = (old: HistoryEntry["dataFiles"], now: HistoryEntry["dataFiles"]): string[] => {
    const oldHashes = new Map(old.map((file) => [file.path, file.sha256]));
    const nowPaths = new Set(now.map((file) => file.path));
    return [...now.filter((file) => oldHashes.get(file.path) !== file.sha256).map((file) => file.path), ...old.filter((file) => !nowPaths.has(file.path)).map((file) => file.path)];
  };
  const cells = after.cells.map((cell) => {
    const old = before.cells.find((candidate) => candidate.id === cell.id);
    return compareCell(cell, old, previous.snapshots?.[cell.id], current.snapshots?.[cell.id]);
  });
  return {
    previousRunAt: before.runAt,
    inputs: { specFiles: changedFiles(before.specFiles, after.specFiles), dataFiles: changedFiles(before.dataFiles, after.dataFiles), engine: before.engine !== after.engine },
    cells,
    removedCells: before.cells.filter((cell) => !after.cells.some((candidate) => candidate.id === cell.id)).map((cell) => cell.id),
  };
}

function compareCell(cell: HistoryCell, old: HistoryCell | undefined, oldSnapshot: CellSnapshot | undefined, snapshot: CellSnapshot | undefined): CellMoves {
  const empty: WindowMoves = { added: [], removed: [], countsOnly: null };
  return {
    id: cell.id,
    event: cell.event.label,
    variant: cell.variant?.name ?? null,
    isNew: old === undefined,
    incidents: {
      pre: oldSnapshot === undefined || snapshot === undefined ? empty : compareWindow(oldSnapshot.pre, snapshot.pre),
      post: oldSnapshot === undefined || snapshot === undefined ? empty : compareWindow(oldSnapshot.post, snapshot.post),
    },
    // A new cell has no earlier headlines: listing each of its headlines as "added" would only repeat "new".
    ...(old === undefined ? { numbers: [], addedHeadlines: [], removedHeadlines: [], unchangedHeadlines: 0 } : compareHeadlines(old.headlines, cell.headlines)),
  };
}

type HeadlineMoves = Pick<CellMoves, "numbers" | "addedHeadlines" | "removedHeadlines" | "unchangedHeadlines">;

/**
 * Matches headlines by subject and metric. A key on one side only is a spec edit (a group
 * or metric added or removed) and is reported with its numbers, not skipped: otherwise
 * "headline numbers unchanged" would be said of a run whose headlines changed.
 */
function compareHeadlines(before: readonly Headline[], after: readonly Headline[]): HeadlineMoves {
  const oldByKey = new Map(before.map((headline) => [headlineKey(headline), headline]));
  const legacyKeys = after.map(legacyHeadlineKey).filter((key): key is string => key !== null);
  const nowKeys = new Set([...after.map(headlineKey), ...legacyKeys]);
  const moves: HeadlineMoves = { numbers: [], addedHeadlines: [], removedHeadlines: [], unchangedHeadlines: 0 };
  for (const headline of after) {
    const legacyKey = legacyHeadlineKey(headline);
    const previous = oldByKey.get(headlineKey(headline)) ?? (legacyKey === null ? undefined : oldByKey.get(legacyKey));
    if (previous === undefined) {
      moves.addedHeadlines.push({ subject: headline.subject, metric: headline.metric, after: valuesOf(headline) });
      continue;
    }
    const changes = MOVED_FIELDS.filter((field) => previous[field] !== headline[field]).map((field) => ({ field, before: previous[field], after: headline[field] }));
    if (changes.length === 0) moves.unchangedHeadlines += 1;
    else moves.numbers.push({ subject: headline.subject, metric: headline.metric, changes, verdictChanged: previous.level !== headline.level });
  }
  for (const headline of before) {
    if (!nowKeys.has(headlineKey(headline))) moves.removedHeadlines.push({ subject: headline.subject, metric: headline.metric, before: valuesOf(headline) });
  }
  return moves;
}

function valuesOf(headline: Headline): HeadlineValues {
  return Object.fromEntries(MOVED_FIELDS.map((field) => [field, headline[field]])) as HeadlineValues;
}

/** Incidents are a multiset: two identical incidents on one day are two. */
function compareWindow(before: WindowSnapshot, after: WindowSnapshot): WindowMoves {
  if (before.incidents === null || after.incidents === null) {
    const same = JSON.stringify(before.counts) === JSON.stringify(after.counts);
    return { added: [], removed: [], countsOnly: same ? null : { before: before.counts, after: after.counts } };
  }
  const remaining = new Map<string, number>();
  for (const key of before.incidents) remaining.set(JSON.stringify(key), (remaining.get(JSON.stringify(key)) ?? 0) + 1);
  const added: IncidentKey[] = [];
  for (const key of after.incidents) {
    const text = JSON.stringify(key);
    const count = remaining.get(text) ?? 0;
    if (count > 0) remaining.set(text, count - 1);
    else added.push(key);
  }
  const removed: IncidentKey[] = [];
  for (const key of before.incidents) {
    const text = JSON.stringify(key);
    const count = remaining.get(text) ?? 0;
    if (count > 0) {
      removed.push(key);
      remaining.set(text, count - 1);
    }
  }
  return { added, removed, countsOnly: null };
}

/** True when nothing a reader would care about moved. */
export function nothingMoved(moved: WhatMoved): boolean {
  return (
    moved.removedCells.length === 0 &&
    moved.cells.every(
      (cell) =>
        !cell.isNew &&
        cell.numbers.length === 0 &&
        cell.addedHeadlines.length === 0 &&
        cell.removedHeadlines.length === 0 &&
        (["pre", "post"] as const).every((window) => cell.incidents[window].added.length === 0 && cell.incidents[window].removed.length === 0 && cell.incidents[window].countsOnly === null),
    )
  );
}

/**
 * A parsed changes.json. Files written before `addedHeadlines` and `removedHeadlines`
 * existed lack them; they are read as empty (that engine did not look for such headlines).
 */
export function whatMovedFromJson(value: unknown): WhatMoved {
  const moved = value as StoredWhatMoved;
  return { ...moved, cells: moved.cells.map((cell) => ({ ...cell, addedHeadlines: cell.addedHeadlines ?? [], removedHeadlines: cell.removedHeadlines ?? [] })) };
}

/** changes.json as any version of the engine wrote it. */
type StoredWhatMoved = Omit<WhatMoved, "cells"> & {
  cells: Array<Omit<CellMoves, "addedHeadlines" | "removedHeadlines"> & Partial<Pick<CellMoves, "addedHeadlines" | "removedHeadlines">>>;
};
