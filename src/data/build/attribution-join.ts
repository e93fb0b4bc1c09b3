/**
 * Joins one incident list to the DPRK attribution list and writes it out. The join key is
 * the one the incident files were prepared with: an incident's dprk_match is the
 * attribution row's date || ' ' || name (raw-checks.ts has already proved every non-empty
 * dprk_match finds exactly one row). Unmatched rows get attribution_status `none` rather
 * than an empty value, so a study can name that group explicitly. The output is ordered by
 * date, then source_row, which is a total order, so a rerun writes the same bytes.
 */
import type { DuckDbSession } from "../duckdb-session.js";
import { quoteIdentifier as q, quoteLiteral } from "../sql.js";
import { attributionKeySql } from "./raw-checks.js";
import type { IncidentSource, LoadedCsv } from "./raw-inputs.js";

/** The value of attribution_status on rows with no attribution. */
export const NO_ATTRIBUTION = "none";

/**
 * Creates `built`: incident_id, source_row, every original column verbatim and in file
 * order, then attribution_status, dprk_cluster, attribution_source.
 */
export async function joinAttributions(
  session: DuckDbSession,
  source: IncidentSource,
  incidents: LoadedCsv,
  numberedIncidents: string,
  numberedAttributions: string,
  built: string,
): Promise<void> {
  const originals = incidents.columns.map((column) => `i.${q(column)}`).join(", ");
  await session.run(
    `CREATE TABLE ${q(built)} AS
     SELECT ${quoteLiteral(`${source}-`)} || CAST(i.source_row AS VARCHAR) AS incident_id,
            i.source_row,
            ${originals},
            COALESCE(a.attribution_status, ${quoteLiteral(NO_ATTRIBUTION)}) AS attribution_status,
            a.dprk_cluster AS dprk_cluster,
            a.primary_attribution_source AS attribution_source
       FROM ${q(numberedIncidents)} i
       LEFT JOIN ${q(numberedAttributions)} a ON i.dprk_match = ${attributionKeySql("a")}`,
  );
}

/**
 * Writes `built` to `file` as CSV with a header, fields quoted only when they need it,
 * empty fields for missing values, in date then source_row order.
 */
export async function writeBuiltCsv(session: DuckDbSession, built: string, file: string): Promise<void> {
  await session.run(
    `COPY (SELECT * FROM ${q(built)} ORDER BY date, source_row)
       TO ${quoteLiteral(file)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"')`,
  );
}
