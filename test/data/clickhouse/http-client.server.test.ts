// The ClickHouse client against the real two-shard test cluster (scripts/clickhouse-up.sh,
// loaded by scripts/clickhouse-load-test-data.sh). Expected numbers come from the same CSV
// read by the engine's own CSV reader (DuckDB, src/data/source-reader.ts), not from
// ClickHouse; ClickHouse loaded the file with its own CSV parser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClickHouseClient, ClickHouseError } from "../../../src/data/clickhouse/http-client.js";
import { quoteClickHouseString as str } from "../../../src/data/clickhouse/sql.js";
import { resolveClickHouseSettings } from "../../../src/data/clickhouse/settings.js";
import { DuckDbSession } from "../../../src/data/duckdb-session.js";
import { readFunctionSql } from "../../../src/data/source-reader.js";
import { clickHouseFailure, freePort } from "./fake-server.js";
import { CLUSTER, CONNECTION_FILE, CSV_FILE, DATABASE, PROJECT_ROOT, testClient, testSettings } from "./test-server.js";

/** The error a query throws (checked as every ClickHouse failure is). */
const failure = (promise: Promise<unknown>): Promise<ClickHouseError> => clickHouseFailure(promise, "the query");

interface CsvTotals {
  rows: number;
  amounts: number;
  total: number;
  lazarusRows: number;
  lazarusTotal: number;
}

/** Shard 1's HTTP url, from the connection file clickhouse-up.sh wrote. */
const SERVER_URL = testSettings().url;

let csv: CsvTotals;
beforeAll(async () => {
  const session = await DuckDbSession.open();
  try {
    const [totals] = await session.rows<{ rows: number; amounts: number; total: number; lazarus_rows: number; lazarus_total: number }>(
      `SELECT count(*)::DOUBLE AS rows,
              count(try_cast(amount_usd AS DOUBLE))::DOUBLE AS amounts,
              sum(try_cast(amount_usd AS DOUBLE)) AS total,
              count(*) FILTER (WHERE actor = 'Lazarus')::DOUBLE AS lazarus_rows,
              sum(try_cast(amount_usd AS DOUBLE)) FILTER (WHERE actor = 'Lazarus') AS lazarus_total
       FROM ${readFunctionSql(CSV_FILE, "csv")}`,
    );
    if (totals === undefined) throw new Error("no totals");
    csv = { rows: totals.rows, amounts: totals.amounts, total: totals.total, lazarusRows: totals.lazarus_rows, lazarusTotal: totals.lazarus_total };
  } finally {
    session.close();
  }
});

describe("reading the Distributed table", () => {
  const client = testClient();

  it("sums over both shards what the CSV holds", async () => {
    const [row] = await client.query<{ n: string; amounts: string; total: number; lazarus_rows: string; lazarus_total: number }>(
      `SELECT count() AS n, count(toFloat64OrNull(amount_usd)) AS amounts, sum(toFloat64OrNull(amount_usd)) AS total,
              countIf(actor = 'Lazarus') AS lazarus_rows, sumIf(toFloat64OrNull(amount_usd), actor = 'Lazarus') AS lazarus_total
       FROM incidents`,
    );
    // 64-bit integers come back as JSON strings, Float64 as numbers.
    expect(row).toEqual({ n: "300", amounts: "298", total: expect.any(Number), lazarus_rows: expect.any(String), lazarus_total: expect.any(Number) });
    expect(Number(row?.n)).toBe(csv.rows);
    expect(Number(row?.amounts)).toBe(csv.amounts);
    expect(Number(row?.lazarus_rows)).toBe(csv.lazarusRows);
    // Summation order differs between the engines: equal to 1e-12 relative.
    expect(Math.abs((row?.total ?? 0) - csv.total) / csv.total).toBeLessThan(1e-12);
    expect(Math.abs((row?.lazarus_total ?? 0) - csv.lazarusTotal) / csv.lazarusTotal).toBeLessThan(1e-12);
  });

  it("gets the total from two shards that each hold part of the rows", async () => {
    const replicas = await client.query<{ host_address: string; port: number }>(
      `SELECT host_address, port FROM system.clusters WHERE cluster = ${str(CLUSTER)} ORDER BY shard_num`,
    );
    expect(replicas).toHaveLength(2);
    const perShard: number[] = [];
    for (const replica of replicas) {
      const [row] = await client.query<{ n: string }>(
        `SELECT count() AS n FROM remote(${str(`${replica.host_address}:${replica.port}`)}, ${DATABASE}, incidents_local)`,
      );
      perShard.push(Number(row?.n));
    }
    expect(perShard.every((n) => n > 0)).toBe(true);
    expect(perShard[0]! + perShard[1]!).toBe(csv.rows);
  });

  it("reads through either shard's Distributed table alike", async () => {
    const shard2 = await client.query<{ port: number }>(`SELECT port FROM system.clusters WHERE cluster = ${str(CLUSTER)} AND shard_num = 2`);
    expect(shard2).toHaveLength(1);
    // The same query sent to shard 1 over HTTP and, via remote(), run on shard 2's Distributed table.
    const [viaShard2] = await client.query<{ n: string }>(`SELECT count() AS n FROM remote(${str(`127.0.0.1:${shard2[0]!.port}`)}, ${DATABASE}, incidents)`);
    expect(Number(viaShard2?.n)).toBe(csv.rows);
  });

  it("returns text, NULL for an empty CSV field, and an empty list for no rows", async () => {
    const rows = await client.query<{ id: string; date: string; amount_usd: string | null; actor: string | null }>(
      "SELECT id, date, amount_usd, actor FROM incidents WHERE id IN ('120', '150') ORDER BY id",
    );
    expect(rows).toEqual([
      { id: "120", date: "2024-11-23", amount_usd: null, actor: null },
      { id: "150", date: "2024-06-18T23:30:00Z", amount_usd: "91404", actor: "Inferno Drainer" },
    ]);
    expect(await client.query("SELECT id FROM incidents WHERE id = 'none'")).toEqual([]);
  });

  it("appends FORMAT itself, after a trailing semicolon or comment", async () => {
    expect(await client.query("SELECT 1 AS one;  \n")).toEqual([{ one: 1 }]);
    expect(await client.query("SELECT 1 AS one -- the answer")).toEqual([{ one: 1 }]);
  });

  it("uses the database from the settings for unqualified names", async () => {
    expect(await testClient({ database: "system" }).query("SELECT dummy FROM one")).toEqual([{ dummy: 0 }]);
  });
});

describe("clear messages when something goes wrong", () => {
  const settings = testSettings();

  it("connection refused names the url and where it came from", async () => {
    const port = await freePort();
    const error = await failure(new ClickHouseClient({ ...settings, url: `http://127.0.0.1:${port}` }).query("SELECT 1"));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe(
      `ClickHouse at http://127.0.0.1:${port}: connection refused. Start the server or check the url in ${CONNECTION_FILE}.`,
    );
  });

  it("connection refused names the environment variable when the url came from there", async () => {
    const port = await freePort();
    const fromEnv = resolveClickHouseSettings({
      connectionFile: CONNECTION_FILE,
      baseDir: PROJECT_ROOT,
      env: { EVENTSTUDY_CLICKHOUSE_URL: `http://localhost:${port}` },
    });
    const error = await failure(new ClickHouseClient(fromEnv).query("SELECT 1"));
    expect(error.message).toBe(
      `ClickHouse at http://localhost:${port}: connection refused. Start the server or check the url in EVENTSTUDY_CLICKHOUSE_URL.`,
    );
  });

  it("a server error carries ClickHouse's exception text and code", async () => {
    const error = await failure(testClient().query("SELECT * FROM eventstudy_test.nope"));
    expect(error.kind).toBe("server");
    expect(error.code).toBe(60);
    expect(error.message).toBe(`ClickHouse at ${SERVER_URL} returned an error: Code: 60, DB::Exception: Table eventstudy_test.nope doesn't exist.`);
  });

  it("an error raised after the first rows were sent (HTTP 200) is still an error", async () => {
    const error = await failure(testClient().query("SELECT number, throwIf(number = 200000) AS t FROM system.numbers LIMIT 300000"));
    expect(error.kind).toBe("server");
    expect(error.code).toBe(395);
    expect(error.message).toBe(`ClickHouse at ${SERVER_URL} returned an error: Code: 395, DB::Exception: Value passed to 'throwIf' function is non zero`);
  });

  it("a query slower than the timeout is abandoned with a clear message", async () => {
    const started = Date.now();
    const error = await failure(testClient({ timeoutMs: 500 }).query("SELECT sleep(3)"));
    expect(Date.now() - started).toBeLessThan(2500);
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      `ClickHouse at ${SERVER_URL} did not answer within 0.5 s. The server may be overloaded or the query too heavy; raise the timeout or try again.`,
    );
  });

  it("a wrong password names the user and where the credentials came from, never the password", async () => {
    const error = await failure(testClient({ password: "not-the-password" }).query("SELECT 1"));
    expect(error.kind).toBe("authentication");
    expect(error.code).toBe(193);
    expect(error.message).toBe(
      `ClickHouse at ${SERVER_URL} refused the user "eventstudy" (Code: 193, DB::Exception: Wrong password for user eventstudy). Check the user and password in ${CONNECTION_FILE}.`,
    );
    expect(error.message).not.toContain("not-the-password");
  });

  it("an unknown user is refused the same way", async () => {
    const error = await failure(testClient({ user: "ghost" }).query("SELECT 1"));
    expect(error.kind).toBe("authentication");
    expect(error.message).toBe(
      `ClickHouse at ${SERVER_URL} refused the user "ghost" (Code: 192, DB::Exception: Unknown user ghost). Check the user and password in ${CONNECTION_FILE}.`,
    );
  });

  it("a url at the native TCP port, not the HTTP one, says so", async () => {
    const replicas = await testClient().query<{ port: number }>(`SELECT port FROM system.clusters WHERE cluster = ${str(CLUSTER)} AND shard_num = 1`);
    const tcpPort = replicas[0]!.port;
    const error = await failure(testClient({ url: `http://127.0.0.1:${tcpPort}` }).query("SELECT 1"));
    expect(error.kind).toBe("response");
    expect(error.message).toBe(
      `ClickHouse at http://127.0.0.1:${tcpPort} answered HTTP 400 with something that is not ClickHouse rows ("Port ${tcpPort} is for clickhouse-client program."). Check that the url is ClickHouse's HTTP port (8123 by default), not the native port (9000) or another web server.`,
    );
  });
});

afterAll(async () => {
  // Nothing above may have changed the data: the table is there with every row.
  const [row] = await testClient().query<{ n: string }>("SELECT count() AS n FROM incidents");
  expect(Number(row?.n)).toBe(csv.rows);
});
