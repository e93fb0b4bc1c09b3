/**
 * The checks that stop the data build before anything is written, because the built files
 * would otherwise be silently wrong: a date that does not sort as a day, an attribution key
 * that is missing or repeated, a dprk_match that finds no attribution row (or several),
 * and a dprk_flag that contradicts the attribution it points to. Each failure lists every
 * offending row, by its 1-based data row in the raw file.
 */
import { DataError } from "../../errors.js";
import type { DuckDbSession } from "../duckdb-session.js";
import { quoteIdentifier as q } from "../sql.js";
import { buildMessages, type RowProblem } from "./build-messages.js";
import type { LoadedCsv } from "./raw-inputs.js";

/** The join key, on the attribution side, that an incident's dprk_match must equal. */
export function attributionKeySql(alias: string): string {
  return `${alias}.date || ' ' || ${alias}.name`;
}

/** Flags that stand for more than one attribution_status (the researcher's list with or without a cluster). */
export const FLAG_STATUS_SQL = `(i.dprk_flag = a.attribution_status OR (i.dprk_flag = 'tay_listed' AND a.attribution_status IN ('listed_by_tay', 'listed_by_tay_cluster_unclear')))`;

const VALID_DAY_SQL = `(regexp_full_match(date, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(date AS DATE) IS NOT NULL)`;

interface ProblemRow {
  row: number;
  name: string;
  detail: string;
  [key: string]: unknown;
}

async function problems(session: DuckDbSession, sql: string): Promise<RowProblem[]> {
  const rows = await session.rows<ProblemRow>(sql);
  return rows.map((row) => ({ row: row.row, name: row.name, detail: row.detail }));
}

/** Every attribution row has a date, a name and a status, and date || ' ' || name is unique. */
export async function checkAttributions(session: DuckDbSession, attributions: LoadedCsv, numbered: string): Promise<void> {
  const found: string[] = [];
  const incomplete = await problems(
    session,
    `SELECT CAST(source_row AS DOUBLE) AS row, COALESCE(name, '') AS name,
            'empty ' || concat_ws(', ', CASE WHEN date IS NULL THEN 'date' END, CASE WHEN name IS NULL THEN 'name' END,
                                  CASE WHEN attribution_status IS NULL THEN 'attribution_status' END) AS detail
       FROM ${q(numbered)}
      WHERE date IS NULL OR name IS NULL OR attribution_status IS NULL
      ORDER BY source_row`,
  );
  found.push(...incomplete.map((p) => `row ${p.row} (${JSON.stringify(p.name)}): ${p.detail}`));
  const badDates = await problems(
    session,
    `SELECT CAST(source_row AS DOUBLE) AS row, COALESCE(name, '') AS name, 'date ' || to_json(date)::VARCHAR AS detail
       FROM ${q(numbered)} WHERE date IS NOT NULL AND NOT ${VALID_DAY_SQL} ORDER BY source_row`,
  );
  found.push(...badDates.map((p) => `row ${p.row} (${JSON.stringify(p.name)}): ${p.detail} is not a valid YYYY-MM-DD day`));
  const duplicates = await session.rows<{ key: string; rows: string }>(
    `SELECT ${attributionKeySql("a")} AS key, string_agg(CAST(source_row AS VARCHAR), ', ' ORDER BY source_row) AS rows
       FROM ${q(numbered)} a
      WHERE date IS NOT NULL AND name IS NOT NULL
      GROUP BY key HAVING count(*) > 1 ORDER BY min(source_row)`,
  );
  found.push(...duplicates.map((d) => `key ${JSON.stringify(d.key)} is on rows ${d.rows}`));
  if (found.length > 0) throw new DataError(buildMessages.attributionKeyProblems(attributions.file, found));
}

/** Every incident date is a valid YYYY-MM-DD day, so sorting the text sorts the days. */
export async function checkIncidentDates(session: DuckDbSession, incidents: LoadedCsv, numbered: string): Promise<void> {
  const bad = await problems(
    session,
    `SELECT CAST(source_row AS DOUBLE) AS row, COALESCE(name, '') AS name,
            CASE WHEN date IS NULL THEN 'empty date' ELSE 'date ' || to_json(date)::VARCHAR END AS detail
       FROM ${q(numbered)} WHERE date IS NULL OR NOT ${VALID_DAY_SQL} ORDER BY source_row`,
  );
  if (bad.length > 0) throw new DataError(buildMessages.badDates(incidents.file, bad));
}

/**
 * Every non-empty dprk_match equals date || ' ' || name of exactly one attribution row, and
 * the incident's dprk_flag agrees with that row's attribution_status.
 */
export async function checkDprkMatches(
  session: DuckDbSession,
  incidents: LoadedCsv,
  numberedIncidents: string,
  attributions: LoadedCsv,
  numberedAttributions: string,
): Promise<void> {
  const unmatched = await problems(
    session,
    `SELECT CAST(i.source_row AS DOUBLE) AS row, COALESCE(i.name, '') AS name,
            'dprk_match ' || to_json(i.dprk_match)::VARCHAR ||
              CASE WHEN count(a.source_row) = 0 THEN ' finds no attribution row'
                   ELSE ' finds ' || CAST(count(a.source_row) AS VARCHAR) || ' attribution rows' END AS detail
       FROM ${q(numberedIncidents)} i
       LEFT JOIN ${q(numberedAttributions)} a ON i.dprk_match = ${attributionKeySql("a")}
      WHERE i.dprk_match IS NOT NULL
      GROUP BY i.source_row, i.name, i.dprk_match
     HAVING count(a.source_row) <> 1
      ORDER BY i.source_row`,
  );
  if (unmatched.length > 0) throw new DataError(buildMessages.unmatchedDprkMatch(incidents.file, attributions.file, unmatched));

  const disagreeing = await problems(
    session,
    `SELECT CAST(i.source_row AS DOUBLE) AS row, COALESCE(i.name, '') AS name,
            'dprk_flag ' || to_json(i.dprk_flag)::VARCHAR || ', dprk_match ' || to_json(i.dprk_match)::VARCHAR ||
              CASE WHEN a.source_row IS NULL THEN '' ELSE ', attribution_status ' || to_json(a.attribution_status)::VARCHAR END AS detail
       FROM ${q(numberedIncidents)} i
       LEFT JOIN ${q(numberedAttributions)} a ON i.dprk_match = ${attributionKeySql("a")}
      WHERE (i.dprk_flag IS NULL) <> (i.dprk_match IS NULL)
         OR (a.source_row IS NOT NULL AND NOT ${FLAG_STATUS_SQL})
      ORDER BY i.source_row`,
  );
  if (disagreeing.length > 0) throw new DataError(buildMessages.flagDisagrees(incidents.file, attributions.file, disagreeing));
}
