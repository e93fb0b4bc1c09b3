/**
 * The incidents inside a study's windows, as a snapshot the next run can compare with:
 * "3 incidents added to the post window, 1 removed" is what an analyst needs to see when
 * the data feed changes. Incidents are identified by their content (day, group, name,
 * amount), not by row number, so a row inserted at the top of the file moves nothing.
 */

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

