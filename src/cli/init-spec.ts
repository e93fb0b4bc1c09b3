/**
 * `eventstudy init data/some.csv`: looks at a data file (its columns and types, which
 * column holds dates and over what range, which holds amounts, which text columns have
 * few enough distinct values to define actor groups) and writes a commented starter spec
 * that validates as it stands. What only the analyst can decide (the event, the groups
 * that matter) is marked TODO with the choices the data offers.
 */
import { relative } from "node:path";
import { DataError } from "../errors.js";
import { DuckDbSession } from "../data/duckdb-session.js";
import { inferDataFormat, readFunctionSql } from "../data/source-reader.js";
import { textSql } from "../data/row-expressions.js";
import { quoteIdentifier as q } from "../data/sql.js";
import { DEFAULT_SEED } from "../spec/normalize.js";
import type { DataFormat } from "../spec/normalized-spec.js";
import { formatDay, parseIsoDay } from "../util/days.js";

export interface ColumnProfile {
  name: string;
  type: string;
  nonEmpty: number;
  /** Share of non-empty values that read as a calendar date / a plain number / a web address. */
  dateShare: number;
  numberShare: number;
  urlShare: number;
  distinct: number;
  /** The most frequent values, for candidate group columns. */
  topValues: Array<{ value: string; count: number }>;
}

export interface DataProfile {
  file: string;
  format: DataFormat;
  rows: number;
  columns: ColumnProfile[];
  date: { column: string; first: string; last: string } | null;
  amount: string | null;
  name: string | null;
  url: string | null;
  groupColumns: ColumnProfile[];
}

const MOSTLY = 0.9;
/** A text column with at most this many distinct values is offered as a group column. */
const MAX_GROUP_VALUES = 40;

export async function profileDataFile(path: string, format: DataFormat, shownPath: string): Promise<DataProfile> {
  const session = await DuckDbSession.open();
  try {
    try {
      await session.run(`CREATE TABLE source AS SELECT * FROM ${readFunctionSql(path, format)}`);
    } catch (error) {
      throw new DataError(`${shownPath}: cannot be read as ${format} (${(error as Error).message.split("\n")[0]}). Check the file, or name its format with --format.`);
    }
    const described = await session.rows<{ column_name: string; column_type: string }>("DESCRIBE source");
    const [count] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM source");
    const columns: ColumnProfile[] = [];
    for (const column of described) {
      // A JSON-typed column (mixed types in NDJSON) is read as its plain text: lazarus, not "lazarus".
      const text = `nullif(${textSql(q(column.column_name), column.column_type)}, '')`;
      const [stats] = await session.rows<{ non_empty: number; dates: number; numbers: number; urls: number; distinct_values: number }>(
        `SELECT count(${text})::DOUBLE AS non_empty,
                count(CASE WHEN regexp_matches(${text}, '^https?://') THEN 1 END)::DOUBLE AS urls,
                count(CASE WHEN regexp_full_match(${text}, '\\d{4}-\\d{2}-\\d{2}([T ].*)?') AND try_cast(left(${text}, 10) AS DATE) IS NOT NULL THEN 1 END)::DOUBLE AS dates,
                count(try_cast(${text} AS DOUBLE))::DOUBLE AS numbers,
                count(DISTINCT ${text})::DOUBLE AS distinct_values
         FROM source`,
      );
      const nonEmpty = stats?.non_empty ?? 0;
      const topValues =
        (stats?.distinct_values ?? 0) <= MAX_GROUP_VALUES
          ? await session.rows<{ value: string; count: number }>(`SELECT ${text} AS value, count(*)::DOUBLE AS count FROM source WHERE ${text} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 8`)
          : [];
      columns.push({
        name: column.column_name,
        type: column.column_type,
        nonEmpty,
        dateShare: nonEmpty === 0 ? 0 : (stats?.dates ?? 0) / nonEmpty,
        numberShare: nonEmpty === 0 ? 0 : (stats?.numbers ?? 0) / nonEmpty,
        urlShare: nonEmpty === 0 ? 0 : (stats?.urls ?? 0) / nonEmpty,
        distinct: stats?.distinct_values ?? 0,
        topValues,
      });
    }
    const pick = (candidates: ColumnProfile[], pattern: RegExp): ColumnProfile | undefined => candidates.find((column) => pattern.test(column.name)) ?? candidates[0];
    const dateColumn = pick(columns.filter((column) => column.type.startsWith("DATE") || column.type.startsWith("TIMESTAMP") || column.dateShare >= MOSTLY), /date|time|day/i);
    const amountColumn = pick(
      columns.filter((column) => column !== dateColumn && column.numberShare >= MOSTLY),
      /amount|loss|usd|value|funds|stolen/i,
    );
    const textColumns = columns.filter((column) => column !== dateColumn && column !== amountColumn);
    const nameColumn = textColumns.find((column) => /name|title|project|target|victim/i.test(column.name));
    // By name, else by content: SlowMist's and BlockSec's links are in a column called "reference".
    const urlColumn = textColumns.find((column) => /url|link/i.test(column.name)) ?? textColumns.find((column) => column.urlShare >= MOSTLY);
    let date: DataProfile["date"] = null;
    if (dateColumn !== undefined) {
      const [range] = await session.rows<{ first: string | null; last: string | null }>(
        `SELECT min(d)::VARCHAR AS first, max(d)::VARCHAR AS last FROM (SELECT try_cast(left(${textSql(q(dateColumn.name), dateColumn.type)}, 10) AS DATE) AS d FROM source)`,
      );
      if (range?.first !== null && range?.first !== undefined && range.last !== null) date = { column: dateColumn.name, first: range.first, last: range.last };
    }
    return {
      file: shownPath,
      format,
      rows: count?.n ?? 0,
      columns,
      date,
      amount: amountColumn?.name ?? null,
      name: nameColumn?.name ?? null,
      url: urlColumn?.name ?? null,
      groupColumns: textColumns.filter((column) => column !== nameColumn && column !== urlColumn && column.distinct >= 2 && column.distinct <= MAX_GROUP_VALUES && column.numberShare < MOSTLY),
    };
  } finally {
    session.close();
  }
}

/** The starter spec's text. `dataPath` is written as given (relative to the project root). */
export function starterSpec(profile: DataProfile, dataPath: string, today: string): string {
  const s = (value: string): string => JSON.stringify(value);
  const columnsSeen = profile.columns.map((column) => `${column.name} (${column.type.toLowerCase()})`).join(", ");
  if (profile.date === null) {
    throw new DataError(`${profile.file}: no column reads as dates (YYYY-MM-DD or ISO 8601 timestamps); columns are ${columnsSeen}. A study needs one: convert the dates, then run init again.`);
  }
  if (profile.amount === null) {
    throw new DataError(`${profile.file}: no column reads as plain numbers for the loss amount; columns are ${columnsSeen}. Write amounts without currency signs or commas, then run init again.`);
  }
  const first = parseIsoDay(profile.date.first) as number;
  const last = parseIsoDay(profile.date.last) as number;
  const event = first + Math.floor((last - first) / 2);
  // Windows as long as the data allows on both sides, at most 90 days.
  const days = Math.max(1, Math.min(90, event - first, last - event + 1));
  const group = profile.groupColumns[0];
  const lines = [
    "# yaml-language-server: $schema=../schema/analysis.schema.json",
    `# Starter spec written by \`eventstudy init ${dataPath}\` on ${today}. It validates as it stands;`,
    "# every TODO is a decision only you can make. Reference: README.md, section \"Writing a spec\".",
    `# ${profile.rows} rows; columns: ${columnsSeen}.`,
    `title: ${s(`TODO: the question this study asks (${relative(".", dataPath) || dataPath})`)}`,
    "description: >-",
    "  TODO: what claim is being tested, and why these windows and groups.",
    "data:",
    `  file: ${s(dataPath)}`,
    // Only when the file's name does not say it (init was told with --format).
    ...(inferDataFormat(dataPath) === profile.format ? [] : [`  format: ${profile.format}`]),
    "  columns:",
    `    date: ${s(profile.date.column)}`,
    `    amount: ${s(profile.amount)}`,
    ...(profile.name === null ? [] : [`    name: ${s(profile.name)}`]),
    ...(profile.url === null ? [] : [`    url: ${s(profile.url)}`]),
    "# The first and last day the data is complete for (here: its first and last incident).",
    "# A day outside coverage is not a zero-loss day; narrow these if the feed started late.",
    "coverage:",
    `  start: ${profile.date.first}`,
    `  end: ${profile.date.last}`,
    "groups:",
  ];
  if (group === undefined) {
    lines.push("  # No text column has few enough distinct values to suggest groups; write where: rules.", `  - name: Everyone`, "    otherwise: true", "total: false");
  } else {
    lines.push(`  # Candidate group columns: ${profile.groupColumns.map((column) => `${column.name} (${column.distinct} values)`).join(", ")}.`);
    lines.push(`  # Values of ${group.name}: ${group.topValues.map((item) => `${item.value} (${item.count})`).join(", ")}.`);
    const top = group.topValues[0]?.value ?? "";
    lines.push(`  - name: ${s(top)}  # TODO: the actor group the question is about`, "    where:", `      ${s(group.name)}: ${s(top)}`, "  - name: Other", "    otherwise: true", "total: All");
  }
  lines.push(
    "event:",
    `  date: ${formatDay(event)}  # TODO: the event's date (this is the middle of the data)`,
    `  label: ${s("TODO: what happened")}`,
    "windows:",
    `  pre: {days: ${days}}`,
    `  post: {days: ${days}}`,
    "tests:",
    "  # The block permutation test holds its level on clustered, heavy-tailed daily data.",
    "  primary: {daily_loss: block_permutation, daily_incidents: block_permutation}",
    `  seed: ${DEFAULT_SEED}  # the default; any whole number gives reproducible resamples`,
    "",
  );
  return lines.join("\n");
}
