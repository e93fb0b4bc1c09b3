/**
 * The ClickHouse counterpart of the DuckDB path's `day_cube` (src/data/summaries.ts): one
 * query groups the incidents relation by (group, day, why left out, filtered out) and
 * brings back the counts, the day's loss and the first rows of each kind (examples.ts).
 * Building the relation (parsing every row, and grouping identical rows for
 * `duplicates: drop`) is the expensive part of every question; with the cube it is done
 * once for what was left out and why, the date extent, the daily series, the group counts
 * and the window counts, instead of once per question.
 *
 * The cube is small: at most one cell per group and day (and per reason a row was left
 * out), whatever the number of rows. Rows with no valid date are all on "no day", so they
 * are spread over BUCKETS cells by their hash: a tally of many undated rows then has
 * several cells, whose first rows bound the follow-up query for its examples.
 */
import type { DayNumber } from "../../util/days.js";
import type { DailyAggregate } from "../incident-queries.js";
import { compareNullableText, EXAMPLE_KEY_SQL, EXAMPLES_PER_WARNING, type ExampleKey, type TallyPart } from "./examples.js";

/** Undated rows are spread over this many cells (by their content hash). */
const BUCKETS = 8;

export interface CubeCell {
  group: string | null;
  /** Null: the row has no valid date (it is left out as missing_date or bad_date). */
  day: DayNumber | null;
  /** Why the cell's rows were left out (ClickHouse's exclusion reason), or null. */
  excluded: string | null;
  filteredOut: boolean;
  /** Distinct rows (for `duplicates: keep` and `unchecked`, every row). */
  rows: number;
  /** Source rows, counting every copy of a row. */
  copies: number;
  unknownAmounts: number;
  /** Rows with a known amount above zero (the timeline's incidents). */
  positiveAmounts: number;
  /** Distinct rows that have more than one copy. */
  copiedRows: number;
  /** The loss of the cell's rows (Kahan sum), as dailyAggregates reports it. */
  loss: number;
  /** The first rows, for warnings: of a left-out cell, of the unknown amounts, of the copied rows. */
  first: { all: ExampleKey[]; unknown: ExampleKey[]; copied: ExampleKey[] };
}

interface CubeRow {
  grp: string | null;
  cell_day: number | null;
  excluded: string | null;
  filtered: number;
  n_rows: number;
  n_copies: number;
  n_unknown: number;
  n_positive: number;
  n_copied: number;
  loss: number;
  first_all: ExampleKey[];
  first_unknown: ExampleKey[];
  first_copied: ExampleKey[];
}

const K = EXAMPLES_PER_WARNING;
/** Every row of a part of at most K rows, else its first; nothing when the part is not asked about. */
const firstRows = (count: string, condition: string, wanted: string): string =>
  `arraySlice(if(${count} <= ${K}, groupArrayIf(${K})(key, ${condition}), [minIf(key, ${condition})]), 1, if(${wanted}, ${K}, 0))`;

/**
 * The cube's query over the incidents relation (incident-sql.ts). `grouped`: identical rows
 * were grouped into one with `copies` (`duplicates: drop`). Otherwise (`keep`, `unchecked`)
 * every row is its own, so the copy columns are constants and the cube spends nothing on them.
 */
export function dayCubeSql(incidents: string, grouped: boolean): string {
  const copyColumns = grouped
    ? `toFloat64(sum(copies)) AS n_copies, toFloat64(countIf(copies > 1)) AS n_copied,
       ${firstRows("n_copied", "copies > 1", "excluded IS NULL AND n_copied > 0")} AS first_copied`
    : "n_rows AS n_copies, toFloat64(0) AS n_copied, [] AS first_copied";
  return `SELECT grp, toFloat64(day) AS cell_day, excluded, filtered_out AS filtered,
       toFloat64(count()) AS n_rows,
       toFloat64(countIf(amount IS NULL)) AS n_unknown, toFloat64(countIf(ifNull(amount > 0, 0))) AS n_positive,
       sumKahan(ifNull(amount, 0)) AS loss,
       ${firstRows("n_rows", "1", "excluded IS NOT NULL")} AS first_all,
       ${firstRows("n_unknown", "amount IS NULL", "excluded IS NULL AND NOT filtered_out AND n_unknown > 0")} AS first_unknown,
       ${copyColumns}
FROM (SELECT *, ${EXAMPLE_KEY_SQL} AS key, if(day IS NULL, toUInt64(row) % ${BUCKETS}, 0) AS bucket FROM ${incidents})
GROUP BY grp, day, excluded, filtered_out, bucket`;
}

export function toCubeCell(row: CubeRow): CubeCell {
  return {
    group: row.grp,
    day: row.cell_day,
    excluded: row.excluded,
    filteredOut: row.filtered !== 0,
    rows: row.n_rows,
    copies: row.n_copies,
    unknownAmounts: row.n_unknown,
    positiveAmounts: row.n_positive,
    copiedRows: row.n_copied,
    loss: row.loss,
    first: { all: row.first_all, unknown: row.first_unknown, copied: row.first_copied },
  };
}

export type { CubeRow };

/** Rows that were not left out (a filter may still drop them). */
const kept = (cell: CubeCell): boolean => cell.excluded === null;
/** Rows the study uses. */
export const used = (cell: CubeCell): boolean => cell.excluded === null && !cell.filteredOut;
const inSpan = (cell: CubeCell, from: DayNumber, to: DayNumber): boolean => cell.day !== null && cell.day >= from && cell.day <= to;
const sum = (cells: readonly CubeCell[], value: (cell: CubeCell) => number): number => cells.reduce((total, cell) => total + value(cell), 0);

/** ClickHouse's `ORDER BY day, grp`: by day, then group name byte by byte, no group last. */
const byDayThenGroup = (a: { day: number; group: string | null }, b: { day: number; group: string | null }): number =>
  a.day - b.day || compareNullableText(a.group, b.group);

/** The tallies of rows left out, by ClickHouse exclusion reason: source rows (every copy), and the parts for examples. */
export function exclusionParts(cells: readonly CubeCell[]): Map<string, { count: number; parts: TallyPart[] }> {
  const tallies = new Map<string, { count: number; parts: TallyPart[] }>();
  for (const cell of cells) {
    if (cell.excluded === null) continue;
    const tally = tallies.get(cell.excluded) ?? { count: 0, parts: [] };
    tally.count += cell.copies;
    tally.parts.push({ count: cell.rows, first: cell.first.all });
    tallies.set(cell.excluded, tally);
  }
  return tallies;
}

/** Copies beyond the first of rows that were not left out (`duplicates: drop`). */
export function duplicateParts(cells: readonly CubeCell[]): { count: number; parts: TallyPart[] } {
  const copied = cells.filter((cell) => kept(cell) && cell.copiedRows > 0);
  return { count: sum(copied, (cell) => cell.copies - cell.rows), parts: copied.map((cell) => ({ count: cell.copiedRows, first: cell.first.copied })) };
}

/** Used rows whose amount is unknown. */
export function unknownAmountParts(cells: readonly CubeCell[]): { count: number; parts: TallyPart[] } {
  const unknown = cells.filter((cell) => used(cell) && cell.unknownAmounts > 0);
  return { count: sum(unknown, (cell) => cell.unknownAmounts), parts: unknown.map((cell) => ({ count: cell.unknownAmounts, first: cell.first.unknown })) };
}

export function rowCounts(cells: readonly CubeCell[]): { used: number; filteredOut: number } {
  return { used: sum(cells.filter(used), (cell) => cell.rows), filteredOut: sum(cells.filter((cell) => kept(cell) && cell.filteredOut), (cell) => cell.rows) };
}

/** Used rows dated before `from` or after `to`. */
export function countOutside(cells: readonly CubeCell[], from: DayNumber, to: DayNumber): number {
  return sum(cells.filter((cell) => used(cell) && !inSpan(cell, from, to)), (cell) => cell.rows);
}

/** First and last day of any row with a valid date (filtered out or not). */
export function dayExtent(cells: readonly CubeCell[]): { first: DayNumber; last: DayNumber } | undefined {
  let extent: { first: DayNumber; last: DayNumber } | undefined;
  for (const cell of cells) {
    if (!kept(cell) || cell.day === null || cell.rows === 0) continue;
    extent = { first: Math.min(extent?.first ?? cell.day, cell.day), last: Math.max(extent?.last ?? cell.day, cell.day) };
  }
  return extent;
}

/** One cell per used (group, day): its incidents, loss and unknown amounts, ordered as ClickHouse's `ORDER BY day, grp`. */
export function dailyFromCube(cells: readonly CubeCell[], from: DayNumber, to: DayNumber): DailyAggregate[] {
  return cells
    .filter((cell) => used(cell) && inSpan(cell, from, to))
    .map((cell) => ({ group: cell.group, day: cell.day as DayNumber, incidents: cell.rows, loss: cell.loss, unknownAmounts: cell.unknownAmounts }))
    .sort(byDayThenGroup);
}

/** Used rows per group (null: no group claimed them), optionally only in [from, to], in ClickHouse's `ORDER BY grp`. */
export function groupTotals(cells: readonly CubeCell[], span?: { from: DayNumber; to: DayNumber }): Array<{ group: string | null; rows: number }> {
  const totals = new Map<string | null, number>();
  for (const cell of cells) {
    if (!used(cell) || (span !== undefined && !inSpan(cell, span.from, span.to))) continue;
    totals.set(cell.group, (totals.get(cell.group) ?? 0) + cell.rows);
  }
  return [...totals].map(([group, rows]) => ({ group, rows })).sort((a, b) => compareNullableText(a.group, b.group));
}

/** Used rows with a known amount above zero in [from, to]. */
export function countPositive(cells: readonly CubeCell[], from: DayNumber, to: DayNumber): number {
  return sum(cells.filter((cell) => used(cell) && inSpan(cell, from, to)), (cell) => cell.positiveAmounts);
}
