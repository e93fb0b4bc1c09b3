/**
 * The DuckDB table function that reads the data in its format: one file, a glob of many
 * (`data/telemetry/*.parquet`) or a list of files, each possibly gzip-compressed
 * (`.csv.gz`, `.tsv.gz`, `.ndjson.gz`: DuckDB decompresses by the extension). Several
 * files are read as one table, in sorted file order, which is the row order messages
 * count in. CSV and TSV are read with every column as text, so that a bad date or amount
 * is seen and counted by the engine rather than guessed at (or rejected wholesale) by the
 * CSV sniffer.
 */
import { createHash } from "node:crypto";
import { extname } from "node:path";
import type { DataFormat } from "../spec/normalized-spec.js";
import { sha256File } from "../util/hash.js";
import { quoteIdentifier, quoteLiteral } from "./sql.js";

/** A path or glob, or a list of them. */
export type SourceFiles = string | readonly string[];

const FORMAT_BY_EXTENSION: Readonly<Record<string, DataFormat>> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".parquet": "parquet",
};

/** The format a file name (or glob) says, looking through a `.gz`; undefined when it says none. */
export function inferDataFormat(path: string): DataFormat | undefined {
  const lower = path.toLowerCase();
  return FORMAT_BY_EXTENSION[extname(lower.endsWith(".gz") ? lower.slice(0, -3) : lower)];
}

/** The extensions inferDataFormat knows (each may also end in `.gz`). */
export const KNOWN_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

/** True when the path has glob characters (DuckDB's: `*`, `?`, `[...]`, `**`). */
export function isGlobPattern(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * How a CSV or TSV row with more or fewer fields than the header is read. `lenient` (for
 * `eventstudy init`, which only looks at the columns): a short row is padded with NULLs and
 * a long row's extra fields are dropped. `skip` (a study): such a row is left out, so that
 * no field lands in the wrong column; with `rejectsTable`, DuckDB records each row it left
 * out, and why, in that table (ragged-rows.ts reads it). A study reads the file with `skip`
 * every time, so every read leaves out the same rows and the rows left line up.
 */
export interface ReadOptions {
  raggedRows?: "lenient" | "skip";
  rejectsTable?: string;
}

/** The table DuckDB names the scans of `rejectsTable` in. */
export const rejectScansTable = (rejectsTable: string): string => `${rejectsTable}_scans`;

export function readFunctionSql(files: SourceFiles, format: DataFormat, options: ReadOptions = {}): string {
  const source = typeof files === "string" ? quoteLiteral(files) : `[${files.map(quoteLiteral).join(", ")}]`;
  const rows =
    options.raggedRows === "skip"
      ? `strict_mode = true, null_padding = false, ignore_errors = true${
          options.rejectsTable === undefined ? "" : `, store_rejects = true, rejects_table = ${quoteLiteral(options.rejectsTable)}, rejects_scan = ${quoteLiteral(rejectScansTable(options.rejectsTable))}`
        }`
      : "strict_mode = false, null_padding = true";
  // Several Parquet or JSON files: each file's columns are matched by name and their types
  // unified to a common supertype (BIGINT and DOUBLE amounts: DOUBLE; a text amount in any
  // file: VARCHAR for all, so a bad value is one row left out with a warning). Without it,
  // DuckDB casts every file to the first file's types: 1234.56 became 1235, and one "$5M"
  // in a later file failed the whole read. CSV and TSV need nothing: every column is read
  // as text, and DuckDB matches their headers by name (store_rejects refuses union_by_name).
  const unify = typeof files === "string" ? "" : ", union_by_name = true";
  switch (format) {
    case "csv":
      return `read_csv(${source}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ${rows})`;
    case "tsv":
      return `read_csv(${source}, header = true, all_varchar = true, delim = '\t', ${rows})`;
    case "json":
      return `read_json_auto(${source}, format = 'array'${unify})`;
    case "ndjson":
      return `read_json_auto(${source}, format = 'newline_delimited'${unify})`;
    case "parquet":
      return `read_parquet(${source}${unify})`;
  }
}

/** True when the read numbers its rows itself, in parallel: one Parquet file (numberedRowsSql). */
export function filesNumberTheirRows(files: SourceFiles, format: DataFormat, columns: readonly string[]): files is string {
  return format === "parquet" && typeof files === "string" && !isGlobPattern(files) && !columns.includes("file_row_number");
}

/** The column numberedRowsSql adds: a prefix no data file is expected to use. */
export const ROW_NUMBER_COLUMN = "__es_row";

/**
 * The rows readFunctionSql reads, with `columns` and each row's 0-based position in read
 * order as ROW_NUMBER_COLUMN: the rowid the row has in a table filled from that read.
 * One Parquet file numbers its rows itself (`file_row_number`), which DuckDB reads in
 * parallel; anything else is numbered by a streaming row_number(), which DuckDB runs in
 * read order, on one thread (picking 10k rows of 10M by number from Parquet: ~0.2 s
 * against ~0.4 s).
 */
export function numberedRowsSql(files: SourceFiles, format: DataFormat, columns: readonly string[], options: ReadOptions = {}): string {
  const list = columns.map(quoteIdentifier).join(", ");
  const row = quoteIdentifier(ROW_NUMBER_COLUMN);
  if (filesNumberTheirRows(files, format, columns)) {
    return `(SELECT file_row_number AS ${row}, ${list} FROM read_parquet(${quoteLiteral(files)}, file_row_number = true))`;
  }
  return `(SELECT row_number() OVER () - 1 AS ${row}, ${list} FROM ${readFunctionSql(files, format, options)})`;
}

/**
 * One SHA-256 for the data of a study: a single file's own hash (as before globs), or for
 * several files the hash of their names and hashes, one `name<TAB>sha256` line each in
 * read order, so adding, removing, renaming or changing any file changes it.
 */
export async function sha256Sources(files: readonly string[], displayName: (file: string) => string = (file) => file): Promise<string> {
  if (files.length === 1 && files[0] !== undefined) return sha256File(files[0]);
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${displayName(file)}\t${await sha256File(file)}\n`);
  return hash.digest("hex");
}
