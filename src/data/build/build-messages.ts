/**
 * Every sentence the data build (`npm run data:build`) prints when it stops, as functions,
 * so that each names the file, the row and the fix in one voice and the tests can assert
 * the exact text. Kept apart from src/messages.ts because the build is a maintainer tool
 * that runs on the project's own raw files, not part of a study run.
 */

const quoted = (items: readonly string[]): string => items.map((item) => JSON.stringify(item)).join(", ");
const lines = (items: readonly string[]): string => items.map((item) => `\n  ${item}`).join("");

export interface RowProblem {
  /** 1-based data row in the raw file (header excluded). */
  row: number;
  name: string;
  detail: string;
}

const rowLines = (problems: readonly RowProblem[]): string =>
  lines(problems.map((problem) => `row ${problem.row} (${JSON.stringify(problem.name)}): ${problem.detail}`));

export const buildMessages = {
  rawFileMissing: (file: string) =>
    `${file}: raw input not found. Copy it into the raw folder (data/raw/ by default; see data/README.md), then rerun: npm run data:build`,
  rawFileUnreadable: (file: string, reason: string) =>
    `${file}: DuckDB cannot read it as a CSV with a header row (${reason}). Check that the file is comma-separated UTF-8 with "-quoted fields.`,
  missingColumns: (file: string, missing: readonly string[], columns: readonly string[]) =>
    `${file}: column(s) ${quoted(missing)} not found; columns are ${columns.join(", ")}. The data build needs them.`,
  reservedColumns: (file: string, clashing: readonly string[]) =>
    `${file}: column(s) ${quoted(clashing)} clash with the columns the build adds. Rename them in the raw file.`,
  badDates: (file: string, problems: readonly RowProblem[]) =>
    `${file}: ${problems.length} row(s) have a date that is not a valid YYYY-MM-DD day:${rowLines(problems)}\nFix the dates in the raw file; the built files are sorted by date as text.`,
  attributionKeyProblems: (file: string, problems: readonly string[]) =>
    `${file}: the key date || ' ' || name must be present and unique on every row, but:${lines(problems)}\nFix the attribution file so each row has its own date and name.`,
  unmatchedDprkMatch: (incidentFile: string, attributionFile: string, problems: readonly RowProblem[]) =>
    `${incidentFile}: ${problems.length} dprk_match value(s) do not find exactly one row of ${attributionFile} by date || ' ' || name:${rowLines(problems)}\n` +
    `Correct dprk_match in the incident file, or add the attribution row to ${attributionFile}.`,
  flagDisagrees: (incidentFile: string, attributionFile: string, problems: readonly RowProblem[]) =>
    `${incidentFile}: ${problems.length} row(s) have a dprk_flag that disagrees with the attribution_status of the ${attributionFile} row their dprk_match names:${rowLines(problems)}\n` +
    `dprk_flag must be empty exactly when dprk_match is, equal attribution_status, or be "tay_listed" for a listed_by_tay* status. Fix whichever side is wrong.`,
  undocumentedColumn: (file: string, column: string) =>
    `${file}: column "${column}" has no description for data/README.md. Add one to COLUMN_DESCRIPTIONS in src/data/build/readme.ts.`,
  undocumentedStatus: (status: string) =>
    `attribution_status "${status}" has no description for data/README.md. Add one to STATUS_DESCRIPTIONS in src/data/build/readme.ts.`,
};
