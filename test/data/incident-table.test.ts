// The incident table at the level of its parts: duplicates (including hash collisions,
// forced by giving every row the same hash), sums that do not depend on row order, and
// data-row numbers that stay right when DuckDB reads a CSV in parallel.
// Expected values come from the small CSVs written in each test.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDbSession } from "../../src/data/duckdb-session.js";
import { findDuplicates } from "../../src/data/duplicates.js";
import { dailyAggregates, exclusionTallies, groupCounts, largestIncidents, usedRowTallies } from "../../src/data/incident-queries.js";
import { buildIncidentTable, loadSourceTable } from "../../src/data/incident-table.js";
import { numberedRowsSql } from "../../src/data/source-reader.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import type { NormalizedSpec } from "../../src/spec/normalized-spec.js";
import { runStudy } from "../../src/pipeline.js";
import { basicSpec, csvToParquet, testContext, writeFixture } from "../helpers/study-fixture.js";

async function withTable<T>(spec: string, csv: string, body: (session: DuckDbSession, normalized: NormalizedSpec) => Promise<T>): Promise<T> {
  const fixture = writeFixture(spec, csv);
  const normalized = loadSpec(fixture.specFile, fixture.dir);
  const session = await DuckDbSession.open();
  try {
    const table = await loadSourceTable(session, normalized);
    await buildIncidentTable(session, normalized, table);
    return await body(session, normalized);
  } finally {
    session.close();
  }
}

/** Rows 2 and 4 equal row 1 and row 3 respectively; row 5 differs from row 1 in `actor` only. */
const withCopies = "date,amount,name,actor\n2024-01-02,10,x,a\n2024-01-02,10,x,a\n2024-01-02,20,y,a\n2024-01-02,20,y,a\n2024-01-02,10,x,b\n2024-01-02,10,x,a\n";

describe("exact duplicates", () => {
  it("leaves out every later copy of a row and keeps the first", async () => {
    await withTable(basicSpec(), withCopies, async (session) => {
      const duplicate = (await exclusionTallies(session)).get("duplicate");
      expect(duplicate?.count).toBe(3); // rows 2, 4, 6
      expect(duplicate?.examples.map((example) => example.row)).toEqual([2, 4, 6]);
      expect(duplicate?.examples[0]).toEqual({ row: 2, name: "x", date: "2024-01-02", amount: "10" });
      expect((await usedRowTallies(session)).used).toBe(3);
    });
  });

  it("with data.duplicates: keep, counts the copies as used and lists them", async () => {
    const spec = basicSpec({ data: "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  duplicates: keep" });
    await withTable(spec, withCopies, async (session) => {
      const tallies = await usedRowTallies(session);
      expect(tallies.used).toBe(6);
      expect(tallies.keptDuplicates.count).toBe(3);
      expect(tallies.keptDuplicates.examples.map((example) => example.row)).toEqual([2, 4, 6]);
    });
  });

  it("compares whole rows when hashes collide, so no distinct row is dropped", async () => {
    // The table says every row hashes to 42: all six rows are one candidate group with
    // three different contents, and only true copies may be marked.
    const fixture = writeFixture(basicSpec(), withCopies);
    const spec = loadSpec(fixture.specFile, fixture.dir);
    const session = await DuckDbSession.open();
    try {
      const table = await loadSourceTable(session, spec);
      await session.run("UPDATE incident_rows SET h = 42 WHERE h IS NOT NULL");
      expect(await findDuplicates(session, spec, table.columns, numberedRowsSql(spec.data.path, spec.data.format, table.columns.map((column) => column.name)))).toBe(true);
      const marks = await session.rows<{ row: number }>("SELECT (row_index + 1)::DOUBLE AS row FROM dup_marks ORDER BY row_index");
      expect(marks.map((mark) => mark.row)).toEqual([2, 4, 6]);
    } finally {
      session.close();
    }
  });

  it("marks the right rows when DuckDB reads a large CSV in parallel", async () => {
    // 300,000 distinct rows (several row groups, read by more than one thread) with copies
    // of rows 5 and 150,000 placed far from them: the second read numbers its rows itself,
    // and those numbers must be the table's.
    const line = (row: number): string => `2024-01-${String(1 + (row % 20)).padStart(2, "0")},${row},r${row},a`;
    const lines = ["date,amount,name,actor"];
    for (let row = 1; row <= 300_000; row += 1) lines.push(line(row));
    lines.splice(200_001, 0, line(5)); // data row 200,001
    lines.push(line(150_000)); // data row 300,002
    await withTable(basicSpec(), `${lines.join("\n")}\n`, async (session) => {
      const duplicate = (await exclusionTallies(session)).get("duplicate");
      expect(duplicate?.examples.map((example) => [example.row, example.name])).toEqual([[200_001, "r5"], [300_002, "r150000"]]);
      expect(duplicate?.count).toBe(2);
    });
  }, 60_000);
});

describe("exact duplicates in Parquet", () => {
  it("are found with the file's own row numbers, across row groups read in parallel", async () => {
    // 300,000 distinct rows written as Parquet in row groups of 10,000, with copies of rows
    // 5 and 150,000 at data rows 200,001 and 300,002 (the file numbers its rows itself,
    // source-reader.ts numberedRowsSql): the marks must land on exactly those rows.
    const line = (row: number): string => `2024-01-${String(1 + (row % 20)).padStart(2, "0")},${row},r${row},a`;
    const lines = ["date,amount,name,actor"];
    for (let row = 1; row <= 300_000; row += 1) lines.push(line(row));
    lines.splice(200_001, 0, line(5));
    lines.push(line(150_000));
    const fixture = writeFixture(basicSpec().replace("file: data.csv", "file: data.parquet"), `${lines.join("\n")}\n`);
    await csvToParquet(join(fixture.dir, "data.csv"), join(fixture.dir, "data.parquet"), { rowGroupSize: 10_000 });
    const spec = loadSpec(fixture.specFile, fixture.dir);
    const session = await DuckDbSession.open();
    try {
      const table = await loadSourceTable(session, spec);
      await buildIncidentTable(session, spec, table);
      const duplicate = (await exclusionTallies(session)).get("duplicate");
      expect(duplicate?.examples.map((example) => [example.row, example.name])).toEqual([[200_001, "r5"], [300_002, "r150000"]]);
      expect(duplicate?.count).toBe(2);
    } finally {
      session.close();
    }
  }, 60_000);
});

describe("daily losses", () => {
  it("sum to the same bits whatever the order of the rows", async () => {
    // Added one by one as doubles, these amounts give three different totals in the three
    // orders below (Python 3: 223456792.71000004, 223456792.70999998, 223456792.71).
    const amounts = ["0.1", "1.1", "100000000", "2.2", "123456789.01", "0.3"];
    const lines = amounts.map((amount, index) => `2024-01-02,${amount},r${index},a`);
    const orders = [lines, [...lines].reverse(), [...lines.filter((_, i) => i % 2 === 1), ...lines.filter((_, i) => i % 2 === 0)]];
    const losses: number[] = [];
    for (const order of orders) {
      losses.push(await withTable(basicSpec(), `date,amount,name,actor\n${order.join("\n")}\n`, async (session) => {
        const [day] = await dailyAggregates(session, 19724, 19724);
        return day?.loss ?? Number.NaN;
      }));
    }
    // Python 3: from fractions import Fraction as F; xs = [0.1, 1.1, 1e8, 2.2, 123456789.01, 0.3]
    //           float(sum(F(x) for x in xs)) -> 223456792.71 (the exact sum of the doubles, rounded once)
    expect(losses).toEqual([223456792.71, 223456792.71, 223456792.71]);
  });

  it("keeps huge amounts (2^40 and up) out of the exact part and still adds them", async () => {
    const csv = "date,amount,name,actor\n2024-01-02,2e12,big,a\n2024-01-02,0.5,small,a\n2024-01-02,3e12,bigger,a\n";
    await withTable(basicSpec(), csv, async (session) => {
      const [day] = await dailyAggregates(session, 19724, 19724);
      expect(day).toMatchObject({ group: "A", incidents: 3, loss: 5e12 + 0.5 });
    });
  });
});

describe("data-row numbers", () => {
  it("stay in file order when DuckDB reads a large CSV in parallel", async () => {
    // 300,000 rows: several of DuckDB's row groups, read by more than one thread. The bad
    // rows sit at known places; their numbers must come back exactly.
    const badRows = new Set([7, 150_001, 299_999]);
    const lines = ["date,amount,name,actor"];
    for (let row = 1; row <= 300_000; row += 1) lines.push(`2024-01-${String(1 + (row % 20)).padStart(2, "0")},${badRows.has(row) ? "$5M" : row},r${row},a`);
    await withTable(basicSpec(), `${lines.join("\n")}\n`, async (session) => {
      const bad = (await exclusionTallies(session)).get("bad_amount");
      expect(bad?.count).toBe(3);
      expect(bad?.examples.map((example) => [example.row, example.name])).toEqual([[7, "r7"], [150_001, "r150001"], [299_999, "r299999"]]);
      // The largest amounts are the last rows: their names and numbers must match.
      const { overall } = await largestIncidents(session, 19723, 19742, 3);
      expect(overall.map((incident) => [incident.row, incident.name, incident.amount])).toEqual([[300_000, "r300000", 300_000], [299_998, "r299998", 299_998], [299_997, "r299997", 299_997]]);
    });
  }, 60_000);
});

describe("used rows per group", () => {
  it("come from the day cube and agree with counting the rows", async () => {
    const csv = "date,amount,name,actor,kind\n2024-01-02,10,r1,a,hack\n2024-01-03,20,r2,b,scam\n2024-01-04,,r3,c,hack\n2024-01-04,,r3,c,hack\n2024-01-05,bad,r5,a,hack\n";
    const groups = "groups:\n  - name: A\n    where: {actor: a}\n  - name: B\n    where: {actor: b}";
    await withTable(basicSpec({ groups }), csv, async (session) => {
      // r1 -> A, r2 -> B, r3 in no group (its copy and the bad amount r5 are left out).
      expect(await groupCounts(session)).toEqual(new Map<string | null, number>([["A", 1], ["B", 1], [null, 1]]));
      const counted = await session.rows<{ grp: string | null; n: number }>("SELECT grp, count(*)::DOUBLE AS n FROM incidents WHERE excluded IS NULL AND NOT filtered_out GROUP BY grp");
      expect(new Map(counted.map((row) => [row.grp, row.n]))).toEqual(await groupCounts(session));
    });
  });
});

describe("the incidents view", () => {
  it("keeps the columns and values other modules query", async () => {
    await withTable(basicSpec(), withCopies, async (session) => {
      const rows = await session.rows(`SELECT source_row::DOUBLE AS source_row, grp, excluded, copy_number::DOUBLE AS copy_number, name, day, amount FROM incidents ORDER BY source_row`);
      expect(rows).toEqual([
        { source_row: 1, grp: "A", excluded: null, copy_number: 1, name: "x", day: 19724, amount: 10 },
        { source_row: 2, grp: "A", excluded: "duplicate", copy_number: 2, name: "x", day: 19724, amount: 10 },
        { source_row: 3, grp: "A", excluded: null, copy_number: 1, name: "y", day: 19724, amount: 20 },
        { source_row: 4, grp: "A", excluded: "duplicate", copy_number: 2, name: "y", day: 19724, amount: 20 },
        { source_row: 5, grp: "Rest", excluded: null, copy_number: 1, name: "x", day: 19724, amount: 10 },
        { source_row: 6, grp: "A", excluded: "duplicate", copy_number: 2, name: "x", day: 19724, amount: 10 },
      ]);
    });
  });
});

describe("one Parquet file, read in place", () => {
  it("is a view over the file, and answers every question as the CSV's table does", async () => {
    // Every kind of row a study meets: a missing date, an unparseable amount, a negative one,
    // an unknown amount, copies (rows 2 and 7 of row 1), rows in and out of the windows.
    const csv = [
      "date,amount,name,actor",
      "2024-01-02,10,x,a",
      "2024-01-02,10,x,a",
      ",5,no-date,a",
      "2024-01-04,$5M,dollars,b",
      "2024-01-05,-3,negative,b",
      "2024-01-12,,unknown,a",
      "2024-01-02,10,x,a",
      "2024-01-14,400,big,b",
      "2023-06-01,7,outside,a",
    ].join("\n");
    const fixture = writeFixture(basicSpec(), `${csv}\n`);
    const parquetSpec = join(fixture.dir, "parquet.yaml");
    writeFileSync(parquetSpec, basicSpec().replace("file: data.csv", "file: data.parquet"));
    // Text columns, so both files hold the same values as written.
    await csvToParquet(join(fixture.dir, "data.csv"), join(fixture.dir, "data.parquet"));
    const answers = async (specFile: string): Promise<unknown> => {
      const spec = loadSpec(specFile, fixture.dir);
      const session = await DuckDbSession.open();
      try {
        const table = await loadSourceTable(session, spec);
        await buildIncidentTable(session, spec, table);
        const [kind] = await session.rows<{ table_type: string }>("SELECT table_type FROM information_schema.tables WHERE table_name = 'incident_rows'");
        return {
          kind: kind?.table_type,
          rowsRead: table.rowsRead,
          excluded: [...(await exclusionTallies(session)).entries()],
          used: await usedRowTallies(session),
          // 19724..19737 = 2024-01-02..2024-01-15, days since 1970-01-01:
          // python3 -c "import datetime as d; print((d.date(2024,1,2)-d.date(1970,1,1)).days, (d.date(2024,1,15)-d.date(1970,1,1)).days)"
          daily: await dailyAggregates(session, 19724, 19737),
          largest: await largestIncidents(session, 19724, 19737, 3),
          incidents: await session.rows("SELECT source_row::DOUBLE AS source_row, day, amount, grp, excluded, copy_number::DOUBLE AS copy_number, name FROM incidents ORDER BY source_row"),
        };
      } finally {
        session.close();
      }
    };
    const fromCsv = (await answers(fixture.specFile)) as { kind: string; excluded: Array<[string, { count: number }]> };
    const fromParquet = (await answers(parquetSpec)) as { kind: string };
    expect([fromCsv.kind, fromParquet.kind]).toEqual(["BASE TABLE", "VIEW"]);
    // Hand count: rows 3 (no date), 4 ($5M), 5 (negative), 2 and 7 (copies of row 1).
    expect(Object.fromEntries(fromCsv.excluded.map(([reason, tally]) => [reason, tally.count]))).toEqual({ missing_date: 1, bad_amount: 1, negative_amount: 1, duplicate: 2 });
    expect({ ...fromParquet, kind: fromCsv.kind }).toEqual(fromCsv);
  });
});

describe("the span's rows from a Parquet file with typed dates", () => {
  // The span is 2024-01-01..2024-01-20 in the spec's zone; each case has rows just inside
  // and just outside both ends there, which UTC puts on other days.
  const cases = [
    {
      zone: "Pacific/Kiritimati", // UTC+14
      rows: ["2023-12-31T23:30:00Z,500,first-day-there,a", "2023-12-31T09:00:00Z,900,before-there,a", "2024-01-05T12:00:00Z,40,inside,b", "2024-01-20T09:30:00Z,300,last-day-there,b", "2024-01-20T10:30:00Z,800,after-there,b"],
      inSpan: ["first-day-there", "last-day-there", "inside"],
    },
    {
      zone: "Etc/GMT+12", // UTC-12
      rows: ["2024-01-01T11:30:00Z,900,before-there,a", "2024-01-01T12:30:00Z,500,first-day-there,a", "2024-01-05T12:00:00Z,40,inside,b", "2024-01-21T11:00:00Z,300,last-day-there,b", "2024-01-21T12:30:00Z,800,after-there,b"],
      inSpan: ["first-day-there", "last-day-there", "inside"],
    },
  ];

  it.each(cases)("are those of the same rows from CSV in $zone: the reader's filter on the stored date or timestamp drops no row the zone moves into the span", async ({ zone, rows, inSpan }) => {
    const data = `data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  timezone: ${zone}`;
    const coverage = "coverage: {start: 2023-12-01, end: 2024-02-20}";
    const fixture = writeFixture(basicSpec({ data, coverage }), `date,amount,name,actor\n${rows.join("\n")}\n`);
    const instant = "CAST(date AS TIMESTAMPTZ)";
    // A naive timestamp is read as UTC, so it holds each instant's UTC wall time; a DATE
    // holds the day the zone gives it (a DATE is that day in any zone).
    const stored = {
      "timestamptz.parquet": instant,
      "timestamp.parquet": `CAST(timezone('UTC', ${instant}) AS TIMESTAMP)`,
      "timestamp_ns.parquet": `CAST(timezone('UTC', ${instant}) AS TIMESTAMP_NS)`,
      "date.parquet": `CAST(timezone('${zone}', ${instant}) AS DATE)`,
    };
    for (const [name, value] of Object.entries(stored)) {
      await csvToParquet(join(fixture.dir, "data.csv"), join(fixture.dir, name), { select: `${value} AS date, CAST(amount AS DOUBLE) AS amount, name, actor` });
    }
    const largest = async (file: string): Promise<{ spanTable: boolean; largest: unknown }> => {
      const specFile = join(fixture.dir, `${file}.yaml`);
      writeFileSync(specFile, basicSpec({ data: data.replace("data.csv", file), coverage }));
      const spec = loadSpec(specFile, fixture.dir);
      const session = await DuckDbSession.open();
      try {
        await buildIncidentTable(session, spec, await loadSourceTable(session, spec));
        const [span] = await session.rows<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM information_schema.tables WHERE table_name = 'span_rows'");
        // 19723..19742 = 2024-01-01..2024-01-20, the span (python3 as above).
        return { spanTable: span?.n === 1, largest: await largestIncidents(session, 19723, 19742, 5) };
      } finally {
        session.close();
      }
    };
    const fromCsv = await largest("data.csv");
    expect((fromCsv.largest as { overall: Array<{ name: string }> }).overall.map((incident) => incident.name)).toEqual(inSpan);
    // The span holds most of the rows: the table's are read from it; a view over the file
    // keeps them in span_rows all the same (else every question would read the file).
    expect(fromCsv.spanTable).toBe(false);
    for (const file of Object.keys(stored)) expect(await largest(file), file).toEqual({ spanTable: true, largest: fromCsv.largest });
  });

  it("near the end of what a TIMESTAMP_NS holds (2262-04-11), reads the rows without a filter the type cannot hold", async () => {
    const data = "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}";
    const spec = (file: string): string =>
      basicSpec({ data: data.replace("data.csv", file), coverage: "coverage: {start: 2262-03-01, end: 2262-04-10}", event: "event: {date: 2262-04-01, label: late}", windows: "windows:\n  pre: {days: 15}\n  post: {days: 15}" });
    const fixture = writeFixture(spec("data.csv"), "date,amount,name,actor\n2262-03-20T00:00:00Z,10,early,a\n2262-04-05T00:00:00Z,70,late,b\n2262-04-09T00:00:00Z,30,later,a\n");
    await csvToParquet(join(fixture.dir, "data.csv"), join(fixture.dir, "ns.parquet"), { select: "CAST(CAST(date AS TIMESTAMPTZ) AS TIMESTAMP_NS) AS date, CAST(amount AS DOUBLE) AS amount, name, actor" });
    writeFileSync(join(fixture.dir, "ns.yaml"), spec("ns.parquet"));
    const names = async (specFile: string): Promise<string[]> => {
      const run = await runStudy(specFile, testContext(fixture.dir));
      return run.timeline.incidents.map((incident) => incident.name ?? "");
    };
    expect(await names(join(fixture.dir, "ns.yaml"))).toEqual(await names(fixture.specFile));
    expect(await names(fixture.specFile)).toEqual(["late", "later", "early"]);
  });
});

describe("data.filters.min_amount", () => {
  it("above what a 64-bit integer holds (1e21) filters every row out instead of failing as an unreadable file", async () => {
    const spec = basicSpec({ data: "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  filters: {min_amount: 1e21}" });
    await withTable(spec, withCopies, async (session, normalized) => {
      expect(normalized.data.minAmount).toBe(1e21);
      const tallies = await usedRowTallies(session);
      // Six rows, three of them later copies (left out first): three filtered out, none used.
      expect([tallies.filteredOut, tallies.used]).toEqual([3, 0]);
    });
  });
});
