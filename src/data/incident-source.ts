/**
 * Where a study's incidents live, behind one interface: a local file read by DuckDB, or a
 * ClickHouse table or query. The pipeline asks the same questions of either (what was
 * left out and why, the date extent, daily aggregates per group, the largest incidents,
 * the window snapshot) and never sees a row it did not ask for.
 */
import { DataError } from "../errors.js";
import { messages } from "../messages.js";
import type { ExclusionReason } from "./exclusions.js";
import { changedFile, type RecordedFile } from "../util/file-identity.js";
import type { DailyAggregate, RankedIncident, RowTally } from "./incident-queries.js";
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import type { DayNumber } from "../util/days.js";
import type { WindowSnapshot } from "../living/window-incidents.js";

export interface IncidentSource {
  readonly rowsRead: number;
  exclusionTallies(): Promise<Map<ExclusionReason, RowTally>>;
  usedRowTallies(): Promise<{ unknownAmount: RowTally; keptDuplicates: RowTally; filteredOut: number; used: number }>;
  /** Used rows dated before `from` or after `to`. */
  rowsOutside(from: DayNumber, to: DayNumber): Promise<RowTally>;
  dateExtent(): Promise<{ first: DayNumber; last: DayNumber } | undefined>;
  dailyAggregates(from: DayNumber, to: DayNumber): Promise<DailyAggregate[]>;
  /** Used rows per group; the key null holds rows no group claimed. */
  groupCounts(): Promise<Map<string | null, number>>;
  largestIncidents(from: DayNumber, to: DayNumber, k: number): Promise<{ byGroup: RankedIncident[]; overall: RankedIncident[] }>;
  incidentsInSpan(from: DayNumber, to: DayNumber, limit: number): Promise<{ incidents: RankedIncident[]; totalInSpan: number }>;
  windowSnapshot(from: DayNumber, to: DayNumber): Promise<WindowSnapshot>;
  /** Throws a DataError if a data file changed since the study first read it (util/file-identity.ts). */
  checkUnchanged(): void;
  close(): void;
}

/**
 * Opens the spec's source and checks that every column the spec names exists. `onLoaded`
 * marks the end of reading (for the benchmark's stage times) before the incident table is built.
 */
export async function openIncidentSource(spec: NormalizedSpec, onLoaded: () => void = () => undefined): Promise<IncidentSource> {
  const { checkColumnsExist } = await import("./incident-table.js");
  if (spec.data.clickhouse !== null) {
    const { openClickHouseIncidents } = await import("./clickhouse/open-source.js");
    const incidents = await openClickHouseIncidents(spec, spec.data.clickhouse);
    onLoaded();
    checkColumnsExist(spec, incidents.columns);
    // A ClickHouse table changes under a study only as any database does; its fingerprint is in the provenance.
    return Object.assign(incidents, { checkUnchanged: () => undefined, close: () => undefined });
  }
  const { DuckDbSession } = await import("./duckdb-session.js");
  const { buildIncidentTable, loadSourceTable, shownDataFile } = await import("./incident-table.js");
  const queries = await import("./incident-queries.js");
  const { windowSnapshot } = await import("./window-snapshot.js");
  const session = await DuckDbSession.open();
  let rowsRead: number;
  let files: RecordedFile[];
  try {
    const table = await loadSourceTable(session, spec);
    rowsRead = table.rowsRead;
    files = table.recorded;
    onLoaded();
    await buildIncidentTable(session, spec, table);
  } catch (error) {
    session.close();
    throw error;
  }
  return {
    rowsRead,
    exclusionTallies: () => queries.exclusionTallies(session),
    usedRowTallies: () => queries.usedRowTallies(session),
    rowsOutside: (from, to) => queries.rowsOutside(session, from, to),
    dateExtent: () => queries.dateExtent(session),
    dailyAggregates: (from, to) => queries.dailyAggregates(session, from, to),
    groupCounts: () => queries.groupCounts(session),
    largestIncidents: (from, to, k) => queries.largestIncidents(session, from, to, k),
    incidentsInSpan: (from, to, limit) => queries.incidentsInSpan(session, from, to, limit),
    windowSnapshot: (from, to) => windowSnapshot(session, from, to),
    checkUnchanged: () => {
      const changed = changedFile(files);
      if (changed !== undefined) throw new DataError(messages.dataChangedDuringRun(shownDataFile(spec, changed)));
    },
    close: () => session.close(),
  };
}
