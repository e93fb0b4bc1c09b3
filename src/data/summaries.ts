/**
 * Two small tables made from the incident table (`rows_packed`) once, so the questions the pipeline asks next read
 * thousands of rows instead of scanning millions each time:
 *
 * - `day_cube`: one row per (group, day, exclusion code, filtered out, amount unknown)
 *   with the row count, the loss in exact parts (sql.ts) and the first rows (for warning
 *   examples). Tallies, the date extent and the daily series all come from it, with the
 *   same numbers a direct query gives: counts add, exact parts add exactly, and the first
 *   rows of a union are among the first rows of its parts.
 * - `span_rows`: the used rows in the span the study's windows can cover (row, day, group,
 *   amount, NULL when unknown, name, url), for the largest incidents, the timeline, the
 *   window snapshot and their text. Made only when the span holds at most half of the rows
 *   or incident_rows is a view over the file; otherwise those queries read `rows_v`.
 */
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import type { DayNumber } from "../util/days.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { NOT_EXCLUDED } from "./exclusions.js";
import { readsFileInPlace, spanPrefilterSql, unpack } from "./incident-rows.js";
import { exactSumParts } from "./sql.js";

/** How many first rows each cube cell keeps: the most examples a warning lists. */
export const FIRST_ROWS = 3;

export interface SpanTable {
  /** The table (or view) to read ranked incidents from. */
  table: "span_rows" | "rows_v";
  start: DayNumber;
  end: DayNumber;
}

/** Which table holds the used rows of each session's span (set by createSummaries). */
const spans = new WeakMap<DuckDbSession, SpanTable>();

/** Where to look for the used rows in [from, to] (span_rows has no other rows; rows_v has every row). */
export function rankedRowsSource(session: DuckDbSession, from: DayNumber, to: DayNumber): "span_rows" | "rows_v" {
  const span = spans.get(session);
  return span !== undefined && span.table === "span_rows" && from >= span.start && to <= span.end ? "span_rows" : "rows_v";
}

export async function createSummaries(session: DuckDbSession, spec: NormalizedSpec): Promise<void> {
  // Grouped on the packed key, unpacked in the small result: several times faster than
  // grouping the unpacked view.
  await session.run(
    `CREATE TABLE day_cube AS
     SELECT ${unpack.group("k")} AS grp, day, ${unpack.code("k")} AS code, ${unpack.filtered("k")} AS filtered_out, unknown_amount,
            n, loss_exact, loss_large, first_rows
     FROM (SELECT ${unpack.key("info")} AS k, day, amount IS NULL AS unknown_amount, count(*)::DOUBLE AS n,
                  ${exactSumParts("amount", "loss")}, min(row_index::DOUBLE, ${FIRST_ROWS}) AS first_rows
           FROM rows_packed GROUP BY ALL)`,
  );
  const span = { start: spec.windows.pre.start, end: spec.windows.post.end };
  const used = `${NOT_EXCLUDED} AND NOT filtered_out`;
  const [counts] = await session.rows<{ in_span: number | null; total: number | null }>(
    `SELECT sum(n) FILTER (WHERE ${used} AND day BETWEEN $1 AND $2) AS in_span, sum(n) AS total FROM day_cube`,
    [span.start, span.end],
  );
  // Read in place, every query of rows_v reads the file: the span's rows are kept whatever their share.
  const narrow = (counts?.in_span ?? 0) <= (counts?.total ?? 0) / 2 || readsFileInPlace(session);
  if (narrow) {
    await session.run(
      `CREATE TABLE span_rows AS SELECT row_index, day, grp, amount, name, url FROM rows_v
       WHERE ${spanPrefilterSql(session, span.start, span.end)} AND ${NOT_EXCLUDED} AND NOT filtered_out AND day BETWEEN $1 AND $2`,
      [span.start, span.end],
    );
  }
  spans.set(session, { table: narrow ? "span_rows" : "rows_v", ...span });
}
