/**
 * The per-row SQL the incident table is built from: a source row's calendar day, its
 * amount, its group, whether a filter drops it, and the text shown for it in warnings.
 *
 * The rules are the engine's (README, "Rules the engine follows"); what this file adds is
 * speed on tens of millions of rows. The costly steps on text are `trim` (it allocates a
 * new string per row) and regular expressions, so each expression first tries a cheap
 * test that settles the common case exactly — a GLOB on the untrimmed text, a cast of the
 * untrimmed text — and only falls back to the full rule for the rows it cannot settle.
 * Each fast path is chosen so that it can only accept a row the full rule accepts, with
 * the same value: see the comment at each.
 */
import type { ColumnCondition, NormalizedSpec } from "../spec/normalized-spec.js";
import { quoteIdentifier as q, type SqlParameters } from "./sql.js";

export interface ColumnInfo {
  name: string;
  type: string;
}

/** YYYY-MM-DD, digits only (`\d{4}-\d{2}-\d{2}` without a regular expression). */
const PLAIN_DATE_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";

/** Column types whose DOUBLE cast equals parsing their text form (so no text round trip). */
const EXACT_DOUBLE_TYPES = new Set(["DOUBLE", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"]);

/**
 * Types whose non-NULL values never have empty text, so "missing" is just NULL there and
 * the text (a cast and a trim per row, the costliest part of reading 10M typed rows) is
 * not needed. Text, BLOBs and anything else keep the full rule.
 */
function textNeverEmpty(type: string): boolean {
  return /^(BOOLEAN|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|DATE|TIME|TIMESTAMP|INTERVAL|UUID)( WITH TIME ZONE|_S|_MS|_NS)?$/.test(type);
}

/** The column types, by column name (VARCHAR for a name not listed). */
export type ColumnTypes = (name: string) => string;

export function columnTypes(columns: readonly ColumnInfo[]): ColumnTypes {
  const byName = new Map(columns.map((column) => [column.name, column.type]));
  return (name) => byName.get(name) ?? "VARCHAR";
}

/**
 * The text of a value as written, untrimmed. A JSON-typed column (what DuckDB makes of an
 * NDJSON or JSON key whose values mix types: a string in one row, a number in another) is
 * read as its plain text, not its JSON form: the string "lazarus" as lazarus, not
 * "\"lazarus\"" (json_extract_string also gives a JSON null as NULL, and a number or
 * boolean as its text).
 */
export function rawTextSql(column: string, type: string): string {
  if (type === "VARCHAR") return column;
  if (type === "JSON") return `json_extract_string(${column}, '$')`;
  return `CAST(${column} AS VARCHAR)`;
}

/**
 * The text form of a value, as the rules see it: with ASCII spaces at both ends removed.
 * Only ' ': DuckDB's plain trim also removes Unicode spaces (a no-break space), which
 * ClickHouse's trim (incident-sql.ts) and the spec's check (normalize.ts) do not, and the
 * same data must match the same rows on both engines.
 */
export function textSql(column: string, type: string): string {
  return `trim(${rawTextSql(column, type)}, ' ')`;
}

/**
 * The calendar day (a DATE) of a date column. A plain YYYY-MM-DD is that day in any zone;
 * a timestamp is an instant (UTC when it has no offset) shown as a day in `zone`.
 */
export function calendarDaySql(column: string, type: string, zoneParameter: () => string): string {
  // The zone is bound only where the SQL uses it: DuckDB refuses unused parameters.
  if (type === "DATE") return column;
  const zone = zoneParameter();
  if (type.startsWith("TIMESTAMP WITH TIME ZONE")) return `CAST(timezone(${zone}, ${column}) AS DATE)`;
  if (type.startsWith("TIMESTAMP")) return `CAST(timezone(${zone}, timezone('UTC', ${column})) AS DATE)`;
  const text = textSql(column, type);
  const fullRule = `CASE WHEN regexp_full_match(${text}, '\\d{4}-\\d{2}-\\d{2}') THEN try_cast(${text} AS DATE)
               WHEN regexp_matches(${text}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}') THEN CAST(timezone(${zone}, try_cast(${text} AS TIMESTAMPTZ)) AS DATE)
               ELSE NULL END`;
  if (type !== "VARCHAR") return fullRule;
  // Fast path: untrimmed text that is exactly YYYY-MM-DD is its own trimmed form, and the
  // full rule's first branch accepts it with this very cast.
  return `CASE WHEN ${column} GLOB ${PLAIN_DATE_GLOB} THEN try_cast(${column} AS DATE) ELSE ${fullRule} END`;
}

/** True when the date is missing: NULL, or empty once trimmed. */
export function dateMissingSql(column: string, type: string): string {
  if (textNeverEmpty(type)) return `(${column} IS NULL)`;
  // coalesce: a JSON null is a non-NULL JSON value whose text is NULL.
  if (type !== "VARCHAR") return `(${column} IS NULL OR coalesce(${textSql(column, type)}, '') = '')`;
  // Text that starts with a digit is not empty once trimmed: no need to trim it.
  return `(CASE WHEN ${column} IS NULL THEN true WHEN ${column} GLOB '[0-9]*' THEN false ELSE trim(${column}) = '' END)`;
}

/** The amount as a DOUBLE (NULL when its text is not a number; NaN and infinity pass here and are refused later). */
export function amountValueSql(column: string, type: string): string {
  if (EXACT_DOUBLE_TYPES.has(type)) return `CAST(${column} AS DOUBLE)`;
  if (type !== "VARCHAR") return `try_cast(${textSql(column, type)} AS DOUBLE)`;
  // DuckDB's number cast skips surrounding spaces, so when the untrimmed text casts, the
  // trimmed text casts to the same number; trim only the rest.
  return `coalesce(try_cast(${column} AS DOUBLE), try_cast(trim(${column}) AS DOUBLE))`;
}

/** True when the amount is missing: NULL, or empty once trimmed. `value` is amountValueSql's result. */
export function amountMissingSql(column: string, type: string, value: string): string {
  if (textNeverEmpty(type)) return `(${column} IS NULL)`;
  if (type !== "VARCHAR") return `(${column} IS NULL OR coalesce(${textSql(column, type)}, '') = '')`;
  // A value that parsed as a number is not empty.
  return `(CASE WHEN ${column} IS NULL THEN true WHEN ${value} IS NOT NULL THEN false ELSE trim(${column}) = '' END)`;
}

/**
 * A condition as SQL: the column's text form, trimmed, equals one of the listed values
 * (bound, never spliced). Trimmed as dates and amounts are, so ` lazarus` from data
 * written `a, b, c` matches `lazarus` (the spec's values have no spaces at either end:
 * normalize.ts refuses them).
 */
export function conditionSql(condition: ColumnCondition, params: SqlParameters, type: string): string {
  const placeholders = condition.values.map((value) => params.add(String(value))).join(", ");
  const column = q(condition.column);
  // A typed value's text (a number, a date, true) has no spaces to trim.
  if (type !== "JSON" && textNeverEmpty(type)) return `(CAST(${column} AS VARCHAR) IN (${placeholders}))`;
  if (type !== "VARCHAR") return `(${textSql(column, type)} IN (${placeholders}))`;
  // Fast path: text equal to a value as it stands is its own trimmed form (the values have
  // no outer spaces); only text with a space at either end is trimmed (trim allocates).
  return `(CASE WHEN ${column} IN (${placeholders}) THEN true
               WHEN starts_with(${column}, ' ') OR ends_with(${column}, ' ') THEN ${textSql(column, type)} IN (${placeholders})
               ELSE false END)`;
}

/** True when the spec's filters drop the row. `amountValue` is the parsed amount. */
export function filterSql(spec: NormalizedSpec, amountValue: string, params: SqlParameters, types: ColumnTypes): string {
  const parts: string[] = [];
  for (const condition of spec.data.include) parts.push(`NOT coalesce(${conditionSql(condition, params, types(condition.column))}, false)`);
  for (const condition of spec.data.exclude) parts.push(`coalesce(${conditionSql(condition, params, types(condition.column))}, false)`);
  // Bound as text and cast: a whole number of 2^63 or more (min_amount: 1e21) is sent by the
  // DuckDB client as a BIGINT, which it cannot hold (the study failed as "cannot read the file").
  if (spec.data.minAmount !== null) parts.push(`coalesce(${amountValue} < CAST(${params.add(String(spec.data.minAmount))} AS DOUBLE), false)`);
  return parts.length === 0 ? "false" : `(${parts.join(" OR ")})`;
}

/**
 * The 1-based index (in spec order) of the first group whose rule matches; `otherwise`
 * takes the rest; no match is NULL. An index, not the name: a few bits of a packed integer
 * a row instead of a string, and the names live in the small `group_names` table.
 */
export function groupIndexSql(spec: NormalizedSpec, params: SqlParameters, types: ColumnTypes): string {
  const branches = spec.groups.map((group, index) => {
    const value = `${index + 1}`;
    if (group.rule.kind === "otherwise") return `ELSE ${value}`;
    const conditions = group.rule.conditions.map((condition) => `coalesce(${conditionSql(condition, params, types(condition.column))}, false)`);
    return `WHEN ${conditions.join(" AND ")} THEN ${value}`;
  });
  const hasOtherwise = spec.groups.some((group) => group.rule.kind === "otherwise");
  // A CASE needs at least one WHEN: with only an `otherwise` group (what `init` writes for
  // data without a group column), every row is in it.
  if (!branches.some((branch) => branch.startsWith("WHEN"))) return hasOtherwise ? `(${spec.groups.findIndex((group) => group.rule.kind === "otherwise") + 1})` : "(NULL)";
  return `(CASE ${branches.join(" ")} ${hasOtherwise ? "" : "ELSE NULL"} END)`;
}

/**
 * The text a warning shows for a row left out or with an unknown amount, as JSON: the date
 * and amount as written (trimmed), the name and the url. rows_v unpacks it.
 */
export function detailSql(spec: NormalizedSpec, types: ColumnTypes): string {
  const { date, amount } = spec.data.columns;
  return `to_json({'date': ${textSql(q(date), types(date))}, 'amount': ${textSql(q(amount), types(amount))}, 'name': ${nameSql(spec, types)}, 'url': ${urlSql(spec, types)}})::VARCHAR`;
}

/**
 * The text the report shows for a used row (largest incidents, timeline): the bare name,
 * or JSON with the url when the spec names a url column. The bare name spares building a
 * JSON string for every row in the windows (to_json is the costly part); `json` says which.
 */
export function spanDetailSql(spec: NormalizedSpec, types: ColumnTypes): { sql: string; json: boolean } {
  if (spec.data.columns.url === null) return { sql: nameSql(spec, types), json: false };
  return { sql: `to_json({'name': ${nameSql(spec, types)}, 'url': ${urlSql(spec, types)}})::VARCHAR`, json: true };
}

function nameSql(spec: NormalizedSpec, types: ColumnTypes): string {
  const name = spec.data.columns.name;
  return name === null ? "NULL::VARCHAR" : `CAST(${rawTextSql(q(name), types(name))} AS VARCHAR)`;
}

function urlSql(spec: NormalizedSpec, types: ColumnTypes): string {
  const url = spec.data.columns.url;
  return url === null ? "NULL::VARCHAR" : `CAST(${rawTextSql(q(url), types(url))} AS VARCHAR)`;
}

/**
 * A 32-bit hash of every column of the source row (the top half of DuckDB's 64-bit hash()):
 * equal rows hash alike (NULLs included). 32 bits, not 64: the duplicate search sorts
 * this column, and 4-byte keys sort in about half the time (10M rows: ~0.5 s against
 * ~1.0 s). Chance collisions (~12,000 pairs at 10M rows) only add rows to the exact
 * comparison (duplicates.ts).
 */
export function rowHashSql(columns: readonly ColumnInfo[]): string {
  return `CAST(hash(${columns.map((column) => q(column.name)).join(", ")}) >> 32 AS UINTEGER)`;
}
