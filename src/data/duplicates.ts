/**
 * Exact duplicate rows: every column equal to an earlier row's. The first occurrence is
 * kept; each later copy is excluded (data.duplicates: drop) or kept and counted (keep).
 * The copies are listed in the small table `dup_marks`, which the views fold in
 * (incident-rows.ts, createRowViews).
 *
 * Comparing whole rows of a 10M-row file directly (a window partitioned by every column)
 * means holding and sorting the whole file. Instead:
 *
 * 1. candidates: `incident_rows.h` is a 64-bit hash of the whole row (for rows no other
 *    check left out: a copy of a row has the same date and amount, so it is left out for
 *    the same reason). Equal rows have equal days, so sorting by hash within each day
 *    finds the hashes seen twice; that is small and cache-friendly per day.
 * 2. confirmation: equal hashes do not prove equal rows, and a collision must never drop
 *    a distinct row. The file is read again for the candidate hashes only (no row is kept
 *    but those), and for each hash the rows' full contents are compared. When all rows
 *    with a hash have one content, and as many rows came back as the table has with that
 *    hash, they are copies of each other, in file order. Otherwise (a true collision),
 *    those rows are numbered in file order and compared column by column.
 *
 * A file with no repeated hash is read once; a file with duplicates, twice.
 */
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import type { DuckDbSession } from "./duckdb-session.js";
import { EXCLUSION_CODES, KEPT_COPY_CODE } from "./exclusions.js";
import { detailSql, rowHashSql, type ColumnInfo } from "./row-expressions.js";
import { quoteIdentifier as q } from "./sql.js";

/**
 * Finds the later copies and records them in `dup_marks(row_index, code, detail)`: code =
 * duplicate (drop) or kept copy (keep), and their text for the warning's examples.
 * Returns whether there were any (without, `dup_marks` is empty). `rowHash` is the hash
 * `incident_rows.h` was built with (a test passes a weak one to force collisions).
 */
export async function findDuplicates(
  session: DuckDbSession,
  spec: NormalizedSpec,
  columns: readonly ColumnInfo[],
  source: string,
  rowHash: (columns: readonly ColumnInfo[]) => string = rowHashSql,
): Promise<boolean> {
  await session.run("CREATE TABLE dup_marks (row_index BIGINT, code UTINYINT, detail VARCHAR)");
  await session.run(
    `CREATE TEMP TABLE dup_hashes AS
     SELECT DISTINCT h FROM (SELECT h, lag(h) OVER (PARTITION BY day ORDER BY h) AS previous FROM incident_rows WHERE h IS NOT NULL)
     WHERE h = previous`,
  );
  const [candidates] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM dup_hashes");
  let found = 0;
  if ((candidates?.n ?? 0) > 0) {
    const allColumns = columns.map((column) => q(column.name)).join(", ");
    const code = spec.data.duplicates === "drop" ? EXCLUSION_CODES.duplicate : KEPT_COPY_CODE;
    await session.run("CREATE TEMP TABLE dup_rows AS SELECT rowid AS row_index, h FROM incident_rows WHERE h IN (SELECT h FROM dup_hashes)");
    await confirmByContent(session, spec, allColumns, source, rowHash(columns), code);
    await confirmByRowNumber(session, spec, allColumns, source, code);
    await session.run("DROP TABLE dup_rows");
    const [marked] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM dup_marks");
    found = marked?.n ?? 0;
  }
  await session.run("DROP TABLE dup_hashes");
  return found > 0;
}

/**
 * Step 2 for the usual case. Settles every candidate hash whose rows all have one content
 * and whose count matches; leaves the rest in `dup_rows` for confirmByRowNumber.
 */
async function confirmByContent(session: DuckDbSession, spec: NormalizedSpec, allColumns: string, source: string, hash: string, code: number): Promise<void> {
  await session.run(
    `CREATE TEMP TABLE dup_variants AS
     SELECT __es_h AS h, count(*) AS n, any_value(${detailSql(spec)}) AS detail
     FROM (SELECT *, ${hash} AS __es_h FROM ${source})
     WHERE __es_h IN (SELECT h FROM dup_hashes)
     GROUP BY __es_h, ${allColumns}`,
  );
  await session.run(
    `CREATE TEMP TABLE dup_settled AS
     SELECT v.h, any_value(v.detail) AS detail FROM dup_variants v
     GROUP BY v.h
     HAVING count(*) = 1 AND sum(v.n) = (SELECT count(*) FROM dup_rows r WHERE r.h = v.h)`,
  );
  await session.run(
    `INSERT INTO dup_marks
     SELECT r.row_index, ${code}, s.detail
     FROM (SELECT row_index, h, row_number() OVER (PARTITION BY h ORDER BY row_index) AS copy_number FROM dup_rows) r
     JOIN dup_settled s ON s.h = r.h
     WHERE r.copy_number > 1`,
  );
  await session.run("DELETE FROM dup_rows WHERE h IN (SELECT h FROM dup_settled)");
  await session.run("DROP TABLE dup_variants; DROP TABLE dup_settled");
}

/**
 * Step 2 for hash collisions (rare): the rows still in `dup_rows` are read again with
 * their row numbers (a streaming row_number() keeps file order) and compared on every
 * column; each later copy of a content is marked.
 */
async function confirmByRowNumber(session: DuckDbSession, spec: NormalizedSpec, allColumns: string, source: string, code: number): Promise<void> {
  const [left] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM dup_rows");
  if ((left?.n ?? 0) === 0) return;
  await session.run(
    `INSERT INTO dup_marks
     SELECT __es_row, ${code}, detail FROM (
       SELECT __es_row, ${detailSql(spec)} AS detail, row_number() OVER (PARTITION BY ${allColumns} ORDER BY __es_row) AS copy_number
       FROM (SELECT row_number() OVER () - 1 AS __es_row, * FROM ${source})
       WHERE __es_row IN (SELECT row_index FROM dup_rows)
     ) WHERE copy_number > 1`,
  );
}
