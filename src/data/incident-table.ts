/**
 * Loads a data file into DuckDB and builds the `incidents` table every later query reads:
 * one row per source row with its data-row number, calendar day (in the spec's time zone),
 * parsed amount, group, and why it was left out, if it was. All of it in SQL, so large
 * files never pass through JavaScript row by row.
 */
import { DataError } from "../errors.js";
import { messages } from "../messages.js";
import type { ColumnCondition, NormalizedSpec } from "../spec/normalized-spec.js";
import { closestMatch } from "../util/did-you-mean.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { readFunctionSql } from "./source-reader.js";
import { quoteIdentifier as q, SqlParameters } from "./sql.js";

/** Why a row did not make it into the study; the order is the order of precedence. */
export const EXCLUSION_REASONS = {
  missing_date: "the date is empty",
  bad_date: "the date is not YYYY-MM-DD or an ISO 8601 timestamp",
  bad_amount: "the amount is not a plain number (no currency signs, commas or words; NaN and infinity are not amounts)",
  negative_amount: "the amount is negative",
  missing_amount: "the amount is empty and data.missing_amount is \"drop\"",
  duplicate: "an exact duplicate of an earlier row (data.duplicates is \"drop\")",
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface LoadedTable {
  columns: ColumnInfo[];
  rowsRead: number;
}

/** Reads the file into the table `source`, keeping file order in `rowid`. */
export async function loadSourceTable(session: DuckDbSession, spec: NormalizedSpec): Promise<LoadedTable> {
  try {
    await session.run(`CREATE TABLE source AS SELECT * FROM ${readFunctionSql(spec.data.path, spec.data.format)}`);
  } catch (error) {
    throw new DataError(messages.dataUnreadable(spec.data.displayPath, spec.data.format, (error as Error).message));
  }
  const columns = await session.rows<{ column_name: string; column_type: string }>("DESCRIBE source");
  const [count] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM source");
  return { columns: columns.map((column) => ({ name: column.column_name, type: column.column_type })), rowsRead: count?.n ?? 0 };
}

/** Every column the spec names must exist; the error points at the spec line that names it. */
export function checkColumnsExist(spec: NormalizedSpec, columns: readonly ColumnInfo[]): void {
  const names = columns.map((column) => column.name);
  const required: Array<{ role: string; column: string; path: ReadonlyArray<string | number> }> = [
    { role: "date", column: spec.data.columns.date, path: ["data", "columns", "date"] },
    { role: "amount", column: spec.data.columns.amount, path: ["data", "columns", "amount"] },
  ];
  if (spec.data.columns.name !== null) required.push({ role: "name", column: spec.data.columns.name, path: ["data", "columns", "name"] });
  if (spec.data.columns.url !== null) required.push({ role: "url", column: spec.data.columns.url, path: ["data", "columns", "url"] });
  const conditionColumns = (conditions: ColumnCondition[], role: string): void => {
    for (const condition of conditions) required.push({ role, column: condition.column, path: condition.specPath });
  };
  conditionColumns(spec.data.include, "filter");
  conditionColumns(spec.data.exclude, "filter");
  for (const group of spec.groups) {
    if (group.rule.kind === "match") conditionColumns(group.rule.conditions, `group "${group.name}"`);
  }
  for (const { role, column, path } of required) {
    if (!names.includes(column)) {
      const text = messages.columnMissing(role, column, spec.data.displayPath, names, closestMatch(column, names));
      // A condition's column is its key; point at the key, not at its values.
      // The spec may be right and the data file wrong: a data error (exit 3), pointing at the line.
      throw new DataError(messages.located(spec.source, path, text, path[0] !== "data" || path[1] === "filters"));
    }
  }
}

/**
 * Builds `incidents(source_row, day, amount, amount_known, name, grp, excluded, filtered_out)`.
 * `day` is days since 1970-01-01; `amount` is null when unknown; `excluded` names the
 * first exclusion reason that applies; `filtered_out` marks rows the spec's filters drop.
 */
export async function buildIncidentTable(session: DuckDbSession, spec: NormalizedSpec, columns: readonly ColumnInfo[]): Promise<void> {
  const params = new SqlParameters();
  const typeOf = (name: string): string => columns.find((column) => column.name === name)?.type ?? "VARCHAR";
  const dayExpression = calendarDaySql(q(spec.data.columns.date), typeOf(spec.data.columns.date), () => params.add(spec.data.timezone));
  const amountText = `trim(CAST(${q(spec.data.columns.amount)} AS VARCHAR))`;
  const rawDate = `trim(CAST(${q(spec.data.columns.date)} AS VARCHAR))`;
  const nameExpression = spec.data.columns.name === null ? "NULL" : `CAST(${q(spec.data.columns.name)} AS VARCHAR)`;
  const urlExpression = spec.data.columns.url === null ? "NULL" : `CAST(${q(spec.data.columns.url)} AS VARCHAR)`;
  const allColumns = columns.map((column) => q(column.name)).join(", ");
  const zeroUnknown = spec.data.zeroAmountIsUnknown ? `OR amount_value = 0` : "";

  const exclusion = [
    `WHEN raw_date IS NULL OR raw_date = '' THEN 'missing_date'`,
    `WHEN day_value IS NULL THEN 'bad_date'`,
    `WHEN raw_amount IS NOT NULL AND raw_amount <> '' AND (amount_value IS NULL OR NOT isfinite(amount_value)) THEN 'bad_amount'`,
    `WHEN amount_value < 0 THEN 'negative_amount'`,
    spec.data.missingAmount === "drop" ? `WHEN raw_amount IS NULL OR raw_amount = '' ${zeroUnknown} THEN 'missing_amount'` : "",
    spec.data.duplicates === "drop" ? `WHEN copy_number > 1 THEN 'duplicate'` : "",
  ].join("\n        ");

  await session.run(
    `CREATE TABLE incidents AS
     WITH parsed AS (
       SELECT rowid + 1 AS source_row,
              ${rawDate} AS raw_date,
              ${dayExpression} AS day_value,
              ${amountText} AS raw_amount,
              try_cast(${amountText} AS DOUBLE) AS amount_value,
              ${nameExpression} AS name,
              ${urlExpression} AS url,
              row_number() OVER (PARTITION BY ${allColumns} ORDER BY rowid) AS copy_number,
              ${filterSql(spec, params)} AS filtered_out,
              ${groupSql(spec, params)} AS grp
       FROM source
     )
     SELECT source_row, raw_date, raw_amount, name, url, grp, filtered_out, copy_number,
            (day_value - DATE '1970-01-01')::INTEGER AS day,
            CASE WHEN amount_value IS NULL OR NOT isfinite(amount_value) ${zeroUnknown} THEN NULL ELSE amount_value END AS amount,
            CASE ${exclusion}
                 ELSE NULL END AS excluded
     FROM parsed`,
    params.values,
  );
}

/**
 * SQL for the calendar day of a date column. A plain YYYY-MM-DD is that day in any zone;
 * a timestamp is an instant (UTC when it has no offset) shown as a day in `zone`.
 */
function calendarDaySql(column: string, type: string, zoneParameter: () => string): string {
  // The zone is bound only where the SQL uses it: DuckDB refuses unused parameters.
  if (type === "DATE") return column;
  const zone = zoneParameter();
  if (type.startsWith("TIMESTAMP WITH TIME ZONE")) return `CAST(timezone(${zone}, ${column}) AS DATE)`;
  if (type.startsWith("TIMESTAMP")) return `CAST(timezone(${zone}, timezone('UTC', ${column})) AS DATE)`;
  const text = `trim(CAST(${column} AS VARCHAR))`;
  return `CASE WHEN regexp_full_match(${text}, '\\d{4}-\\d{2}-\\d{2}') THEN try_cast(${text} AS DATE)
               WHEN regexp_matches(${text}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}') THEN CAST(timezone(${zone}, try_cast(${text} AS TIMESTAMPTZ)) AS DATE)
               ELSE NULL END`;
}

/** A condition as SQL: the column's text form equals one of the listed values. */
function conditionSql(condition: ColumnCondition, params: SqlParameters): string {
  const placeholders = condition.values.map((value) => params.add(String(value))).join(", ");
  return `(CAST(${q(condition.column)} AS VARCHAR) IN (${placeholders}))`;
}

function filterSql(spec: NormalizedSpec, params: SqlParameters): string {
  const parts: string[] = [];
  for (const condition of spec.data.include) parts.push(`NOT coalesce(${conditionSql(condition, params)}, false)`);
  for (const condition of spec.data.exclude) parts.push(`coalesce(${conditionSql(condition, params)}, false)`);
  if (spec.data.minAmount !== null) {
    const amount = `try_cast(trim(CAST(${q(spec.data.columns.amount)} AS VARCHAR)) AS DOUBLE)`;
    parts.push(`coalesce(${amount} < ${params.add(spec.data.minAmount)}, false)`);
  }
  return parts.length === 0 ? "false" : `(${parts.join(" OR ")})`;
}

/** The first group whose rule matches; `otherwise` takes the rest; no match is NULL. */
function groupSql(spec: NormalizedSpec, params: SqlParameters): string {
  const branches = spec.groups.map((group) => {
    const name = params.add(group.name);
    if (group.rule.kind === "otherwise") return `ELSE ${name}`;
    const conditions = group.rule.conditions.map((condition) => `coalesce(${conditionSql(condition, params)}, false)`);
    return `WHEN ${conditions.join(" AND ")} THEN ${name}`;
  });
  const hasOtherwise = spec.groups.some((group) => group.rule.kind === "otherwise");
  return `CASE ${branches.join(" ")} ${hasOtherwise ? "" : "ELSE NULL"} END`;
}
