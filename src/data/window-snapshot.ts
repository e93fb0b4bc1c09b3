/**
 * The window snapshot (living/window-incidents.ts says what it is for) from the summary
 * tables: the counts from `day_cube`, and the incidents themselves, when there are few
 * enough to keep, from `span_rows`. Asking the `incidents` view instead scanned every row
 * twice per study (~0.25 s at 10M rows) for counts the cube already has.
 */
import { SNAPSHOT_LIMIT, type WindowSnapshot } from "../living/window-incidents.js";
import type { DayNumber } from "../util/days.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { NOT_EXCLUDED } from "./exclusions.js";
import { rankedRowsSource } from "./summaries.js";

const USED = `${NOT_EXCLUDED} AND NOT filtered_out`;

export async function windowSnapshot(session: DuckDbSession, from: DayNumber, to: DayNumber): Promise<WindowSnapshot> {
  // Ordered by group name, no group last, as the snapshot has always listed them.
  const counts = await session.rows<{ grp: string | null; n: number }>(
    `SELECT g.name AS grp, sum(c.n)::DOUBLE AS n FROM day_cube c LEFT JOIN group_names g ON g.idx = c.grp
     WHERE ${USED} AND c.day BETWEEN $1 AND $2 GROUP BY g.name ORDER BY g.name`,
    [from, to],
  );
  const total = counts.reduce((sum, row) => sum + row.n, 0);
  const snapshot: WindowSnapshot = { counts: Object.fromEntries(counts.map((row) => [row.grp ?? "(no group)", row.n])), incidents: null };
  if (total <= SNAPSHOT_LIMIT) {
    // span_rows holds every used row of the span (unknown amounts too); rows_v, every row.
    const source = rankedRowsSource(session, from, to);
    const rows = await session.rows<{ date: string; grp: string | null; name: string | null; amount: number | null }>(
      `SELECT strftime(DATE '1970-01-01' + r.day, '%Y-%m-%d') AS date, g.name AS grp, r.name, r.amount
       FROM ${source} r LEFT JOIN group_names g ON g.idx = r.grp
       WHERE ${source === "rows_v" ? `${USED} AND ` : ""}r.day BETWEEN $1 AND $2
       ORDER BY r.day, g.name NULLS LAST, r.name NULLS LAST, r.amount NULLS LAST`,
      [from, to],
    );
    snapshot.incidents = rows.map((row) => [row.date, row.grp, row.name, row.amount]);
  }
  return snapshot;
}
