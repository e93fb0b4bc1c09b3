/**
 * Read-only queries over the incident table: what was left out and why, the dates the
 * data spans, the daily aggregates per group, and the largest incidents in a window. The
 * counts and sums come from `day_cube` and the largest incidents from `span_rows` where it
 * covers the window (summaries.ts), else from `rows_v`; the text of a row (name, date and
 * amount as written, url) is fetched afterwards for the few rows that come back to
 * JavaScript: warning examples, and the top-k incidents the report lists.
 */
import type { DayNumber } from "../util/days.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { EXCLUSION_CODES, KEPT_COPY_CODE, NOT_EXCLUDED, type ExclusionReason } from "./exclusions.js";
import { exactSumOfParts } from "./sql.js";
import { dataRowIndex, raggedRowTally } from "./ragged-rows.js";
import { FIRST_ROWS, rankedRowsSource } from "./summaries.js";

/** How many example rows a warning lists. */
const EXAMPLES_PER_WARNING = FIRST_ROWS;
/** The first rows (file order) of the day_cube cells aggregated (those matching `where`). */
const first = (where = "true"): string => `list_sort(flatten(list(first_rows) FILTER (WHERE ${where})))[1:${EXAMPLES_PER_WARNING}]`;

export interface RowExample {
  /** The data row (1 = the first row after the header; across several files, counted on through them). */
  row: number;
  name: string | null;
  date: string | null;
  amount: string | null;
  /** Only for data read from several files: the file, and the row within it. */
  file?: string;
  fileRow?: number;
  /** Set when `row` is not a line number: a ClickHouse table's rows are named by a hash of their values. */
  identifiedBy?: "content hash";
}

export interface RowTally {
  count: number;
  examples: RowExample[];
}

const USED = `${NOT_EXCLUDED} AND NOT filtered_out`;

/** The examples of each tally: the first rows (file order) of each kind, then their text. */
async function withExamples<K>(session: DuckDbSession, tallies: Array<{ key: K; count: number; rows: number[] | null }>): Promise<Map<K, RowTally>> {
  const examples = await rowExamples(session, tallies.flatMap((tally) => tally.rows ?? []));
  // A row missing here means the file changed since it was counted: the pipeline's
  // checkUnchanged stops the study with that, so the tally only has to not break first.
  const found = (rows: number[] | null): RowExample[] => (rows ?? []).flatMap((row) => examples.get(row) ?? []);
  return new Map(tallies.map((tally) => [tally.key, { count: tally.count, examples: found(tally.rows) }]));
}

/** The text of the given rows (0-based row indexes), as warnings show it. */
async function rowExamples(session: DuckDbSession, rowIndexes: readonly number[]): Promise<Map<number, RowExample>> {
  if (rowIndexes.length === 0) return new Map();
  const rows = await session.rows<{ row_index: number; name: string | null; date: string | null; amount: string | null; file_index: number | null }>(
    // A copy found by findDuplicates has its text in dup_marks (incident-rows.ts).
    `SELECT r.row_index::DOUBLE AS row_index, coalesce(json_extract_string(d.detail, '$.name'), r.name) AS name,
            coalesce(json_extract_string(d.detail, '$.date'), r.raw_date) AS date, coalesce(json_extract_string(d.detail, '$.amount'), r.raw_amount) AS amount,
            r.file_index::DOUBLE AS file_index
     FROM ${rowsAt(rowIndexes)} r LEFT JOIN dup_marks d ON d.row_index = r.row_index`,
  );
  const files = rows.some((row) => row.file_index !== null)
    ? new Map((await session.rows<{ file_index: number; path: string; first_row: number }>("SELECT file_index::DOUBLE AS file_index, path, first_row::DOUBLE AS first_row FROM source_files")).map((file) => [file.file_index, file]))
    : new Map<number, { path: string; first_row: number }>();
  return new Map(rows.map((row) => {
    const dataIndex = dataRowIndex(session, row.row_index);
    const example: RowExample = { row: dataIndex + 1, name: row.name, date: row.date, amount: row.amount };
    const file = row.file_index === null ? undefined : files.get(row.file_index);
    if (file !== undefined) Object.assign(example, { file: file.path, fileRow: dataIndex - file.first_row + 1 });
    return [row.row_index, example];
  }));
}

/**
 * The given rows of `rows_v`, as a FROM item. Up to 8 rows are fetched one by one: DuckDB
 * finds `rowid = n` directly (~8 ms each at 10M rows), while `IN (...)` scans the table
 * (~80 ms). Row indexes come from
 * DuckDB itself; they go into the SQL text only as checked integers.
 */
function rowsAt(rowIndexes: readonly number[]): string {
  const indexes = checkedIndexes(rowIndexes);
  if (indexes.length > 8) return `(SELECT * FROM rows_v WHERE row_index IN (${indexes.join(", ")}))`;
  return `(${indexes.map((index) => `SELECT * FROM rows_v WHERE row_index = ${index}`).join(" UNION ALL ")})`;
}

function checkedIndexes(rowIndexes: readonly number[]): string[] {
  return rowIndexes.map((value) => {
    if (!Number.isSafeInteger(value)) throw new Error(`not a row index: ${value}`);
    return String(value);
  });
}

export async function exclusionTallies(session: DuckDbSession): Promise<Map<ExclusionReason, RowTally>> {
  const rows = await session.rows<{ code: number; n: number; rows: number[] }>(
    `SELECT code, sum(n) AS n, ${first()} AS rows FROM day_cube WHERE code IS NOT NULL AND code <> ${KEPT_COPY_CODE} GROUP BY code`,
  );
  const reasonOf = new Map(Object.entries(EXCLUSION_CODES).map(([reason, code]) => [code, reason as ExclusionReason]));
  const tallies = await withExamples(session, rows.map((row) => ({ key: reasonOf.get(row.code) as ExclusionReason, count: row.n, rows: row.rows })));
  // Ragged rows never reached the table: their tally comes from the read (ragged-rows.ts).
  const ragged = raggedRowTally(session);
  if (ragged !== undefined) tallies.set("ragged_row", ragged);
  return tallies;
}

/** Rows that were used although their amount is unknown, and kept duplicates: one pass. */
export async function usedRowTallies(session: DuckDbSession): Promise<{ unknownAmount: RowTally; keptDuplicates: RowTally; filteredOut: number; used: number }> {
  const unknown = `${USED} AND unknown_amount`;
  const kept = `code = ${KEPT_COPY_CODE}`;
  const [row] = await session.rows<{ unknown_n: number; unknown_rows: number[] | null; kept_n: number; kept_rows: number[] | null; filtered: number; used: number }>(
    `SELECT coalesce(sum(n) FILTER (WHERE ${unknown}), 0) AS unknown_n, ${first(unknown)} AS unknown_rows,
            coalesce(sum(n) FILTER (WHERE ${kept}), 0) AS kept_n, ${first(kept)} AS kept_rows,
            coalesce(sum(n) FILTER (WHERE ${NOT_EXCLUDED} AND filtered_out), 0) AS filtered,
            coalesce(sum(n) FILTER (WHERE ${USED}), 0) AS used
     FROM day_cube`,
  );
  const tallies = await withExamples(session, [
    { key: "unknown", count: row?.unknown_n ?? 0, rows: row?.unknown_rows ?? null },
    { key: "kept", count: row?.kept_n ?? 0, rows: row?.kept_rows ?? null },
  ]);
  const empty: RowTally = { count: 0, examples: [] };
  return { unknownAmount: tallies.get("unknown") ?? empty, keptDuplicates: tallies.get("kept") ?? empty, filteredOut: row?.filtered ?? 0, used: row?.used ?? 0 };
}

/**
 * Used rows dated outside [from, to] (a declared coverage narrower than the data): they are
 * in no window, placebo date or chart, so the study says how many and which.
 */
export async function rowsOutside(session: DuckDbSession, from: DayNumber, to: DayNumber): Promise<RowTally> {
  const [lo, hi] = checkedIndexes([from, to]);
  const outside = `${USED} AND (day < ${lo} OR day > ${hi})`;
  const [row] = await session.rows<{ n: number; rows: number[] | null }>(`SELECT coalesce(sum(n) FILTER (WHERE ${outside}), 0) AS n, ${first(outside)} AS rows FROM day_cube`);
  const tallies = await withExamples(session, [{ key: "outside", count: row?.n ?? 0, rows: row?.rows ?? null }]);
  return tallies.get("outside") ?? { count: 0, examples: [] };
}

/** First and last day of any row with a valid date (filters do not change what the data covers). */
export async function dateExtent(session: DuckDbSession): Promise<{ first: DayNumber; last: DayNumber } | undefined> {
  const [row] = await session.rows<{ first: number | null; last: number | null }>(`SELECT min(day) AS first, max(day) AS last FROM day_cube WHERE ${NOT_EXCLUDED}`);
  if (row === undefined || row.first === null || row.last === null) return undefined;
  return { first: row.first, last: row.last };
}

export interface DailyAggregate {
  /** The group, or null for rows no group claimed (they count only in the total). */
  group: string | null;
  day: DayNumber;
  incidents: number;
  /** Sum of known amounts. */
  loss: number;
  unknownAmounts: number;
}

/**
 * Incidents, known losses and unknown amounts per group and day. The loss is summed
 * exactly (sql.ts, exactSumSql), so the same rows give the same bits in any order: a
 * parallel scan, or the same data as CSV and as Parquet.
 */
export async function dailyAggregates(session: DuckDbSession, from: DayNumber, to: DayNumber): Promise<DailyAggregate[]> {
  return session.rows<DailyAggregate & Record<string, unknown>>(
    `SELECT g.name AS "group", a.day, a.incidents, a.loss, a."unknownAmounts"
     FROM (SELECT grp, day, sum(n) AS incidents, ${exactSumOfParts("loss")} AS loss,
                  coalesce(sum(n) FILTER (WHERE unknown_amount), 0) AS "unknownAmounts"
           FROM day_cube WHERE ${USED} AND day BETWEEN $1 AND $2
           GROUP BY grp, day) a
     LEFT JOIN group_names g ON g.idx = a.grp
     ORDER BY a.day, g.name`,
    [from, to],
  );
}

export interface RankedIncident {
  group: string | null;
  row: number;
  day: DayNumber;
  name: string | null;
  amount: number | null;
  /** The incident's link, when the spec names a url column. */
  url: string | null;
}

/**
 * The given rows of `source` as RankedIncidents, largest amount first (ties: file order),
 * by group name first if asked. From span_rows (a tenth of the rows in the bench study)
 * the fetch is a scan of that; from rows_v, point lookups or a scan of every row.
 */
async function rankedRows(session: DuckDbSession, source: "span_rows" | "rows_v", rowIndexes: readonly number[], byGroup = false): Promise<RankedIncident[]> {
  if (rowIndexes.length === 0) return [];
  const rows = source === "rows_v" ? rowsAt(rowIndexes) : `(SELECT * FROM span_rows WHERE row_index IN (${checkedIndexes(rowIndexes).join(", ")}))`;
  const ranked = await session.rows<RankedIncident & Record<string, unknown>>(
    `SELECT g.name AS "group", r.row_index::DOUBLE AS "row", r.day, r.name, r.amount, r.url
     FROM ${rows} r LEFT JOIN group_names g ON g.idx = r.grp
     ORDER BY ${byGroup ? "g.name, " : ""}r.amount DESC, r.row_index`,
  );
  return ranked.map((incident) => ({ ...incident, row: dataRowIndex(session, incident.row) + 1 }));
}

/** The k largest known-amount incidents per group in [from, to], and the k largest overall (group "*"). */
export async function largestIncidents(session: DuckDbSession, from: DayNumber, to: DayNumber, k: number): Promise<{ byGroup: RankedIncident[]; overall: RankedIncident[] }> {
  const source = rankedRowsSource(session, from, to);
  const where = `${source === "rows_v" ? `${USED} AND ` : ""}amount IS NOT NULL AND day BETWEEN $1 AND $2`;
  // arg_max keeps k rows per group while it scans (no sort of the window's rows); the
  // struct orders by amount, then earlier rows first.
  const [row] = await session.rows<{ by_group: number[] | null; overall: number[] | null }>(
    `SELECT flatten(list(top)) AS by_group, any_value(overall) AS overall FROM (
       SELECT grp, arg_max(row_index::DOUBLE, {'amount': amount, 'earlier': -row_index}, $3) AS top FROM ${source} WHERE ${where} GROUP BY grp
     ), (SELECT arg_max(row_index::DOUBLE, {'amount': amount, 'earlier': -row_index}, $3) AS overall FROM ${source} WHERE ${where})`,
    [from, to, k],
  );
  return { byGroup: await rankedRows(session, source, row?.by_group ?? [], true), overall: await rankedRows(session, source, row?.overall ?? []) };
}

/** The `limit` largest known-amount incidents in [from, to] (for the timeline), and how many there are in all. */
export async function incidentsInSpan(session: DuckDbSession, from: DayNumber, to: DayNumber, limit: number): Promise<{ incidents: RankedIncident[]; totalInSpan: number }> {
  const source = rankedRowsSource(session, from, to);
  const where = `${source === "rows_v" ? `${USED} AND ` : ""}amount IS NOT NULL AND amount > 0 AND day BETWEEN $1 AND $2`;
  const [row] = await session.rows<{ top: number[] | null; n: number }>(
    `SELECT arg_max(row_index::DOUBLE, {'amount': amount, 'earlier': -row_index}, $3) AS top, count(*)::DOUBLE AS n FROM ${source} WHERE ${where}`,
    [from, to, limit],
  );
  return { incidents: await rankedRows(session, source, row?.top ?? []), totalInSpan: row?.n ?? 0 };
}

/** Used rows per group (the key null: rows no group claimed), from day_cube: no scan of the rows. */
export async function groupCounts(session: DuckDbSession): Promise<Map<string | null, number>> {
  const rows = await session.rows<{ grp: string | null; n: number }>(
    `SELECT g.name AS grp, c.n FROM (SELECT grp, sum(n) AS n FROM day_cube WHERE ${USED} GROUP BY grp) c LEFT JOIN group_names g ON g.idx = c.grp`,
  );
  return new Map(rows.map((row) => [row.grp, row.n]));
}
