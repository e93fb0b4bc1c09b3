/**
 * Exact duplicate rows: every column equal to an earlier row's. The first occurrence is
 * kept; each later copy is excluded (data.duplicates: drop) or kept and counted (keep).
 * With `unchecked` nothing here runs and `incident_rows` has no hash column.
 * The copies are listed in the small table `dup_marks`, which the views fold in
 * (incident-rows.ts, createRowViews).
 *
 * Comparing whole rows of a 10M-row file directly (a window partitioned by every column)
 * means holding and sorting the whole file. Instead:
 *
 * 1. candidates: `incident_rows.h` is a 32-bit hash of the whole row (for rows no other
 *    check left out: a copy of a row has the same date and amount, so it is left out for
 *    the same reason). Equal rows have equal hashes, so one sort of the column finds the
 *    hashes seen twice, and the rows with those hashes are the candidates. One sort of the
 *    whole column, not one per day: DuckDB's partitioning by day cost more than it saved
 *    (10M rows: ~0.5 s against ~0.9 s), and the chance collisions it would have avoided
 *    (~12,000 pairs at 10M rows, ~3 within a day) only give step 2 ~23,000 more rows
 *    to compare.
 * 2. confirmation: equal hashes do not prove equal rows, and a collision must never drop a
 *    distinct row. The file is read again with its rows numbered as `incident_rows` has
 *    them, only the candidate rows are kept, and they are compared on every column; each
 *    later copy of a content is marked. The hash plays no part here, so a collision costs
 *    a few more rows to compare and never a wrong mark; this is what makes 32 bits safe
 *    (a read keyed by hash sent every collision to a third, row-by-row read). Measured at
 *    10M rows: Parquet ~0.45 s as before; CSV ~2.5 s against ~2.0 s, as only one thread
 *    can number a CSV's rows, more than paid for by the sort (whole stage, 3-run median:
 *    CSV 4.6 -> 4.1 s, Parquet 2.9 -> 2.0 s).
 *
 * A file with no repeated hash is read once; a file with duplicates, twice.
 */
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { EXCLUSION_CODES, KEPT_COPY_CODE } from "./exclusions.js";
import { columnTypes, detailSql, type ColumnInfo } from "./row-expressions.js";
import { ROW_NUMBER_COLUMN } from "./source-reader.js";
import { quoteIdentifier as q } from "./sql.js";

/**
 * Finds the later copies and records them in `dup_marks(row_index, code, detail)`: code =
 * duplicate (drop) or kept copy (keep), and their text for the warning's examples.
 * Returns whether there were any (without, `dup_marks` is empty). `numberedRows` is the
 * file read again as `incident_rows` was, with each row's rowid (source-reader.ts,
 * numberedRowsSql).
 */
export async function findDuplicates(session: DuckDbSession, spec: NormalizedSpec, columns: readonly ColumnInfo[], numberedRows: string): Promise<boolean> {
  await session.run("CREATE TABLE dup_marks (row_index BIGINT, code UTINYINT, detail VARCHAR)");
  // Identical rows are separate events (telemetry): nothing to look for, no hashes to sort.
  if (spec.data.duplicates === "unchecked") return false;
  await session.run(
    `CREATE TEMP TABLE dup_hashes AS
     SELECT DISTINCT h FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM incident_rows WHERE h IS NOT NULL)
     WHERE h = previous`,
  );
  const [candidates] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM dup_hashes");
  let found = 0;
  if ((candidates?.n ?? 0) > 0) {
    await session.run("CREATE TEMP TABLE dup_rows AS SELECT rowid AS row_index FROM incident_rows WHERE h IN (SELECT h FROM dup_hashes)");
    await confirm(session, spec, columns, numberedRows);
    await session.run("DROP TABLE dup_rows");
    const [marked] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM dup_marks");
    found = marked?.n ?? 0;
  }
  await session.run("DROP TABLE dup_hashes");
  return found > 0;
}

/**
 * Step 2: the candidate rows (`dup_rows`) are read again and compared on every column,
 * by a window partitioned by all of them (NULLs alike, as GROUP BY compares); each later
 * copy of a content, in file order, is marked.
 */
async function confirm(session: DuckDbSession, spec: NormalizedSpec, columns: readonly ColumnInfo[], numberedRows: string): Promise<void> {
  const allColumns = columns.map((column) => q(column.name)).join(", ");
  const row = q(ROW_NUMBER_COLUMN);
  const code = spec.data.duplicates === "drop" ? EXCLUSION_CODES.duplicate : KEPT_COPY_CODE;
  await session.run(
    `INSERT INTO dup_marks
     SELECT ${row}, ${code}, detail FROM (
       SELECT ${row}, ${detailSql(spec, columnTypes(columns))} AS detail, row_number() OVER (PARTITION BY ${allColumns} ORDER BY ${row}) AS copy_number
       FROM ${numberedRows}
       WHERE ${row} IN (SELECT row_index FROM dup_rows)
     ) WHERE copy_number > 1`,
  );
}
