/**
 * CSV and TSV rows with more or fewer fields than the header ("ragged" rows). A short row
 * is usually a line break inside an unquoted field and a long one an unquoted comma: read
 * anyway, their fields would land in the wrong columns. DuckDB leaves them out as it reads
 * (source-reader.ts, `raggedRows: "skip"`) and lists them, with their line and text, in a
 * rejects table; this module turns that list into the `ragged_row` exclusion (count and
 * examples) and keeps data-row numbers right.
 *
 * Numbering: `incident_rows` holds only the rows read, so with ragged rows left out a
 * row's position (`rowid`) is no longer its data-row number. Such rows are rare, so the
 * positions stay as they are and are turned into data-row numbers where a row is shown
 * (dataRowIndex): position k is data row k + (ragged rows before it) + 1.
 */
import { DataError } from "../errors.js";
import { messages } from "../messages.js";
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import type { DuckDbSession } from "./duckdb-session.js";
import type { RowExample } from "./incident-queries.js";
import type { ColumnInfo } from "./row-expressions.js";
import { rejectScansTable } from "./source-reader.js";

/** Where DuckDB lists the rows it left out of the first read (a temporary table of the session). */
export const REJECTS_TABLE = "__es_rejects";

interface RaggedRows {
  /** 0-based data-row index of each ragged row, ascending. */
  dataIndexes: number[];
  /** For the j-th ragged row (0-based), d_j - j: the position in incident_rows of the first row read after it. */
  shifts: number[];
  /** The first few ragged rows as warnings show them. */
  examples: RowExample[];
  /** Per file in read order: its first data row's 0-based index over all files. */
  fileStarts: number[];
}

const sessions = new WeakMap<DuckDbSession, RaggedRows>();
const EXAMPLES = 3;
/** More ragged rows than this refuse the file (the numbering below also stays cheap). */
export const MAX_RAGGED_ROWS = 10_000;

/** Rows per file of a read with several files; one entry for one file. */
export type RowsPerFile = readonly number[];

/**
 * Reads the rejects table after the first read of a CSV or TSV file (or files). Any
 * rejection other than a ragged row (a byte that is not UTF-8, a line too long) stops the
 * study with the error reading the file would have given. Returns how many rows were left
 * out; 0 for other formats.
 */
export async function collectRaggedRows(
  session: DuckDbSession,
  spec: NormalizedSpec,
  columns: readonly ColumnInfo[],
  files: readonly string[],
  rowsPerFile: () => Promise<RowsPerFile>,
): Promise<number> {
  if (spec.data.format !== "csv" && spec.data.format !== "tsv") return 0;
  const [exists] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE table_name = $1", [REJECTS_TABLE]);
  if ((exists?.n ?? 0) === 0) return 0;
  // One row per field DuckDB complained about: one per (file, line) is enough.
  const rejected = await session.rows<{ file_path: string; file_id: number; line: number; error_type: string; error_message: string; csv_line: string | null }>(
    `SELECT s.file_path, r.file_id::DOUBLE AS file_id, r.line::DOUBLE AS line, any_value(r.error_type) AS error_type,
            any_value(r.error_message) AS error_message, any_value(r.csv_line) AS csv_line
     FROM ${REJECTS_TABLE} r JOIN ${rejectScansTable(REJECTS_TABLE)} s ON s.scan_id = r.scan_id AND s.file_id = r.file_id
     GROUP BY ALL ORDER BY file_id, line`,
  );
  if (rejected.length === 0) return 0;
  const other = rejected.find((row) => row.error_type !== "MISSING COLUMNS" && row.error_type !== "TOO MANY COLUMNS");
  if (other !== undefined) {
    // Worded as DuckDB words the error when it stops (messages.dataUnreadable reads it).
    const reason = other.error_type === "INVALID ENCODING" ? "Invalid unicode (byte sequence mismatch) detected." : other.error_message;
    throw new DataError(messages.dataUnreadable(spec.data.displayPath, spec.data.format, `CSV Error on Line: ${other.line}\n${reason}`));
  }
  // A few broken lines are left out with a warning; many mean the file is not read right
  // (wrong delimiter, broken quoting), and leaving out a large share would change the answer.
  if (rejected.length > MAX_RAGGED_ROWS) {
    throw new DataError(messages.tooManyRaggedRows(spec.data.displayPath, spec.data.format, rejected.length, MAX_RAGGED_ROWS, rejected.slice(0, 3).map((row) => row.line)));
  }
  const fileOf = (row: { file_path: string; file_id: number }): number => {
    const index = files.indexOf(row.file_path);
    return index >= 0 ? index : row.file_id;
  };
  // Each file's first data row counts every row of the files before it, read or left out.
  const read = files.length > 1 ? await rowsPerFile() : [];
  const fileStarts: number[] = [];
  let start = 0;
  for (let index = 0; index < files.length; index += 1) {
    fileStarts.push(start);
    start += (read[index] ?? 0) + rejected.filter((row) => fileOf(row) === index).length;
  }
  // Line 1 is the header: line n is data row n - 1 of its file.
  const dataIndexes = rejected.map((row) => (fileStarts[fileOf(row)] ?? 0) + row.line - 2).sort((a, b) => a - b);
  const byIndex = new Map(rejected.map((row) => [(fileStarts[fileOf(row)] ?? 0) + row.line - 2, row]));
  const examples = dataIndexes.slice(0, EXAMPLES).map((index) => {
    const row = byIndex.get(index) as (typeof rejected)[number];
    const example = exampleOf(spec, columns, row.csv_line ?? "", index);
    if (files.length > 1) Object.assign(example, { file: row.file_path, fileRow: row.line - 1 });
    return example;
  });
  sessions.set(session, { dataIndexes, shifts: dataIndexes.map((index, j) => index - j), examples, fileStarts });
  return dataIndexes.length;
}

/** The ragged rows' tally (count and first examples), or undefined when there are none. */
export function raggedRowTally(session: DuckDbSession): { count: number; examples: RowExample[] } | undefined {
  const ragged = sessions.get(session);
  return ragged === undefined ? undefined : { count: ragged.dataIndexes.length, examples: ragged.examples };
}

/** The positions in incident_rows at which the numbering jumps (see the file comment); empty without ragged rows. */
export function rowShifts(session: DuckDbSession): readonly number[] {
  return sessions.get(session)?.shifts ?? [];
}

/** Each file's first data row (0-based, over all files), when ragged rows were left out; undefined otherwise. */
export function fileStarts(session: DuckDbSession): readonly number[] | undefined {
  return sessions.get(session)?.fileStarts;
}

/** The 0-based data-row index of the row at `position` in incident_rows. */
export function dataRowIndex(session: DuckDbSession, position: number): number {
  const shifts = rowShifts(session);
  // Binary search: how many shifts are <= position.
  let [low, high] = [0, shifts.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((shifts[middle] as number) <= position) low = middle + 1;
    else high = middle;
  }
  return position + low;
}

/** SQL for dataRowIndex over a column of positions (for views). */
export function dataRowIndexSql(session: DuckDbSession, position: string): string {
  const shifts = rowShifts(session);
  if (shifts.length === 0) return position;
  return `(${position} + len(list_filter([${shifts.map((shift) => String(Math.trunc(shift))).join(", ")}]::BIGINT[], s -> s <= ${position})))`;
}

/** A ragged row as a warning example: its date, amount and name fields, by the header's positions. */
function exampleOf(spec: NormalizedSpec, columns: readonly ColumnInfo[], line: string, dataIndex: number): RowExample {
  const fields = splitFields(line, spec.data.format === "tsv" ? "\t" : ",");
  const field = (name: string | null): string | null => {
    const value = name === null ? undefined : fields[columns.findIndex((column) => column.name === name)];
    return value === undefined || value === "" ? null : value;
  };
  const trimmed = (value: string | null): string | null => (value === null ? null : value.trim());
  return { row: dataIndex + 1, name: field(spec.data.columns.name), date: trimmed(field(spec.data.columns.date)), amount: trimmed(field(spec.data.columns.amount)) };
}

/** The fields of one CSV or TSV record: quotes (") group a field, "" inside one is a quote. */
export function splitFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] as string;
    if (quoted && char === '"' && line[index + 1] === '"') {
      field += '"';
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === delimiter) {
      fields.push(field);
      field = "";
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}
