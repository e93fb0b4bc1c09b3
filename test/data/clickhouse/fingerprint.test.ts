// A ClickHouse source's fingerprint (row count and the sum of the rows' hashes) is a pass
// over the whole table on the server: a run computes it once, for the inputs hash, and its
// cells' provenance reuses it; the next run (a fresh spec) asks the server again. The
// server is a stand-in on loopback that counts the questions (fake-server.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataFingerprint, studyInputs } from "../../../src/living/inputs-hash.js";
import { loadStudySpec } from "../../../src/spec/load-spec.js";
import type { NormalizedSpec } from "../../../src/spec/normalized-spec.js";
import { fakeClickHouse, rows, withoutClickHouseEnvironment, type FakeAnswer } from "./fake-server.js";

// The connection file must decide: a developer's own environment would win over it.
withoutClickHouseEnvironment();

/** The table's columns, and its fingerprint: 3 rows whose hashes sum to 12345. */
function answer(sql: string): FakeAnswer {
  if (sql.startsWith("DESCRIBE TABLE")) return rows({ name: "date", type: "String" }, { name: "amount", type: "Nullable(String)" });
  if (sql.startsWith("SELECT count() AS n, sum(cityHash64(")) return rows({ n: "3", h: "12345" });
  return { status: 500, body: "Code: 1, e.displayText() = DB::Exception: unexpected query, e.what() = DB::Exception\n" };
}

const fingerprints = (queries: string[]): number => queries.filter((sql) => sql.includes("sum(cityHash64(")).length;

/** A spec with two variants: two cells reading the same ClickHouse table. */
function writeStudy(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-ch-fingerprint-"));
  writeFileSync(join(dir, "conn.json"), JSON.stringify({ url, user: "default", password: "" }));
  const specFile = join(dir, "study.yaml");
  writeFileSync(
    specFile,
    `title: Fingerprint once
data:
  clickhouse: {table: db.incidents, connection: conn.json}
  columns: {date: date, amount: amount}
coverage: {start: 2024-01-01, end: 2024-01-20}
groups:
  - name: Everyone
    otherwise: true
event: {date: 2024-01-11, label: the event}
windows:
  pre: {days: 10}
  post: {days: 10}
variants:
  - name: As reported
  - name: Drop empty amounts
    data: {missing_amount: drop}
`,
  );
  return specFile;
}

describe("a ClickHouse source's fingerprint, once per run", () => {
  it("the inputs hash asks the server once for both cells, and each cell's run reuses the answer", async () => {
    const server = await fakeClickHouse(answer);
    const study = loadStudySpec(writeStudy(server.url), process.cwd());
    expect(study.cells).toHaveLength(2);
    const inputs = await studyInputs(study, "test");
    expect(inputs.dataFiles).toEqual([{ path: "ClickHouse table db.incidents", sha256: "clickhouse:3:12345" }]);
    expect(fingerprints(server.queries)).toBe(1);
    // What runCell asks for each cell's provenance (src/pipeline.ts).
    for (const cell of study.cells) expect(await dataFingerprint(cell as NormalizedSpec)).toBe("clickhouse:3:12345");
    expect(fingerprints(server.queries)).toBe(1);
    expect(server.queries).toHaveLength(2);
  });

  it("a cell's run first, then the inputs hash (runStudy's order): still one asking", async () => {
    const server = await fakeClickHouse(answer);
    const study = loadStudySpec(writeStudy(server.url), process.cwd());
    expect(await dataFingerprint(study.cells[0] as NormalizedSpec)).toBe("clickhouse:3:12345");
    expect((await studyInputs(study, "test")).dataFiles).toEqual([{ path: "ClickHouse table db.incidents", sha256: "clickhouse:3:12345" }]);
    expect(await dataFingerprint(study.cells[1] as NormalizedSpec)).toBe("clickhouse:3:12345");
    expect(fingerprints(server.queries)).toBe(1);
  });

  it("the next run loads the spec afresh and asks again: the table may have changed", async () => {
    const server = await fakeClickHouse(answer);
    const specFile = writeStudy(server.url);
    await studyInputs(loadStudySpec(specFile, process.cwd()), "test");
    await studyInputs(loadStudySpec(specFile, process.cwd()), "test");
    expect(fingerprints(server.queries)).toBe(2);
  });

  it("a failed asking is not remembered", async () => {
    let down = true;
    const server = await fakeClickHouse((sql) => (down ? { status: 503, body: "Code: 210, e.displayText() = DB::Exception: busy, e.what() = DB::Exception\n" } : answer(sql)));
    const specFile = writeStudy(server.url);
    const cell = loadStudySpec(specFile, process.cwd()).cells[0] as NormalizedSpec;
    await expect(dataFingerprint(cell)).rejects.toHaveProperty(
      "message",
      `${specFile}:3:3 data.clickhouse: ClickHouse at ${server.url} returned an error: Code: 210, DB::Exception: busy. Check data.clickhouse.table (database.table, or a table in the connection's database) and the columns named in data.columns.`,
    );
    down = false;
    expect(await dataFingerprint(cell)).toBe("clickhouse:3:12345");
  });
});
