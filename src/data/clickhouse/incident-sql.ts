/**
 * The engine's row rules (README, "Rules the engine follows") in ClickHouse 18.16 SQL, so
 * a study on a ClickHouse table or query is parsed, filtered, grouped and aggregated on
 * the server, and only daily aggregates and the top incidents cross the network.
 *
 * Every column is read through its text form, as the engine reads CSV: a bad date or
 * amount is seen and counted rather than rejected by the server. 18.16 has no window
 * functions and no CTEs, so the relation is nested subqueries, and exact duplicate rows
 * are found by grouping on every column (`copies`), which a Distributed table computes
 * across its shards. Spec values are escaped literals (18.16 has no query parameters);
 * column names are quoted identifiers.
 *
 * Known differences from the DuckDB reader (documented in the README): ClickHouse's Date
 * starts at 1970-01-01; `+5` and `1_000` are not numbers here (DuckDB reads them); a row
 * is identified by a hash of its values, since a table has no row order.
 */
import type { ColumnCondition, NormalizedSpec } from "../../spec/normalized-spec.js";
import { quoteClickHouseIdentifier as q, quoteClickHouseString as s } from "./sql.js";
import { MAX_AMOUNT, type ExclusionReason } from "../exclusions.js";

export interface ClickHouseColumn {
  name: string;
  type: string;
}

/** What the study reads from: a table (`db.table` or `table`) or a query. */
export function sourceSql(source: { table: string | null; query: string | null }): string {
  if (source.query !== null) return `(${source.query.replace(/[\s;]+$/, "")})`;
  const parts = (source.table ?? "").split(".");
  return parts.map(q).join(".");
}

/** The text form of a column: what a CSV cell would hold. */
function textOf(column: ClickHouseColumn): string {
  const id = q(column.name);
  const base = column.type.replace(/^Nullable\((.*)\)$/, "$1");
  // A DateTime is an instant: written in UTC, it reads back as the same instant (a naive timestamp is UTC).
  if (base.startsWith("DateTime")) return `toString(${id}, 'UTC')`;
  if (base === "String") return id;
  // A FixedString is padded with NUL bytes to its length: its text ends at the first NUL
  // ('lazarus' in a FixedString(8) is 'lazarus\0', which no spec value equals).
  if (base.startsWith("FixedString")) return `toStringCutToZero(${id})`;
  return `toString(${id})`;
}

/** DuckDB's trim: spaces at both ends. */
const trim = (text: string): string => `replaceRegexpAll(${text}, '^ +| +$', '')`;

/** A real calendar date in YYYY-MM-DD (18.16's toDateOrNull also accepts 2024-02-30 and 2024-6-9). */
const realDate = (text: string): string => `(match(${text}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') AND toString(toDateOrNull(${text})) = ${text})`;

/** The calendar day (days since 1970-01-01) of a date or timestamp text in `zone`, or NULL. */
function dayOf(text: string, zone: string): string {
  return `multiIf(${realDate(text)}, toUInt16(toDateOrNull(${text})),
      match(${text}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}') AND ${realDate(`substring(${text}, 1, 10)`)},
        toUInt16(toDate(parseDateTimeBestEffortOrNull(${text}, 'UTC'), ${zone})),
      CAST(NULL AS Nullable(UInt16)))`;
}

function checkedDay(day: number): string {
  if (!Number.isSafeInteger(day)) throw new Error(`not a day: ${day}`);
  return String(day);
}

/**
 * The relation `incidents` as the queries read it: one row per distinct source row (with
 * `copies`), its text date and amount, day number, parsed amount, group, filter flag and
 * exclusion reason. With `days`, only the rows dated in that span (for questions about a
 * window: the relation is then built from those rows alone).
 */
export function incidentsSql(spec: NormalizedSpec, source: string, columns: readonly ClickHouseColumn[], days?: { from: number; to: number }): string {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const text = (name: string): string => textOf(byName.get(name) ?? { name, type: "String" });
  const allColumns = columns.map((column) => q(column.name)).join(", ");
  const dateText = trim(text(spec.data.columns.date));
  const amountText = trim(text(spec.data.columns.amount));
  const zone = s(spec.data.timezone);
  const nameText = spec.data.columns.name === null ? "CAST(NULL AS Nullable(String))" : text(spec.data.columns.name);
  const urlText = spec.data.columns.url === null ? "CAST(NULL AS Nullable(String))" : text(spec.data.columns.url);
  // Compared trimmed, as the DuckDB reader does (row-expressions.ts, conditionSql).
  const condition = (item: ColumnCondition): string => `ifNull(${trim(text(item.column))} IN (${item.values.map((value) => s(String(value))).join(", ")}), 0)`;
  const filters = [
    ...spec.data.include.map((item) => `NOT ${condition(item)}`),
    ...spec.data.exclude.map(condition),
    ...(spec.data.minAmount === null ? [] : [`ifNull(toFloat64OrNull(${amountText}) < ${Number(spec.data.minAmount)}, 0)`]),
  ];
  const groupBranches = spec.groups.flatMap((group) =>
    group.rule.kind === "otherwise" ? [] : [`${group.rule.conditions.map(condition).join(" AND ")}, ${s(group.name)}`],
  );
  const fallback = spec.groups.find((group) => group.rule.kind === "otherwise");
  const fallbackSql = fallback === undefined ? "CAST(NULL AS Nullable(String))" : s(fallback.name);
  // multiIf needs a condition: with only an `otherwise` group, every row is in it.
  const groupSql = groupBranches.length === 0 ? fallbackSql : `multiIf(${[...groupBranches, fallbackSql].join(", ")})`;
  // Duplicates: "drop" groups identical rows (every column) into one with `copies`; "keep"
  // and "unchecked" read each row as it is (no grouping: each copy is a row of its own).
  // Rows dated outside `days` are left out before identical rows are grouped: copies share
  // their date, so the groups of the rows kept are the same, and the grouping is smaller.
  const inDays = days === undefined ? "" : ` WHERE ${dayOf(dateText, zone)} BETWEEN ${checkedDay(days.from)} AND ${checkedDay(days.to)}`;
  const distinct =
    spec.data.duplicates === "drop"
      ? `SELECT ${allColumns}, count() AS copies FROM ${source}${inDays} GROUP BY ${allColumns}`
      : `SELECT ${allColumns}, 1 AS copies FROM ${source}${inDays}`;
  const zeroUnknown = spec.data.zeroAmountIsUnknown ? " OR amount_value = 0" : "";
  const reason = (name: ExclusionReason): string => s(name);
  const exclusion = [
    `raw_date IS NULL OR raw_date = '', ${reason("missing_date")}`,
    `day IS NULL, ${reason("bad_date")}`,
    `raw_amount IS NOT NULL AND raw_amount != '' AND (amount_value IS NULL OR NOT isFinite(amount_value)), ${reason("bad_amount")}`,
    `ifNull(amount_value < 0, 0), ${reason("negative_amount")}`,
    `ifNull(amount_value > ${MAX_AMOUNT}, 0), ${reason("huge_amount")}`,
    ...(spec.data.missingAmount === "drop" ? [`raw_amount IS NULL OR raw_amount = ''${zeroUnknown}, ${reason("missing_amount")}`] : []),
  ].map((branch) => {
    const [test, value] = [branch.slice(0, branch.lastIndexOf(", ")), branch.slice(branch.lastIndexOf(", ") + 2)];
    return `ifNull(${test}, 0), ${value}`;
  });
  const dayValue = dayOf("raw_date", zone);
  return `(SELECT *, multiIf(${exclusion.join(", ")}, CAST(NULL AS Nullable(String))) AS excluded
    FROM (SELECT *, ${dayValue} AS day,
                 if(amount_value IS NULL OR NOT isFinite(amount_value)${zeroUnknown}, CAST(NULL AS Nullable(Float64)), amount_value) AS amount
          FROM (SELECT copies,
                       toFloat64(${rowHashSql(columns)} % 9007199254740992) AS row,
                       ${dateText} AS raw_date, ${amountText} AS raw_amount, toFloat64OrNull(${amountText}) AS amount_value,
                       ${nameText} AS name, ${urlText} AS url,
                       ${filters.length === 0 ? "0" : filters.join(" OR ")} AS filtered_out,
                       ${groupSql} AS grp
                FROM (${distinct}))))`;
}

/**
 * A hash of a row's values that sees NULLs: cityHash64 of a NULL is NULL (and sum() skips
 * it), so each value is hashed through its text form with NULL written as a NUL byte.
 */
export function rowHashSql(columns: readonly ClickHouseColumn[]): string {
  return `cityHash64(${columns.map((column) => `ifNull(toString(${q(column.name)}), '\\0')`).join(", ")})`;
}

