/**
 * Reads a data file once into DuckDB and builds the table every later query reads.
 *
 * `incident_rows` (layout: incident-rows.ts) holds one narrow row per source row, in file
 * order, so a row's position is the data-row number messages cite: its calendar day, its
 * parsed amount, its group, why it was left out if it was, whether a filter drops it, a
 * hash of the whole row (for duplicates) and, only for rows a warning or the report may
 * show, their text. Nothing else of a row is kept: with the whole file as a table, a 10M-row
 * study peaked at 2.4-2.7 GB; with this, at 0.9-1.2 GB. For one Parquet file it is a view
 * over the file with the same columns instead (incident-rows.ts says why), which peaks at
 * ~0.35 GB. Views `rows_v` and `incidents` unpack it; summaries.ts adds small tables the
 * queries read instead of the rows.
 */
import { relative } from "node:path";
import { DataError } from "../errors.js";
import { messages } from "../messages.js";
import type { ColumnCondition, NormalizedSpec } from "../spec/normalized-spec.js";
import { closestMatch } from "../util/did-you-mean.js";
import { recordFiles, type RecordedFile } from "../util/file-identity.js";
import { sha256File } from "../util/hash.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { findDuplicates } from "./duplicates.js";
import { createIncidentRows, createRowViews, type IncidentRowsSource } from "./incident-rows.js";
import { collectRaggedRows, dataRowIndexSql, fileStarts, REJECTS_TABLE } from "./ragged-rows.js";
import type { ColumnInfo } from "./row-expressions.js";
import { listSourceFiles } from "./source-files.js";
import { filesNumberTheirRows, isGlobPattern, numberedRowsSql, readFunctionSql, type SourceFiles } from "./source-reader.js";
import { createSummaries } from "./summaries.js";
import { textFileProblem } from "./text-checks.js";

export type { ColumnInfo } from "./row-expressions.js";
export { EXCLUSION_CODES, EXCLUSION_REASONS, KEPT_COPY_CODE, NOT_EXCLUDED, type ExclusionReason } from "./exclusions.js";

export interface LoadedTable {
  columns: ColumnInfo[];
  rowsRead: number;
  /** The files read, in read order (several: incident_rows has `file_index`). */
  files: string[];
  /** The files as they were before the first read (util/file-identity.ts). */
  recorded: RecordedFile[];
}

/**
 * How messages name one of the data files: as the spec writes it, or for a file of a glob
 * its path from the working folder ("data/feed/2024-02.csv", not the pattern).
 */
export function shownDataFile(spec: NormalizedSpec, file: string): string {
  return isGlobPattern(spec.data.path) ? relative(process.cwd(), file) || file : spec.data.displayPath;
}

/**
 * What DuckDB is told to read: the one file, or the glob's files as an explicit list.
 * The list is the one the inputs hash and `watch` use (source-files.ts), so DuckDB can
 * never read a file the "unchanged since the last run" check did not hash.
 */
function sourceOf(files: readonly string[]): SourceFiles {
  return files.length === 1 ? (files[0] as string) : files;
}

/**
 * The data's columns, from its header (CSV) or metadata (Parquet) without reading its rows,
 * after the checks of its text encoding. `validate` stops here (readDataColumns); a run
 * checks the spec's columns against them and goes on to read the rows.
 */
async function describeSource(session: DuckDbSession, spec: NormalizedSpec, files: readonly string[]): Promise<ColumnInfo[]> {
  // UTF-16, a BOM in NDJSON, Excel's sep= line, semicolons: named before DuckDB misreads them.
  for (const file of files) {
    const problem = textFileProblem(file, spec.data.format, shownDataFile(spec, file));
    if (problem !== undefined) throw new DataError(problem);
  }
  const source = readFunctionSql(sourceOf(files), spec.data.format, { raggedRows: "skip", rejectsTable: REJECTS_TABLE });
  let columns: ColumnInfo[];
  try {
    // DESCRIBE only sniffs (CSV) or reads metadata (Parquet).
    const described = await session.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${source}`);
    columns = described.map((column) => ({ name: column.column_name, type: column.column_type }));
  } catch (error) {
    throw new DataError(messages.dataUnreadable(spec.data.displayPath, spec.data.format, (error as Error).message));
  }
  return columns;
}

/** The files a spec's data names: the one file, or a glob's files (none is an error). */
function sourceFiles(spec: NormalizedSpec): string[] {
  // A plain path was checked when the spec was read; only a glob needs expanding.
  const files = isGlobPattern(spec.data.path) ? listSourceFiles(spec.data.path) : [spec.data.path];
  if (files.length === 0) throw new DataError(messages.dataUnreadable(spec.data.displayPath, spec.data.format, "no file matches it"));
  return files;
}

/** `validate`'s look at a file-backed spec's data: readable, and its columns (checkColumnsExist checks a spec against them). */
export async function readDataColumns(spec: NormalizedSpec): Promise<ColumnInfo[]> {
  const { DuckDbSession } = await import("./duckdb-session.js");
  const session = await DuckDbSession.open();
  try {
    return await describeSource(session, spec, sourceFiles(spec));
  } finally {
    session.close();
  }
}

/**
 * Reads the file once into `incident_rows`, or defines it over the file (see the file
 * comment). The columns the spec names are checked first, so a missing one is reported
 * as such and not as a SQL error.
 */
export async function loadSourceTable(session: DuckDbSession, spec: NormalizedSpec): Promise<LoadedTable> {
  const unreadable = (reason: string): DataError => new DataError(messages.dataUnreadable(spec.data.displayPath, spec.data.format, reason));
  const glob = isGlobPattern(spec.data.path);
  const files = sourceFiles(spec);
  const recorded = recordFiles(files);
  // Provenance needs the file's SHA-256 later; util/hash keeps one hash per file, so
  // starting it now lets it read the file while DuckDB works (which leaves a core idle in
  // its single-threaded steps) instead of after.
  if (!glob) void sha256File(spec.data.path).catch(() => undefined);
  const columns = await describeSource(session, spec, files);
  checkColumnsExist(spec, columns);
  // Ragged CSV rows are left out as the file is read, and listed for ragged-rows.ts.
  const source = readFunctionSql(sourceOf(files), spec.data.format, { raggedRows: "skip", rejectsTable: REJECTS_TABLE });
  let rowsRead: number;
  try {
    // One Parquet file is read in place (a view), anything else into a table (incident-rows.ts).
    const names = columns.map((column) => column.name);
    const rows: IncidentRowsSource = filesNumberTheirRows(sourceOf(files), spec.data.format, names)
      ? { kind: "view", numberedRead: numberedRowsSql(sourceOf(files), spec.data.format, names) }
      : { kind: "table", read: source };
    rowsRead = await createIncidentRows(session, spec, columns, rows, files.length > 1);
  } catch (error) {
    throw unreadable((error as Error).message);
  }
  const keptPerFile = async (): Promise<number[]> => {
    const counts = await session.rows<{ file_index: number; n: number }>("SELECT file_index::DOUBLE AS file_index, count(*)::DOUBLE AS n FROM incident_rows GROUP BY file_index");
    return files.map((_, index) => counts.find((count) => count.file_index === index)?.n ?? 0);
  };
  rowsRead += await collectRaggedRows(session, spec, columns, files, keptPerFile);
  if (files.length > 1) await recordSourceFiles(session, files);
  return { columns, rowsRead, files, recorded };
}

/**
 * For data read from several files: which file each row came from, so a warning can say
 * "row 12 of data/2024-03.csv" and not only "row 4,000,012" of all of them together.
 */
async function recordSourceFiles(session: DuckDbSession, files: readonly string[]): Promise<void> {
  await session.run("CREATE TABLE source_files (file_index UINTEGER, path VARCHAR, first_row BIGINT)");
  // With ragged rows left out, the rows read no longer number the files' rows: count them.
  const counted = fileStarts(session);
  const starts =
    counted?.map((firstRow, index) => ({ file_index: index, first_row: firstRow })) ??
    (await session.rows<{ file_index: number; first_row: number }>("SELECT file_index, min(rowid)::DOUBLE AS first_row FROM incident_rows GROUP BY file_index"));
  for (const { file_index: index, first_row: firstRow } of starts) {
    await session.run("INSERT INTO source_files VALUES ($1, $2, $3)", [index, relative(process.cwd(), files[index] ?? "") || (files[index] ?? ""), firstRow]);
  }
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
 * Finishes the incident table: finds exact duplicate rows (the only check that needs the
 * whole file at once) and creates `group_names` and the views `rows_v` and `incidents`.
 */
export async function buildIncidentTable(session: DuckDbSession, spec: NormalizedSpec, table: LoadedTable): Promise<void> {
  await session.run("CREATE TABLE group_names (idx USMALLINT, name VARCHAR)");
  for (const [index, group] of spec.groups.entries()) await session.run("INSERT INTO group_names VALUES ($1, $2)", [index + 1, group.name]);
  // Read as the first read was, so that the same rows are left out and the rest line up.
  const numbered = numberedRowsSql(sourceOf(table.files), spec.data.format, table.columns.map((column) => column.name), { raggedRows: "skip" });
  try {
    const duplicates = await findDuplicates(session, spec, table.columns, numbered);
    await createRowViews(session, duplicates, table.files.length > 1, dataRowIndexSql(session, "row_index"));
    await createSummaries(session, spec);
  } catch (error) {
    // These are the first full reads of a Parquet file read in place (and a CSV's second
    // read): a file that breaks off or is corrupt halfway fails here, and is the data's fault.
    if (error instanceof Error && /^(IO|Invalid Input) Error/.test(error.message)) {
      throw new DataError(messages.dataUnreadable(spec.data.displayPath, spec.data.format, error.message));
    }
    throw error;
  }
}
