// A ClickHouse server that refuses the connection, never answers, drops it or returns an
// error: the one line says which spec (file, line and column of data.clickhouse), the
// server, what went wrong and which setting to change. No ClickHouse needed: the server is
// a stand-in on loopback (fake-server.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClickHouseError } from "../../../src/data/clickhouse/http-client.js";
import { openClickHouseIncidents } from "../../../src/data/clickhouse/open-source.js";
import { studyInputs } from "../../../src/living/inputs-hash.js";
import { runStudy } from "../../../src/pipeline.js";
import { loadSpec, loadStudySpec } from "../../../src/spec/load-spec.js";
import type { NormalizedSpec } from "../../../src/spec/normalized-spec.js";
import { testContext } from "../../helpers/study-fixture.js";
import { clickHouseFailure, fakeClickHouse, freePort, withoutClickHouseEnvironment } from "./fake-server.js";

/** The error opening the spec's source throws (checked as every ClickHouse failure is). */
const failure = (promise: Promise<unknown>): Promise<ClickHouseError> => clickHouseFailure(promise, "the ClickHouse source");

// The connection file must decide: a developer's own environment would win over it.
withoutClickHouseEnvironment();

/** A spec whose data.clickhouse is on line 4 (its key at column 3), and its connection file. */
function writeStudy(url: string, source = "table: db.incidents"): { dir: string; specFile: string; connection: string } {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-ch-errors-"));
  const connection = join(dir, "conn.json");
  writeFileSync(connection, JSON.stringify({ url, user: "default", password: "" }));
  const specFile = join(dir, "study.yaml");
  writeFileSync(
    specFile,
    `title: ClickHouse errors
data:
  timezone: UTC
  clickhouse:
    ${source}
    connection: conn.json
    timeout_seconds: 1
  columns: {date: date, amount: amount, name: name}
coverage: {start: 2024-01-01, end: 2024-01-20}
groups:
  - name: Everyone
    otherwise: true
event: {date: 2024-01-11, label: the event}
windows:
  pre: {days: 10}
  post: {days: 10}
`,
  );
  return { dir, specFile, connection };
}

function open(spec: NormalizedSpec): Promise<unknown> {
  if (spec.data.clickhouse === null) throw new Error("not a ClickHouse spec");
  return openClickHouseIncidents(spec, spec.data.clickhouse);
}

describe("ClickHouse failures name the spec's data.clickhouse and the fix", () => {
  it("connection refused: the spec's place, the server, and where its url came from", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { specFile, connection } = writeStudy(url);
    const error = await failure(open(loadSpec(specFile, process.cwd())));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe(`${specFile}:4:3 data.clickhouse: ClickHouse at ${url}: connection refused. Start the server or check the url in ${connection}.`);
  });

  it("a server that never answers: data.clickhouse.timeout_seconds, with its value, is what to raise", async () => {
    const server = await fakeClickHouse(() => "never");
    const { specFile } = writeStudy(server.url);
    const started = Date.now();
    const error = await failure(open(loadSpec(specFile, process.cwd())));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      `${specFile}:4:3 data.clickhouse: ClickHouse at ${server.url} did not answer within 1 s. The server may be overloaded or the query too heavy; raise data.clickhouse.timeout_seconds (now 1) or try again.`,
    );
  });

  it("a connection dropped mid-request: the reason, and the url's origin to check", async () => {
    const server = await fakeClickHouse(() => "drop");
    const { specFile, connection } = writeStudy(server.url);
    const error = await failure(open(loadSpec(specFile, process.cwd())));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe(
      `${specFile}:4:3 data.clickhouse: ClickHouse at ${server.url}: the connection failed (UND_ERR_SOCKET: other side closed). Check that the server is running and the url in ${connection}.`,
    );
  });

  it("a server error on a table: ClickHouse's own words, then data.clickhouse.table to check", async () => {
    const server = await fakeClickHouse(() => ({
      status: 404,
      body: "Code: 60, e.displayText() = DB::Exception: Table db.incidents doesn't exist., e.what() = DB::Exception\n",
    }));
    const { specFile } = writeStudy(server.url);
    const error = await failure(open(loadSpec(specFile, process.cwd())));
    expect(error.kind).toBe("server");
    expect(error.code).toBe(60);
    expect(error.message).toBe(
      `${specFile}:4:3 data.clickhouse: ClickHouse at ${server.url} returned an error: Code: 60, DB::Exception: Table db.incidents doesn't exist. Check data.clickhouse.table (database.table, or a table in the connection's database) and the columns named in data.columns.`,
    );
  });

  it("a server error on a query: data.clickhouse.query to check", async () => {
    const server = await fakeClickHouse(() => ({
      status: 500,
      body: "Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 8 (line 1, col 8): FROM x, e.what() = DB::Exception\n",
    }));
    const { specFile } = writeStudy(server.url, "query: SELECT FROM x");
    const error = await failure(open(loadSpec(specFile, process.cwd())));
    expect(error.message).toBe(
      `${specFile}:4:3 data.clickhouse: ClickHouse at ${server.url} returned an error: Code: 62, DB::Exception: Syntax error: failed at position 8 (line 1, col 8): FROM x. Check data.clickhouse.query (one SELECT with no FORMAT clause; try it in clickhouse-client) and the columns named in data.columns.`,
    );
  });

  it("the same place when the failure comes from fingerprinting the source for the inputs hash", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { specFile, connection } = writeStudy(url);
    const error = await failure(studyInputs(loadStudySpec(specFile, process.cwd()), "test"));
    expect(error.message).toBe(`${specFile}:4:3 data.clickhouse: ClickHouse at ${url}: connection refused. Start the server or check the url in ${connection}.`);
  });

  it("and from a whole run", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { dir, specFile, connection } = writeStudy(url);
    const error = await failure(runStudy(specFile, testContext(dir)));
    expect(error.message).toBe(`${specFile}:4:3 data.clickhouse: ClickHouse at ${url}: connection refused. Start the server or check the url in ${connection}.`);
  });
});
