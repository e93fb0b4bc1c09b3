/**
 * Which raw files the data build reads and how they enter DuckDB. Every value is read as
 * text (all_varchar) so that nothing is re-typed on the way through: an amount such as
 * `60000000` or an id such as `0123` comes out exactly as it went in. Each file becomes a
 * table created in file order, so its `rowid` + 1 is the 1-based data row (the CSV record,
 * not the physical line: SlowMist descriptions contain line breaks).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../../errors.js";
import type { DuckDbSession } from "../duckdb-session.js";
import { quoteIdentifier as q, quoteLiteral } from "../sql.js";
import { buildMessages } from "./build-messages.js";

/** The incident lists, in the order the build writes and reports them. */
export const INCIDENT_SOURCES = ["defillama", "slowmist", "blocksec"] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const ATTRIBUTIONS_FILE = "dprk_attributions.csv";

export function incidentFileName(source: IncidentSource): string {
  return `incidents_${source}.csv`;
}

/** Columns the build adds to every incident file; a raw file must not already have them. */
export const LEADING_ADDED_COLUMNS = ["incident_id", "source_row"] as const;
export const TRAILING_ADDED_COLUMNS = ["attribution_status", "dprk_cluster", "attribution_source"] as const;

export const INCIDENT_ADDED_COLUMNS: readonly string[] = [...LEADING_ADDED_COLUMNS, ...TRAILING_ADDED_COLUMNS];

export const REQUIRED_INCIDENT_COLUMNS = ["date", "name", "amount_usd", "dprk_flag", "dprk_match"] as const;
export const REQUIRED_ATTRIBUTION_COLUMNS = ["date", "name", "dprk_cluster", "attribution_status", "primary_attribution_source"] as const;

export interface LoadedCsv {
  /** Path as shown in messages. */
  file: string;
  table: string;
  /** Original columns, in file order. */
  columns: string[];
}

/**
 * Loads `inputDir/fileName` into `table` (original columns only) and `table`_numbered
 * (`source_row` first, then the original columns).
 */
export async function loadRawCsv(
  session: DuckDbSession,
  inputDir: string,
  fileName: string,
  table: string,
  required: readonly string[],
): Promise<LoadedCsv> {
  const file = join(inputDir, fileName);
  if (!existsSync(file)) throw new DataError(buildMessages.rawFileMissing(file));
  const read =
    `read_csv(${quoteLiteral(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ` +
    `strict_mode = true, null_padding = false)`;
  try {
    await session.run(`CREATE TABLE ${q(table)} AS SELECT * FROM ${read}`);
  } catch (error) {
    throw new DataError(buildMessages.rawFileUnreadable(file, firstLine(error)));
  }
  const described = await session.rows<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${q(table)})`);
  const columns = described.map((row) => row.column_name);
  const missing = required.filter((column) => !columns.includes(column));
  if (missing.length > 0) throw new DataError(buildMessages.missingColumns(file, missing, columns));
  return { file, table, columns };
}

/**
 * Creates `numbered` from `loaded`: `source_row` (1-based file order) then every original
 * column. `reserved` are column names the build will add later, which the file must not have.
 */
export async function numberRows(session: DuckDbSession, loaded: LoadedCsv, numbered: string, reserved: readonly string[] = []): Promise<void> {
  const clashing = ["source_row", ...reserved].filter((column) => loaded.columns.includes(column));
  if (clashing.length > 0) throw new DataError(buildMessages.reservedColumns(loaded.file, clashing));
  await session.run(`CREATE TABLE ${q(numbered)} AS SELECT CAST(rowid + 1 AS BIGINT) AS source_row, * FROM ${q(loaded.table)}`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
