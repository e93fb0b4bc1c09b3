// How the engine reads a column's values as text, checked on tiny files by eye (STYLE.md, 8):
// a spec with only an `otherwise` group, values with spaces around them, NDJSON keys whose
// values mix types (DuckDB types them JSON), and a Parquet glob whose files type a column
// differently. Expected counts are read off the few rows each test writes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDbSession } from "../../src/data/duckdb-session.js";
import { dailyAggregates, exclusionTallies, groupCounts, usedRowTallies } from "../../src/data/incident-queries.js";
import { buildIncidentTable, loadSourceTable } from "../../src/data/incident-table.js";
import { profileDataFile } from "../../src/cli/init-spec.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import type { NormalizedSpec } from "../../src/spec/normalized-spec.js";
import { basicSpec, writeFixture } from "../helpers/study-fixture.js";

/** Writes `files` (name -> text, or a function writing a binary file) beside the spec, builds the incident table and runs `body`. */
async function withTable<T>(
  spec: string,
  files: Record<string, string | ((path: string, session: DuckDbSession) => Promise<void>)>,
  body: (session: DuckDbSession, normalized: NormalizedSpec) => Promise<T>,
): Promise<T> {
  const fixture = writeFixture(spec, "date,amount\n");
  const session = await DuckDbSession.open();
  try {
    for (const [name, content] of Object.entries(files)) {
      const path = join(fixture.dir, name);
      if (typeof content === "string") writeFileSync(path, content);
      else await content(path, session);
    }
    const normalized = loadSpec(fixture.specFile, fixture.dir);
    const table = await loadSourceTable(session, normalized);
    await buildIncidentTable(session, normalized, table);
    return await body(session, normalized);
  } finally {
    session.close();
  }
}

const dataOf = (file: string): string => `data:\n  file: ${file}\n  columns: {date: date, amount: amount, name: name}`;

describe("a spec whose only group is `otherwise` (what `eventstudy init` writes without a group column)", () => {
  it("puts every used row in that group", async () => {
    // Before: "Parser Error: syntax error at or near "ELSE"" (a CASE with no WHEN), exit 3.
    const groups = "groups:\n  - name: Everyone\n    otherwise: true\ntotal: false";
    const csv = "date,amount,name,actor\n2024-01-02,10,x,a\n2024-01-05,20,y,\n2024-01-12,30,z,b\n";
    await withTable(basicSpec({ data: dataOf("d.csv"), groups }), { "d.csv": csv }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["Everyone", 3]]));
      expect((await usedRowTallies(session)).used).toBe(3);
    });
  });
});

describe("group and filter values are compared trimmed, as dates and amounts are", () => {
  it("trims ASCII spaces only, the same whether or not the text also has one (as ClickHouse and the spec check do)", async () => {
    // A no-break space (U+00A0) is not trimmed: "a\u00a0" is not "a", with or without a leading
    // ASCII space (before, the leading space sent " a\u00a0" through DuckDB's Unicode trim and it matched).
    const csv = "date,amount,name,actor\n2024-01-02,10,x,a\u00a0\n2024-01-05,20,y, a\u00a0\n2024-01-12,30,z, a \n";
    await withTable(basicSpec({ data: dataOf("d.csv") }), { "d.csv": csv }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["A", 1], ["Rest", 2]]));
    });
  });

  it("matches a data value with a space after it (`lazarus `)", async () => {
    // Before: row 1 fell into Rest silently.
    const csv = "date,amount,name,actor\n2024-01-02,10,x,a \n2024-01-05,20,y,b\n2024-01-12,30,z,a\n";
    await withTable(basicSpec({ data: dataOf("d.csv") }), { "d.csv": csv }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["A", 2], ["Rest", 1]]));
    });
  });

  it("reads data written `a, b, c` (a space after each comma) like `a,b,c`", async () => {
    // Before: every row went to the otherwise group, and the filter dropped every row.
    const csv = "date, amount, name, actor, source\n2024-01-02, 10, x, a, feed\n2024-01-05, 20, y, b, feed\n2024-01-12, 30, z, a, manual\n2024-01-13, 40, w, a, feed\n";
    const data = `${dataOf("d.csv")}\n  filters: {include: {source: feed}, exclude: {name: [w]}}`;
    await withTable(basicSpec({ data }), { "d.csv": csv }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["A", 1], ["Rest", 1]]));
      expect((await usedRowTallies(session)).filteredOut).toBe(2);
    });
  });

  it("trims the same way in JSON and Parquet, where values are typed", async () => {
    const json = '[{"date": "2024-01-02", "amount": 10, "name": "x", "actor": " a "}, {"date": "2024-01-05", "amount": 20, "name": "y", "actor": "b"}]';
    await withTable(basicSpec({ data: dataOf("d.json") }), { "d.json": json }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["A", 1], ["Rest", 1]]));
    });
    const parquet = async (path: string, session: DuckDbSession): Promise<void> =>
      session.run(`COPY (SELECT * FROM (VALUES ('2024-01-02', 10, 'x', 'a  '), ('2024-01-05', 20, 'y', 'b')) t(date, amount, name, actor)) TO '${path}' (FORMAT parquet)`);
    await withTable(basicSpec({ data: dataOf("d.parquet") }), { "d.parquet": parquet }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["A", 1], ["Rest", 1]]));
    });
  });
});

describe("NDJSON whose keys mix types (DuckDB types such a column JSON)", () => {
  // actor: a string, then a number; date: strings and one number; amount: numbers and a string.
  const ndjson = [
    '{"date": "2024-01-02", "amount": 10, "name": "x", "actor": "lazarus"}',
    '{"date": "2024-01-05", "amount": "20", "name": "y", "actor": 7}',
    '{"date": 20240108, "amount": 25, "name": "v", "actor": "lazarus"}',
    '{"date": "2024-01-12", "amount": 30, "name": "z", "actor": "lazarus"}',
    '{"date": "2024-01-13", "amount": null, "name": "w", "actor": null}',
    "",
  ].join("\n");
  const groups = "groups:\n  - name: Lazarus\n    where: {actor: lazarus}\n  - name: Seven\n    where: {actor: 7}\n  - name: Rest\n    otherwise: true";

  it("reads each value as its plain text: the groups match, and only the numeric date is left out", async () => {
    // Before: `"lazarus"` (with its quotes) matched nothing, and every date was unreadable
    // ("none of its 5 rows has a usable date"), shown as "\"2024-01-02\"".
    await withTable(basicSpec({ data: dataOf("d.ndjson"), groups }), { "d.ndjson": ndjson }, async (session) => {
      expect(await groupCounts(session)).toEqual(new Map([["Lazarus", 2], ["Seven", 1], ["Rest", 1]]));
      const tallies = await exclusionTallies(session);
      expect([...tallies.keys()]).toEqual(["bad_date"]);
      expect(tallies.get("bad_date")).toEqual({ count: 1, examples: [{ row: 3, name: "v", date: "20240108", amount: "25" }] });
      // The amount "20" (a JSON string) is a number; null is an unknown amount.
      const used = await usedRowTallies(session);
      expect(used.unknownAmount.count).toBe(1);
      expect(used.unknownAmount.examples[0]).toMatchObject({ row: 5, name: "w", date: "2024-01-13", amount: null });
      const daily = await dailyAggregates(session, 19724, 19740);
      expect(daily.reduce((sum, day) => sum + day.loss, 0)).toBe(60); // 10 + 20 + 30
    });
  });

  it("init offers the values as plain text", async () => {
    const fixture = writeFixture(basicSpec(), "date,amount\n");
    const file = join(fixture.dir, "d.ndjson");
    writeFileSync(file, ndjson);
    const profile = await profileDataFile(file, "ndjson", "d.ndjson");
    const actor = profile.columns.find((column) => column.name === "actor");
    expect(actor?.type).toBe("JSON");
    expect(actor?.topValues).toEqual([{ value: "lazarus", count: 3 }, { value: "7", count: 1 }]);
    // 4 of the 5 dates read as dates (before: none, each seen as "\"2024-01-02\"").
    expect(profile.columns.find((column) => column.name === "date")?.dateShare).toBe(0.8);
    expect(profile.columns.find((column) => column.name === "amount")?.numberShare).toBe(1);
  });
});

describe("a Parquet glob whose files type a column differently", () => {
  const file = (rows: string) => async (path: string, session: DuckDbSession): Promise<void> =>
    session.run(`COPY (SELECT * FROM (VALUES ${rows}) t(date, amount, name, actor)) TO '${path}' (FORMAT parquet)`);

  it("keeps a later file's decimals when the first file's amounts are integers, and leaves out only its bad row", async () => {
    // Before: 1234.56 in b.parquet became 1235 (cast to the first file's BIGINT), and "$5M"
    // in c.parquet failed the whole read ("Conversion Error").
    const files = {
      "a.parquet": file("('2024-01-02', 10::BIGINT, 'x', 'a'), ('2024-01-03', 20::BIGINT, 'y', 'b')"),
      "b.parquet": file("('2024-01-12', 1234.56::DOUBLE, 'z', 'a')"),
      "c.parquet": file("('2024-01-13', '$5M', 'w', 'a'), ('2024-01-14', '7.5', 'v', 'b')"),
    };
    await withTable(basicSpec({ data: dataOf("'*.parquet'") }), files, async (session) => {
      const tallies = await exclusionTallies(session);
      expect([...tallies.keys()]).toEqual(["bad_amount"]);
      expect(tallies.get("bad_amount")?.examples).toEqual([{ row: 4, name: "w", date: "2024-01-13", amount: "$5M", file: expect.stringMatching(/c\.parquet$/), fileRow: 1 }]);
      const daily = await dailyAggregates(session, 19724, 19740);
      const byDay = (day: number): number => daily.filter((row) => row.day === day && row.group === "A").reduce((sum, row) => sum + row.loss, 0);
      expect(byDay(19734)).toBe(1234.56); // 2024-01-12
    });
  });
});
