/**
 * The facts about each built file that the build prints and data/README.md reports: row
 * and attribution counts, attribution_status counts, unknown and zero amounts, coverage
 * dates, rows per year, attribution rows shared by several incident rows, and how far the
 * attribution date lies from the incident date. Computed from the built table, so the
 * README always describes the files next to it.
 */
import type { DuckDbSession } from "../duckdb-session.js";
import { quoteIdentifier as q, quoteLiteral } from "../sql.js";
import { NO_ATTRIBUTION } from "./attribution-join.js";
import type { IncidentSource } from "./raw-inputs.js";

export interface StatusCount {
  status: string;
  rows: number;
}

export interface SharedAttribution {
  dprkMatch: string;
  /** "name (date)" of each incident row, in date then source_row order. */
  incidents: string[];
}

export interface DateGap {
  name: string;
  date: string;
  dprkMatch: string;
  /** Attribution date minus incident date, in days. */
  days: number;
}

export interface FileProfile {
  source: IncidentSource;
  /** File name inside the output folder, e.g. incidents_defillama.csv. */
  fileName: string;
  columns: string[];
  rows: number;
  attributed: number;
  /** Every status present, `none` last, the others by name. */
  statusCounts: StatusCount[];
  emptyAmounts: number;
  zeroAmounts: number;
  firstDate: string;
  lastDate: string;
  rowsPerYear: Array<{ year: string; rows: number }>;
  sharedAttributions: SharedAttribution[];
  /** Matched rows whose incident date differs from the attribution date. */
  datesDiffering: number;
  /** The matched row with the largest absolute difference, if any differ. */
  largestGap: DateGap | undefined;
}

export async function profileBuiltTable(
  session: DuckDbSession,
  source: IncidentSource,
  fileName: string,
  built: string,
  columns: string[],
): Promise<FileProfile> {
  const t = q(built);
  const none = quoteLiteral(NO_ATTRIBUTION);
  const [totals] = await session.rows<{ rows: number; attributed: number; empty: number; zero: number; first: string; last: string }>(
    `SELECT CAST(count(*) AS DOUBLE) AS rows,
            CAST(count(*) FILTER (WHERE attribution_status <> ${none}) AS DOUBLE) AS attributed,
            CAST(count(*) FILTER (WHERE amount_usd IS NULL) AS DOUBLE) AS empty,
            CAST(count(*) FILTER (WHERE TRY_CAST(amount_usd AS DOUBLE) = 0) AS DOUBLE) AS zero,
            min(date) AS first, max(date) AS last
       FROM ${t}`,
  );
  const statusCounts = await session.rows<{ status: string; rows: number }>(
    `SELECT attribution_status AS status, CAST(count(*) AS DOUBLE) AS rows FROM ${t}
      GROUP BY attribution_status ORDER BY attribution_status = ${none}, attribution_status`,
  );
  const rowsPerYear = await session.rows<{ year: string; rows: number }>(
    `SELECT substr(date, 1, 4) AS year, CAST(count(*) AS DOUBLE) AS rows FROM ${t} GROUP BY year ORDER BY year`,
  );
  const shared = await session.rows<{ dprk_match: string; incidents: string[] }>(
    `SELECT dprk_match, list(COALESCE(name, '') || ' (' || date || ')' ORDER BY date, source_row) AS incidents
       FROM ${t} WHERE dprk_match IS NOT NULL
      GROUP BY dprk_match HAVING count(*) > 1 ORDER BY min(date), dprk_match`,
  );
  const [gaps] = await session.rows<{ differing: number; name: string | null; date: string | null; dprk_match: string | null; days: number | null }>(
    `WITH gaps AS (
       SELECT name, date, dprk_match, CAST(date_diff('day', CAST(date AS DATE), CAST(substr(dprk_match, 1, 10) AS DATE)) AS DOUBLE) AS days, source_row
         FROM ${t} WHERE dprk_match IS NOT NULL)
     SELECT CAST((SELECT count(*) FROM gaps WHERE days <> 0) AS DOUBLE) AS differing, name, date, dprk_match, days
       FROM (SELECT 1) LEFT JOIN (SELECT * FROM gaps WHERE days <> 0 ORDER BY abs(days) DESC, date, source_row LIMIT 1) ON true`,
  );
  return {
    source,
    fileName,
    columns,
    rows: totals?.rows ?? 0,
    attributed: totals?.attributed ?? 0,
    statusCounts,
    emptyAmounts: totals?.empty ?? 0,
    zeroAmounts: totals?.zero ?? 0,
    firstDate: totals?.first ?? "",
    lastDate: totals?.last ?? "",
    rowsPerYear,
    sharedAttributions: shared.map((row) => ({ dprkMatch: row.dprk_match, incidents: row.incidents })),
    datesDiffering: gaps?.differing ?? 0,
    largestGap:
      gaps?.name != null && gaps.date != null && gaps.dprk_match != null && gaps.days != null
        ? { name: gaps.name, date: gaps.date, dprkMatch: gaps.dprk_match, days: gaps.days }
        : undefined,
  };
}

/** The one-line summary the build prints for a file. */
export function summaryLine(displayPath: string, profile: FileProfile): string {
  const statuses = profile.statusCounts.map((count) => `${count.status} ${count.rows}`).join(", ");
  return `${displayPath}: ${profile.rows} rows written, ${profile.attributed} with attribution (${statuses})`;
}
