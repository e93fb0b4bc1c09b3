// Reading the data: gzip files, globs and lists of files, format inference through .gz.
// Every expected count below can be checked by reading the small files the test writes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DuckDbSession } from "../../src/data/duckdb-session.js";
import { exclusionTallies } from "../../src/data/incident-queries.js";
import { buildIncidentTable, loadSourceTable } from "../../src/data/incident-table.js";
import { MAX_RAGGED_ROWS } from "../../src/data/ragged-rows.js";
import { listSourceFiles, sha256SourcePattern } from "../../src/data/source-files.js";
import { inferDataFormat, isGlobPattern, readFunctionSql, sha256Sources } from "../../src/data/source-reader.js";
import { runStudy } from "../../src/pipeline.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import { sha256File } from "../../src/util/hash.js";
import { basicSpec, testContext, writeFixture } from "../helpers/study-fixture.js";

const header = "date,amount,name,actor\n";
const january = "2024-01-02,100,x1,a\n2024-01-03,,x2,a\n2024-01-09,30,x3,b\n";
const february = "2024-01-12,400,x4,a\n2024-01-15,7.5,x5,b\n2024-01-16,$5M,x6,b\n";

describe("format inference", () => {
  it("looks through .gz and ignores case", () => {
    expect(["a.csv", "a.csv.gz", "A.TSV.GZ", "a.jsonl", "a.ndjson.gz", "a.json", "data/*.parquet"].map(inferDataFormat)).toEqual([
      "csv", "csv", "tsv", "ndjson", "ndjson", "json", "parquet",
    ]);
    expect(inferDataFormat("a.txt")).toBeUndefined();
    expect(inferDataFormat("a.gz")).toBeUndefined();
  });

  it("tells globs from plain paths", () => {
    expect([isGlobPattern("data/*.parquet"), isGlobPattern("data/2024-0?.csv"), isGlobPattern("data/[ab].csv"), isGlobPattern("data/a.csv")]).toEqual([true, true, true, false]);
  });

  it("quotes every file of a list as a string literal", () => {
    // union_by_name: each file's columns by name, their types unified (column-values.test.ts).
    expect(readFunctionSql(["a.parquet", "it's.parquet"], "parquet")).toBe("read_parquet(['a.parquet', 'it''s.parquet'], union_by_name = true)");
    expect(readFunctionSql("a.parquet", "parquet")).toBe("read_parquet('a.parquet')");
  });
});

describe("compressed and many-file inputs", () => {
  it("runs a study on a .csv.gz and a .tsv.gz exactly as on the plain CSV", async () => {
    const fixture = writeFixture(basicSpec(), header + january + february);
    writeFileSync(join(fixture.dir, "data.csv.gz"), gzipSync(header + january + february));
    writeFileSync(join(fixture.dir, "data.tsv.gz"), gzipSync((header + january + february).replaceAll(",", "\t")));
    const reference = await runStudy(fixture.specFile, testContext(fixture.dir));
    for (const file of ["data.csv.gz", "data.tsv.gz"]) {
      const specFile = join(fixture.dir, `study-${file.replaceAll(".", "-")}.yaml`);
      writeFileSync(specFile, basicSpec().replace("file: data.csv", `file: ${file}`));
      const run = await runStudy(specFile, testContext(fixture.dir));
      expect(run.comparisons, file).toEqual(reference.comparisons);
      expect(run.warnings, file).toEqual(reference.warnings);
      expect(run.provenance.rowsRead, file).toBe(6);
    }
  });

  it("reads a glob of files (one gzip) as one table in sorted file order, and names the file of each example row", async () => {
    const fixture = writeFixture(basicSpec(), header + january);
    writeFileSync(join(fixture.dir, "part-1.csv"), header + january);
    writeFileSync(join(fixture.dir, "part-2.csv.gz"), gzipSync(header + february));
    const spec = loadSpec(fixture.specFile, fixture.dir);
    const globbed = { ...spec, data: { ...spec.data, path: join(fixture.dir, "part-*.csv*"), displayPath: "part-*.csv*" } };
    const session = await DuckDbSession.open();
    try {
      const table = await loadSourceTable(session, globbed);
      expect(table.files.map((file) => file.split("/").pop())).toEqual(["part-1.csv", "part-2.csv.gz"]);
      expect(table.rowsRead).toBe(6);
      await buildIncidentTable(session, globbed, table);
      // x6 "$5M" is the 6th row of both files together and the 3rd of part-2.
      const bad = (await exclusionTallies(session)).get("bad_amount");
      expect(bad?.count).toBe(1);
      expect(bad?.examples[0]).toMatchObject({ row: 6, name: "x6", amount: "$5M", fileRow: 3 });
      expect(bad?.examples[0]?.file).toMatch(/part-2\.csv\.gz$/);
      const names = await session.rows<{ name: string | null }>("SELECT name FROM incidents ORDER BY source_row");
      expect(names.map((row) => row.name)).toEqual(["x1", "x2", "x3", "x4", "x5", "x6"]);
    } finally {
      session.close();
    }
  });

  it("leaves out ragged rows of any file, names them by file and row, and keeps every other row's number", async () => {
    // part-1: x1, a short row (data row 2), x3. part-2: x4, a long row (data row 5, its row 2), x6 "$5M" (data row 6).
    const fixture = writeFixture(basicSpec(), header + january);
    writeFileSync(join(fixture.dir, "part-1.csv"), `${header}2024-01-02,100,x1,a\n2024-01-03,20\n2024-01-09,30,x3,b\n`);
    writeFileSync(join(fixture.dir, "part-2.csv"), `${header}2024-01-12,400,x4,a\n2024-01-15,7.5,"x, 5",b,extra\n2024-01-16,$5M,x6,b\n`);
    const spec = loadSpec(fixture.specFile, fixture.dir);
    const globbed = { ...spec, data: { ...spec.data, path: join(fixture.dir, "part-*.csv"), displayPath: "part-*.csv" } };
    const session = await DuckDbSession.open();
    try {
      const table = await loadSourceTable(session, globbed);
      expect(table.rowsRead).toBe(6);
      await buildIncidentTable(session, globbed, table);
      const tallies = await exclusionTallies(session);
      expect(tallies.get("ragged_row")?.count).toBe(2);
      expect(tallies.get("ragged_row")?.examples).toMatchObject([
        { row: 2, date: "2024-01-03", amount: "20", name: null, fileRow: 2 },
        { row: 5, date: "2024-01-15", amount: "7.5", name: "x, 5", fileRow: 2 },
      ]);
      expect(tallies.get("bad_amount")?.examples[0]).toMatchObject({ row: 6, name: "x6", fileRow: 3 });
      const rows = await session.rows<{ source_row: number; name: string }>("SELECT source_row::DOUBLE AS source_row, name FROM incidents ORDER BY source_row");
      expect(rows).toEqual([{ source_row: 1, name: "x1" }, { source_row: 3, name: "x3" }, { source_row: 4, name: "x4" }, { source_row: 6, name: "x6" }]);
    } finally {
      session.close();
    }
  });

  it(`refuses a file with more than ${MAX_RAGGED_ROWS.toLocaleString("en-US")} ragged rows (a wrong delimiter or broken quoting) instead of leaving them out`, async () => {
    // The header has 4 fields; every data row after the first has 2 (a line broken in the middle).
    const rows = Array.from({ length: MAX_RAGGED_ROWS + 1 }, (_, index) => `2024-01-${String((index % 28) + 1).padStart(2, "0")},${index}`);
    const fixture = writeFixture(basicSpec(), `${header}2024-01-01,5,ok,a\n${rows.join("\n")}\n`);
    const spec = loadSpec(fixture.specFile, fixture.dir);
    const session = await DuckDbSession.open();
    try {
      await expect(loadSourceTable(session, spec)).rejects.toThrow(
        `${spec.data.displayPath}: 10,001 rows have more or fewer fields than the header (lines 3, 4, 5, ...), more than the 10,000 the engine leaves out with a warning: the file does not read as csv with this header.`,
      );
    } finally {
      session.close();
    }
  });

  it("says no file matches instead of failing in SQL", async () => {
    const fixture = writeFixture(basicSpec(), header + january);
    const spec = loadSpec(fixture.specFile, fixture.dir);
    const session = await DuckDbSession.open();
    try {
      await expect(loadSourceTable(session, { ...spec, data: { ...spec.data, path: join(fixture.dir, "none-*.csv"), displayPath: "none-*.csv" } })).rejects.toThrow(
        /none-\*\.csv.*no file matches it/,
      );
    } finally {
      session.close();
    }
  });

  it("hashes one file as itself and several files by name and content", async () => {
    const fixture = writeFixture(basicSpec(), header + january);
    const [one, two] = [join(fixture.dir, "one.csv"), join(fixture.dir, "two.csv")];
    writeFileSync(one, header + january);
    writeFileSync(two, header + february);
    expect(await sha256Sources([one])).toBe(await sha256File(one));
    const both = await sha256Sources([one, two], (file) => file.split("/").pop() ?? file);
    expect(both).toMatch(/^[0-9a-f]{64}$/);
    expect(await sha256Sources([two, one], (file) => file.split("/").pop() ?? file)).not.toBe(both);
    writeFileSync(two, header + february + "2024-01-17,1,x7,a\n");
    expect(await sha256Sources([one, two], (file) => file.split("/").pop() ?? file)).not.toBe(both);
  });
});

/**
 * DuckDB's own expansion of a glob, sorted as its read_csv / read_parquet read the files:
 * the oracle the engine's JavaScript glob (source-files.ts, which decides what is read and
 * hashed) is checked against, so that a pattern means what DuckDB's documentation says.
 */
async function duckDbGlob(session: DuckDbSession, pattern: string): Promise<string[]> {
  const rows = await session.rows<{ file: string }>("SELECT file FROM glob($1) ORDER BY file", [pattern]);
  return rows.map((row) => row.file);
}

describe("finding the files without DuckDB", () => {
  it("lists the same files, in the same order, as DuckDB's glob", async () => {
    const fixture = writeFixture(basicSpec(), header + january);
    const files = ["2024-01.csv", "2024-02.csv", "2024-10.csv", "b.csv.gz", "notes.txt", "sub/2024-03.csv", "sub/deeper/2024-04.csv", "sub/x.parquet"];
    for (const file of files) {
      mkdirSync(dirname(join(fixture.dir, file)), { recursive: true });
      writeFileSync(join(fixture.dir, file), "a\n1\n");
    }
    const patterns = ["*.csv", "2024-0?.csv", "2024-[01][!2].csv", "*.csv*", "**/*.csv", "sub/**/*.csv", "sub/*", "data.csv", "nothing-*.csv", "missing.csv"];
    const session = await DuckDbSession.open();
    try {
      for (const pattern of patterns) {
        const path = join(fixture.dir, pattern);
        expect(listSourceFiles(path), pattern).toEqual(await duckDbGlob(session, path));
      }
    } finally {
      session.close();
    }
    expect(listSourceFiles(join(fixture.dir, "**/*.csv")).map((file) => file.slice(fixture.dir.length + 1))).toEqual([
      "2024-01.csv", "2024-02.csv", "2024-10.csv", "data.csv", "sub/2024-03.csv", "sub/deeper/2024-04.csv",
    ]);
  });
});

describe("hashing the data a glob names", () => {
  it("keeps a plain file's own hash and hashes a glob by relative name and content", async () => {
    const fixture = writeFixture(basicSpec(), header + january);
    mkdirSync(join(fixture.dir, "parts"));
    writeFileSync(join(fixture.dir, "parts", "a.csv"), header + january);
    writeFileSync(join(fixture.dir, "parts", "b.csv"), header + february);
    expect(await sha256SourcePattern(join(fixture.dir, "data.csv"))).toBe(await sha256File(join(fixture.dir, "data.csv")));
    const before = await sha256SourcePattern(join(fixture.dir, "parts", "*.csv"));
    // The same files in another folder: the same hash (names are relative to the glob's folder).
    mkdirSync(join(fixture.dir, "copy"));
    writeFileSync(join(fixture.dir, "copy", "a.csv"), header + january);
    writeFileSync(join(fixture.dir, "copy", "b.csv"), header + february);
    expect(await sha256SourcePattern(join(fixture.dir, "copy", "*.csv"))).toBe(before);
    writeFileSync(join(fixture.dir, "parts", "c.csv"), header);
    expect(await sha256SourcePattern(join(fixture.dir, "parts", "*.csv"))).not.toBe(before);
  });
});
