// Spec values and column names spliced into ClickHouse SQL through the quoting functions
// stay data: checked against the real test cluster (clickhouse-server 18.16), with the
// incident names as the engine's own CSV reader (DuckDB) reads them from the fixture.
import { beforeAll, describe, expect, it } from "vitest";
import { quoteClickHouseIdentifier as ident, quoteClickHouseString as str } from "../../../src/data/clickhouse/sql.js";
import { DuckDbSession } from "../../../src/data/duckdb-session.js";
import { readFunctionSql } from "../../../src/data/source-reader.js";
import { CSV_FILE, DATABASE, testClient } from "./test-server.js";

const client = testClient();
const SERVER_URL = client.url;
const INCIDENTS = `${ident(DATABASE)}.${ident("incidents")}`;
const HOSTILE = "x'); DROP TABLE t; --";

let csvNames: Map<string, string>;
beforeAll(async () => {
  const session = await DuckDbSession.open();
  try {
    const rows = await session.rows<{ id: string; name: string }>(`SELECT id, name FROM ${readFunctionSql(CSV_FILE, "csv")}`);
    csvNames = new Map(rows.map((row) => [row.id, row.name]));
  } finally {
    session.close();
  }
});

async function idsWithName(name: string): Promise<string[]> {
  const rows = await client.query<{ id: string }>(`SELECT id FROM ${INCIDENTS} WHERE ${ident("name")} = ${str(name)} ORDER BY id`);
  return rows.map((row) => row.id);
}

async function tableIsIntact(): Promise<void> {
  const tables = await client.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${str(DATABASE)} ORDER BY name`);
  expect(tables.map((table) => table.name)).toEqual(["incidents", "incidents_local"]);
  const [count] = await client.query<{ n: string }>(`SELECT count() AS n FROM ${INCIDENTS}`);
  expect(Number(count?.n)).toBe(csvNames.size);
}

describe("string values round-trip as data", () => {
  it("the fixture's hostile names are there, as the engine reads them", () => {
    expect(csvNames.get("17")).toBe(HOSTILE);
    expect(csvNames.get("42")).toBe('Back\\slash "quoted" bridge');
    expect(csvNames.get("43")).toBe("Multi-line\nname with 'single' and \"double\" quotes,\ta tab and \\\\ two backslashes");
    expect(csvNames.get("88")).toBe("Ünïcode 交易所 exploit");
  });

  it("a spec-like value `x'); DROP TABLE t; --` finds exactly its row, and the table survives", async () => {
    expect(await idsWithName(HOSTILE)).toEqual(["17"]);
    await tableIsIntact();
  });

  it("names with backslashes, both quotes, a newline and a tab find exactly their rows", async () => {
    expect(await idsWithName(csvNames.get("42")!)).toEqual(["42"]);
    expect(await idsWithName(csvNames.get("43")!)).toEqual(["43"]);
    expect(await idsWithName(csvNames.get("88")!)).toEqual(["88"]);
  });

  it("every name in the CSV, quoted, matches the row ClickHouse loaded with its own CSV reader", async () => {
    const rows = await client.query<{ id: string; name: string }>(`SELECT id, name FROM ${INCIDENTS}`);
    expect(new Map(rows.map((row) => [row.id, row.name]))).toEqual(csvNames);
    const [count] = await client.query<{ n: string }>(
      `SELECT count() AS n FROM ${INCIDENTS} WHERE name IN (${[...csvNames.values()].map(str).join(", ")})`,
    );
    expect(Number(count?.n)).toBe(csvNames.size);
  });

  it.each([
    ["a classic tautology", "' OR 1=1 --"],
    ["a backslash before the quote", "\\' OR 1=1 --"],
    ["a second statement", "'; DROP TABLE incidents; --"],
    ["a comment opener", "x' /* "],
    ["a lone backslash at the end", "x\\"],
  ])("%s matches no row and drops nothing", async (_label, value) => {
    expect(await idsWithName(value)).toEqual([]);
    await tableIsIntact();
  });

  it("every ASCII character, NUL and DEL included, and non-ASCII text come back unchanged", async () => {
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join("");
    const values = [ascii, "\\", "'", "\\'", "''", "\\\\'", "\0" + "1", "\\x41", "\\n", "Ünïcode 交易所 🐉", HOSTILE];
    const rows = await client.query<Record<string, string>>(`SELECT ${values.map((value, i) => `${str(value)} AS v${i}`).join(", ")}`);
    expect(rows).toEqual([Object.fromEntries(values.map((value, i) => [`v${i}`, value]))]);
  });
});

describe("identifiers round-trip as names", () => {
  it.each([
    ["a backtick", "we`ird"],
    ["a backslash and a backtick", "a\\`b"],
    ["a hostile alias", "x` FROM system.one; --"],
    ["quotes, a space and a newline", "it's \"a\"\nname"],
  ])("%s as a column alias is the key of the row", async (_label, alias) => {
    const rows = await client.query<Record<string, string>>(`SELECT ${ident("name")} AS ${ident(alias)} FROM ${INCIDENTS} WHERE ${ident("id")} = ${str("17")}`);
    expect(rows).toEqual([{ [alias]: HOSTILE }]);
    await tableIsIntact();
  });

  it("an unknown column quoted as an identifier is an unknown column, not SQL", async () => {
    await expect(client.query(`SELECT ${ident("id` FROM system.one --")} FROM ${INCIDENTS}`)).rejects.toThrow(
      `ClickHouse at ${SERVER_URL} returned an error: Code: 47, DB::Exception: Unknown identifier: id\` FROM system.one --`,
    );
  });
});
