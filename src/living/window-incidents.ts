/**
 * The incidents inside a study's windows, as a snapshot the next run can compare with:
 * "3 incidents added to the post window, 1 removed" is what an analyst needs to see when
 * the data feed changes. Incidents are identified by their content (day, group, name,
 * amount), not by row number, so a row inserted at the top of the file moves nothing.
 */
import type { DuckDbSession } from "../data/duckdb-session.js";
import type { DayNumber } from "../util/days.js";

/** Above this many incidents per window the snapshot keeps only counts (telemetry-sized data). */
export const SNAPSHOT_LIMIT = 20_000;

/** `[YYYY-MM-DD, group, name, amount]`: compact, because it is kept for every run. */
export type IncidentKey = [string, string | null, string | null, number | null];

export interface WindowSnapshot {
  /** Incidents per group (null: claimed by no group). */
  counts: Record<string, number>;
  /** Every incident, sorted; null when there were more than SNAPSHOT_LIMIT. */
  incidents: IncidentKey[] | null;
}

export interface CellSnapshot {
  pre: WindowSnapshot;
  post: WindowSnapshot;
}

export async function windowSnapshot(session: DuckDbSession, from: DayNumber, to: DayNumber): Promise<WindowSnapshot> {
  const where = `excluded IS NULL AND NOT filtered_out AND day BETWEEN $1 AND $2`;
  const counts = await session.rows<{ grp: string | null; n: number }>(`SELECT grp, count(*)::DOUBLE AS n FROM incidents WHERE ${where} GROUP BY grp ORDER BY grp`, [from, to]);
  const total = counts.reduce((sum, row) => sum + row.n, 0);
  const snapshot: WindowSnapshot = { counts: Object.fromEntries(counts.map((row) => [row.grp ?? "(no group)", row.n])), incidents: null };
  if (total <= SNAPSHOT_LIMIT) {
    const rows = await session.rows<{ date: string; grp: string | null; name: string | null; amount: number | null }>(
      `SELECT strftime(DATE '1970-01-01' + day, '%Y-%m-%d') AS date, grp, name, amount FROM incidents WHERE ${where}
       ORDER BY day, grp NULLS LAST, name NULLS LAST, amount NULLS LAST`,
      [from, to],
    );
    snapshot.incidents = rows.map((row) => [row.date, row.grp, row.name, row.amount]);
  }
  return snapshot;
}
