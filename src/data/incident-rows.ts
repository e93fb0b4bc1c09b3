/**
 * The layout of `incident_rows`, the one pass over the file that fills it, and the views
 * that unpack it. incident-table.ts says what the table is for.
 *
 * One row per source row, in file order: `day` (INTEGER, days since 1970-01-01), `amount`
 * (DOUBLE, NULL when unknown), `info` (UINTEGER, below), `h` (a 32-bit hash of the whole
 * source row, for duplicates; NULL for rows left out; no such column with
 * data.duplicates: unchecked, which does not look for them) and `detail` (VARCHAR, NULL for
 * rows no warning or report shows). Each column of an in-memory DuckDB table costs ~2
 * bytes a row of bookkeeping on top of its data, and on this machine memory first touched
 * costs more than the arithmetic, so the small fields share one integer:
 *
 *   info = group index (0 = none; bits 0-15) + code * 2^16 (bits 16-19)
 *        + 2^20 if a filter drops the row + 2^21 if `detail` is JSON (else a bare name)
 *
 * Data read from several files also has `file_index` (which file, in read order).
 *
 * For one Parquet file incident_rows is a view over the file instead (createIncidentRows
 * says why), with the same columns, the row number as `rowid`, and `date_key` (the date
 * column as stored, when it is a date or a timestamp: spanPrefilterSql).
 */
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import type { DayNumber } from "../util/days.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { EXCLUSION_CODES, KEPT_COPY_CODE, MAX_AMOUNT } from "./exclusions.js";
import {
  amountMissingSql,
  amountValueSql,
  calendarDaySql,
  columnTypes,
  dateMissingSql,
  detailSql,
  filterSql,
  groupIndexSql,
  rowHashSql,
  spanDetailSql,
  type ColumnInfo,
} from "./row-expressions.js";
import { ROW_NUMBER_COLUMN } from "./source-reader.js";
import { quoteIdentifier as q, SqlParameters, VariableParameters } from "./sql.js";

const CODE_UNIT = 2 ** 16;
const FILTERED_FLAG = 2 ** 20;
const JSON_FLAG = 2 ** 21;
// The codes take 4 bits; the unpacking below relies on it.
if (KEPT_COPY_CODE > 15) throw new Error("exclusion codes no longer fit in 4 bits of incident_rows.info");
/** The most groups the packed group index can hold. */
export const MAX_GROUPS = CODE_UNIT - 1;

/**
 * Where incident_rows reads from. `table`: the read (readFunctionSql) is made once into a
 * table; its row order is the file's (DuckDB keeps insertion order while
 * preserve_insertion_order is on, its default), which is what makes `rowid + 1` the
 * data-row number. `view`: the rows are numbered by the file itself (numberedRowsSql's
 * ROW_NUMBER_COLUMN) and incident_rows is a view over them with that number as a column
 * named `rowid`, so every query reads both alike.
 */
export type IncidentRowsSource = { kind: "table"; read: string } | { kind: "view"; numberedRead: string };

/**
 * The one pass over the file (a table), or the view that is read instead; returns the
 * number of rows read.
 *
 * The view is for one Parquet file (incident-table.ts decides): reading it again is cheap
 * (columns are read separately, and DuckDB numbers its rows in parallel and finds a row by
 * number without reading the rest), while writing a table of 10M rows cost ~1.8 s, more
 * than the two or three reads that replace it. A CSV file is parsed again by each read,
 * and its rows can only be numbered by one thread: there the table is faster.
 */
export async function createIncidentRows(session: DuckDbSession, spec: NormalizedSpec, columns: readonly ColumnInfo[], source: IncidentRowsSource, multiFile: boolean): Promise<number> {
  if (spec.groups.length > MAX_GROUPS) throw new Error(`at most ${MAX_GROUPS} groups are supported, the spec has ${spec.groups.length}`);
  // Helper columns carry a prefix no data file is expected to use.
  const c = {
    dayValue: "__es_day_value", amountValue: "__es_amount_value", dateMissing: "__es_date_missing", amountMissing: "__es_amount_missing",
    code: "__es_code", day: "__es_day", amount: "__es_amount", filtered: "__es_filtered_out", flagged: "__es_flagged", inSpan: "__es_in_span",
  };
  const params = source.kind === "table" ? new SqlParameters() : new VariableParameters("eventstudy_rows_p");
  const typeOf = columnTypes(columns);
  const [dateColumn, amountColumn] = [q(spec.data.columns.date), q(spec.data.columns.amount)];
  const [dateType, amountType] = [typeOf(spec.data.columns.date), typeOf(spec.data.columns.amount)];
  // In a view, the date column as stored, for spanPrefilterSql.
  const dateKey = source.kind === "view" && (dateType === "DATE" || dateType.startsWith("TIMESTAMP"));
  const zeroUnknown = spec.data.zeroAmountIsUnknown ? `OR ${c.amountValue} = 0` : "";
  const codes = EXCLUSION_CODES;
  const exclusion = [
    `WHEN ${c.dateMissing} THEN ${codes.missing_date}`,
    `WHEN ${c.dayValue} IS NULL THEN ${codes.bad_date}`,
    `WHEN NOT ${c.amountMissing} AND (${c.amountValue} IS NULL OR NOT isfinite(${c.amountValue})) THEN ${codes.bad_amount}`,
    `WHEN ${c.amountValue} < 0 THEN ${codes.negative_amount}`,
    `WHEN ${c.amountValue} > ${MAX_AMOUNT} THEN ${codes.huge_amount}`,
    spec.data.missingAmount === "drop" ? `WHEN ${c.amountMissing} ${zeroUnknown} THEN ${codes.missing_amount}` : "",
  ].join(" ");
  const dayValue = calendarDaySql(dateColumn, dateType, () => params.add(spec.data.timezone));
  const filtered = filterSql(spec, c.amountValue, params, typeOf);
  const group = groupIndexSql(spec, params, typeOf);
  // Text is kept only for the rows that may be shown: rows left out or with an unknown
  // amount (warnings list examples: JSON with the date and amount as written), and used
  // rows in the span the windows can cover (largest incidents, timeline, snapshots: the
  // name). Coverage only ever narrows the windows, so the spec's own windows bound it.
  const span = { start: params.add(spec.windows.pre.start), end: params.add(spec.windows.post.end) };
  const spanDetail = spanDetailSql(spec, typeOf);
  // Rows outside a declared coverage are in no window, and a warning names a few of them.
  const outsideCoverage = [
    spec.coverage.start === null ? "" : ` OR ${c.day} < ${params.add(spec.coverage.start)}`,
    spec.coverage.end === null ? "" : ` OR ${c.day} > ${params.add(spec.coverage.end)}`,
  ].join("");
  // Levels so that each costly expression is computed once per row, and the hash and the
  // text only for the rows that need them (a CASE evaluates a branch only where taken).
  const select = `WITH parsed AS (
       SELECT *, ${multiFile ? "file_index AS __es_file_index, " : ""}${dayValue} AS ${c.dayValue}, ${amountValueSql(amountColumn, amountType)} AS ${c.amountValue},
              ${dateMissingSql(dateColumn, dateType)} AS ${c.dateMissing}
       FROM ${source.kind === "table" ? source.read : source.numberedRead}
     ), checked AS (
       SELECT *, CASE ${exclusion} ELSE NULL END AS ${c.code}
       FROM (SELECT *, ${amountMissingSql(amountColumn, amountType, c.amountValue)} AS ${c.amountMissing} FROM parsed)
     ), shaped AS (
       SELECT *, (${c.dayValue} - DATE '1970-01-01')::INTEGER AS ${c.day},
              CASE WHEN ${c.amountValue} IS NULL OR NOT isfinite(${c.amountValue}) ${zeroUnknown} THEN NULL ELSE ${c.amountValue} END AS ${c.amount},
              ${filtered} AS ${c.filtered}
       FROM checked
     ), flagged AS (
       SELECT *, ${c.code} IS NOT NULL OR ${c.amount} IS NULL${outsideCoverage} AS ${c.flagged},
              NOT ${c.filtered} AND ${c.day} BETWEEN ${span.start} AND ${span.end} AS ${c.inSpan}
       FROM shaped
     )
     SELECT ${source.kind === "view" ? `${q(ROW_NUMBER_COLUMN)} AS rowid, ` : ""}${dateKey ? `${dateColumn} AS date_key, ` : ""}${c.day} AS day, ${c.amount} AS amount,
            CAST(coalesce(${group}, 0) + coalesce(${c.code}, 0) * ${CODE_UNIT} + CASE WHEN ${c.filtered} THEN ${FILTERED_FLAG} ELSE 0 END
                 + CASE WHEN ${c.flagged}${spanDetail.json ? ` OR ${c.inSpan}` : ""} THEN ${JSON_FLAG} ELSE 0 END AS UINTEGER) AS info,
            ${spec.data.duplicates === "unchecked" ? "" : `CASE WHEN ${c.code} IS NULL THEN ${rowHashSql(columns)} END AS h,`}
            CASE WHEN ${c.flagged} THEN ${detailSql(spec, typeOf)} WHEN ${c.inSpan} THEN ${spanDetail.sql} END AS detail
            ${multiFile ? ", CAST(__es_file_index AS UINTEGER) AS file_index" : ""}
     FROM flagged`;
  if (params instanceof VariableParameters) {
    await params.bind(session);
    await session.run(`CREATE VIEW incident_rows AS ${select}`);
    inPlace.set(session, { dateKeyType: dateKey ? dateType : undefined });
    // Only the number column is read: Parquet keeps the row count in its footer.
    const [counted] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM incident_rows");
    return counted?.n ?? 0;
  }
  const [rowsRead] = await session.rows<{ Count: number | bigint }>(`CREATE TABLE incident_rows AS ${select}`, params.values);
  return Number(rowsRead?.Count ?? 0);
}

/** Whole days on either side of 1970-01-01 that a TIMESTAMP_NS can hold (2^63 ns is 106,751.99 days). */
const NS_DAYS = 106_751;

/**
 * Sessions whose incident_rows is a view over the file, with the stored type of its
 * `date_key` (DATE or a timestamp; undefined when the view has none).
 */
const inPlace = new WeakMap<DuckDbSession, { dateKeyType: string | undefined }>();

/** True when incident_rows is a view, so that every query of it reads the file. */
export function readsFileInPlace(session: DuckDbSession): boolean {
  return inPlace.has(session);
}

/**
 * A condition on `date_key` that holds for every row whose day is in [from, to], or `true`
 * when incident_rows has no date_key. Why: DuckDB pushes a comparison of
 * a stored column with a constant into the Parquet reader, which then decodes the other
 * columns (a name per row) only for the rows that pass, but not a condition on the day
 * computed from it (the span's read decoded all 10M names: ~0.9 s against ~0.2 s). A
 * timestamp's day depends on the time zone (at most 14 hours off UTC), so its bounds are
 * two days wider; `day BETWEEN from AND to` still decides.
 */
export function spanPrefilterSql(session: DuckDbSession, from: DayNumber, to: DayNumber): string {
  const type = inPlace.get(session)?.dateKeyType;
  if (type === undefined) return "true";
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new Error(`not a day span: ${from}..${to}`);
  const margin = type === "DATE" ? 0 : 2;
  // A TIMESTAMP_NS holds 1677-09-22..2262-04-11 only: a bound outside it would not convert
  // (an error, where the table path has none), and no stored value lies beyond it anyway.
  if (type.startsWith("TIMESTAMP_NS") && (from - margin < -NS_DAYS || to + margin > NS_DAYS)) return "true";
  const bound = (day: number): string => {
    const date = `(DATE '1970-01-01' + ${day})`;
    if (type === "DATE") return date;
    return `CAST(${date} AS ${type.startsWith("TIMESTAMP WITH TIME ZONE") ? "TIMESTAMPTZ" : "TIMESTAMP"})`;
  };
  return `date_key BETWEEN ${bound(from - margin)} AND ${bound(to + margin)}`;
}

/** SQL that unpacks `info` (bit operations: several times faster in DuckDB than // and %). */
export const unpack = {
  group: (info: string): string => `CAST(nullif(${info} & ${CODE_UNIT - 1}, 0) AS USMALLINT)`,
  code: (info: string): string => `CAST(nullif((${info} >> 16) & 15, 0) AS UTINYINT)`,
  filtered: (info: string): string => `((${info} >> 20) & 1 = 1)`,
  json: (info: string): string => `((${info} >> 21) & 1 = 1)`,
  /** The group, code and filter flag together (`info` without the JSON flag): one GROUP BY key. */
  key: (info: string): string => `(${info} & ${JSON_FLAG - 1})`,
};

/**
 * `rows_packed`: incident_rows with the copies `findDuplicates` listed in `dup_marks`
 * folded into `info` (their code: duplicate or kept copy), and `row_index` (0-based file
 * order). Duplicates are few, so they stay in that small table and are joined in where
 * read (the summaries, and only when there are any): an UPDATE of the big table cost
 * 2-3 s at 10M rows read from CSV (DuckDB reorganises the freshly appended row groups on
 * its first commit with changes), the join ~0.3 s per full scan.
 *
 * `rows_v`: rows_packed unpacked: `row_index`, `day`, `amount`, `grp` (the group's index,
 * NULL for none), `code` (NULL = not left out), `filtered_out`, the text: `name`, `url`,
 * `raw_date`, `raw_amount` (NULL where not kept; a copy's text is in `dup_marks`), and
 * `file_index` (NULL unless the data came from several files; `source_files` names them).
 *
 * `incidents`: the columns and values older code and other modules query (`source_row`,
 * the data-row number: `dataRowIndex` is the SQL that turns `row_index` into its 0-based
 * index, which differs when ragged rows were left out (ragged-rows.ts); `grp` as the
 * group's name, `excluded` as a word, `copy_number` 1 or 2 for a later copy).
 * Group names come from a variable set from `group_names`, not a join: a join per row cost
 * ~0.4 s a query at 10M rows.
 */
export async function createRowViews(session: DuckDbSession, withDuplicates: boolean, multiFile: boolean, dataRowIndex = "row_index"): Promise<void> {
  const fileIndex = multiFile ? "r.file_index" : "NULL::UINTEGER";
  const dateKey = inPlace.get(session)?.dateKeyType !== undefined ? "r.date_key" : "NULL";
  await session.run(
    withDuplicates
      ? `CREATE VIEW rows_packed AS
         SELECT r.rowid AS row_index, r.day, r.amount, CAST(r.info + coalesce(m.code, 0) * ${CODE_UNIT} AS UINTEGER) AS info, r.detail, ${fileIndex} AS file_index, ${dateKey} AS date_key
         FROM incident_rows r LEFT JOIN dup_marks m ON m.row_index = r.rowid`
      : `CREATE VIEW rows_packed AS SELECT r.rowid AS row_index, r.day, r.amount, r.info, r.detail, ${fileIndex} AS file_index, ${dateKey} AS date_key FROM incident_rows r`,
  );
  const field = (name: string): string => `CASE WHEN ${unpack.json("info")} THEN json_extract_string(detail, '$.${name}') END`;
  await session.run(
    `CREATE VIEW rows_v AS
     SELECT row_index, day, amount, ${unpack.group("info")} AS grp, ${unpack.code("info")} AS code, ${unpack.filtered("info")} AS filtered_out,
            CASE WHEN ${unpack.json("info")} THEN json_extract_string(detail, '$.name') ELSE detail END AS name,
            ${field("url")} AS url, ${field("date")} AS raw_date, ${field("amount")} AS raw_amount, file_index, date_key
     FROM rows_packed`,
  );
  await session.run("SET VARIABLE eventstudy_group_names = (SELECT coalesce(list(name ORDER BY idx), []) FROM group_names)");
  const reasons = `[${Object.keys(EXCLUSION_CODES).map((reason) => `'${reason}'`).join(", ")}]`;
  await session.run(
    `CREATE VIEW incidents AS
     SELECT ${dataRowIndex} + 1 AS source_row, day, amount, getvariable('eventstudy_group_names')[grp] AS grp, filtered_out,
            ${reasons}[code] AS excluded,
            CASE WHEN code IN (${EXCLUSION_CODES.duplicate}, ${KEPT_COPY_CODE}) THEN 2 ELSE 1 END AS copy_number,
            name, url, raw_date, raw_amount
     FROM rows_v`,
  );
}
