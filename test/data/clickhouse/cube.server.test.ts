// The day cube and the warning examples against the real test cluster: the examples the
// engine shows (from the cube, with at most one follow-up query) are the ones a full sort
// of every row gives (ClickHouse's own ORDER BY ... LIMIT 3 per tally, the way the store
// picked them before the cube), on a messy query over the test table: undated, badly dated,
// negative, huge and unreadable amounts, unknown amounts crowded on one day, duplicates.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compareKeys, compareNullableText, EXAMPLE_KEY_SQL, followUpSql, keyLiteral, toRowExample, type ExampleKey } from "../../../src/data/clickhouse/examples.js";
import { ClickHouseClient } from "../../../src/data/clickhouse/http-client.js";
import { incidentsSql, sourceSql } from "../../../src/data/clickhouse/incident-sql.js";
import { openClickHouseIncidents } from "../../../src/data/clickhouse/open-source.js";
import { quoteClickHouseString as str } from "../../../src/data/clickhouse/sql.js";
import type { RowTally } from "../../../src/data/incident-queries.js";
import { runStudy } from "../../../src/pipeline.js";
import { loadSpec } from "../../../src/spec/load-spec.js";
import { testContext } from "../../helpers/study-fixture.js";
import { DATABASE, PROJECT_ROOT, testClient } from "./test-server.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const n = "toUInt32OrZero(id)";
/** The test table made messy by SQL, with every fifth row twice (so duplicates too). */
const MESSY = `SELECT id,
    multiIf(${n} % 11 = 0, 'yesterday', ${n} % 13 = 0, '', ${n} % 17 = 0, NULL, ${n} % 29 = 0, '2024-03-01', date) AS date,
    multiIf(${n} % 29 = 0, NULL, ${n} % 7 = 0, '-5', ${n} % 19 = 0, '1e20', ${n} % 23 = 0, '$5M', amount_usd) AS amount_usd,
    name, actor, chain
  FROM ${DATABASE}.incidents
  UNION ALL SELECT id, date, amount_usd, name, actor, chain FROM ${DATABASE}.incidents WHERE ${n} % 5 = 0`;

function messySpec(query = MESSY): ReturnType<typeof loadSpec> {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-ch-cube-"));
  const specFile = join(dir, "study.yaml");
  writeFileSync(
    specFile,
    `title: Messy
data:
  clickhouse:
    query: ${JSON.stringify(query)}
    connection: ${join(PROJECT_ROOT, ".clickhouse", "connection.json")}
  columns: {date: date, amount: amount_usd, name: name}
coverage: {start: 2023-06-01, end: 2024-06-30}
groups:
  - name: Lazarus
    where: {actor: Lazarus}
  - name: Other
    otherwise: true
event: {date: 2024-03-15, label: event}
windows:
  pre: {days: 60}
  post: {days: 60}
`,
  );
  return loadSpec(specFile, PROJECT_ROOT);
}

/** The reference: the tally's rows counted, and its first three by a full sort of every row. */
async function fullSort(relation: string, where: string, count = "count()"): Promise<RowTally> {
  const client = testClient();
  const [total] = await client.query<{ n: number }>(`SELECT toFloat64(${count}) AS n FROM ${relation} WHERE ${where}`);
  const first = await client.query<{ key: ExampleKey }>(`SELECT ${EXAMPLE_KEY_SQL} AS key FROM ${relation} WHERE ${where} ORDER BY raw_date, raw_amount, name, row LIMIT 3`);
  return { count: total?.n ?? 0, examples: first.map((row) => toRowExample(row.key)) };
}

/** The relation-reading queries the store sends: those that group or list the incidents. */
function relationQueries(spy: { mock: { calls: unknown[][] } }): string[] {
  return spy.mock.calls.map((call) => String(call[0])).filter((sql) => sql.includes("AS excluded"));
}

describe("warning examples from the day cube", () => {
  it("equal a full sort of every row, for every tally, with one cube query and one follow-up", async () => {
    const spec = messySpec();
    const source = spec.data.clickhouse!;
    const columns = await testClient().query<{ name: string; type: string }>(`DESCRIBE TABLE ${sourceSql(source)}`);
    const relation = incidentsSql(spec, sourceSql(source), columns);
    const spy = vi.spyOn(ClickHouseClient.prototype, "query");
    const incidents = await openClickHouseIncidents(spec, source);
    const exclusions = await incidents.exclusionTallies();
    const used = await incidents.usedRowTallies();
    // 19723 = 2024-01-01, 19875 = 2024-06-01.
    const outside = await incidents.rowsOutside(19723, 19875);
    // The cube, the follow-up for the tallies it could not settle, and the rows outside.
    expect(relationQueries(spy)).toHaveLength(3);
    vi.restoreAllMocks();

    for (const reason of ["missing_date", "bad_date", "bad_amount", "negative_amount", "huge_amount"] as const) {
      expect(exclusions.get(reason), reason).toEqual(await fullSort(relation, `excluded = ${str(reason)}`, "sum(copies)"));
    }
    expect(exclusions.get("duplicate")).toEqual(await fullSort(relation, "excluded IS NULL AND copies > 1", "sum(copies - 1)"));
    expect([...exclusions.keys()].sort()).toEqual(["bad_amount", "bad_date", "duplicate", "huge_amount", "missing_date", "negative_amount"]);
    expect(used.unknownAmount).toEqual(await fullSort(relation, "excluded IS NULL AND NOT filtered_out AND amount IS NULL"));
    expect(used.unknownAmount.count).toBeGreaterThan(3);
    expect(outside).toEqual(await fullSort(relation, "excluded IS NULL AND NOT filtered_out AND (day < 19723 OR day > 19875)"));
    expect(outside.count).toBeGreaterThan(3);
  });
});

describe("a ClickHouse row in a warning", () => {
  it("is named by its content hash, not as a line number; the examples are the full sort's", async () => {
    const spec = messySpec();
    const relation = incidentsSql(spec, sourceSql(spec.data.clickhouse!), await testClient().query<{ name: string; type: string }>(`DESCRIBE TABLE ${sourceSql(spec.data.clickhouse!)}`));
    const reference = await fullSort(relation, "excluded IS NULL AND NOT filtered_out AND amount IS NULL");
    const run = await runStudy(spec.specFile, testContext(PROJECT_ROOT));
    const described = reference.examples.map(
      (example) => `row with content hash ${example.row}${example.name === null ? "" : ` ${JSON.stringify(example.name)}`} (date ${JSON.stringify(example.date ?? "")}, amount "")`,
    );
    expect(run.warnings.find((warning) => warning.code === "unknown_amounts")?.message).toBe(
      `${reference.count} incident(s) have an unknown amount (empty): they count as incidents but add nothing to daily losses, so losses are a lower bound (e.g. ${described.join("; ")}).`,
    );
  });
});

describe("a follow-up bound made of a row's own texts", () => {
  it("is data, and ClickHouse compares it as the engine does: hostile, multi-line and non-ASCII names", async () => {
    // Every row of the test table as a bad date: one tally that holds them all.
    const spec = messySpec(`SELECT id, 'yesterday' AS date, amount_usd, name, actor, chain FROM ${DATABASE}.incidents`);
    const from = sourceSql(spec.data.clickhouse!);
    const relation = incidentsSql(spec, from, await testClient().query<{ name: string; type: string }>(`DESCRIBE TABLE ${from}`));
    const keys = (await testClient().query<{ key: ExampleKey }>(`SELECT ${EXAMPLE_KEY_SQL} AS key FROM ${relation}`)).map((row) => row.key).sort(compareKeys);
    const hostile = keys.filter((key) => /DROP TABLE|\n|\\|交易所/.test(key[5]));
    expect(hostile.length).toBeGreaterThanOrEqual(4);
    for (const bound of hostile) {
      // The literal is the row's key exactly (one row equals it), and as many rows sort at or before it as here.
      const [counts] = await testClient().query<{ equal: string; before: string }>(
        `SELECT countIf(key = ${keyLiteral(bound)}) AS equal, countIf(key <= ${keyLiteral(bound)}) AS before FROM (SELECT ${EXAMPLE_KEY_SQL} AS key FROM ${relation})`,
      );
      const atOrBefore = keys.filter((key) => compareKeys(key, bound) <= 0);
      expect(counts).toEqual({ equal: "1", before: String(atOrBefore.length) });
      const found = await testClient().query<{ tally: string; key: ExampleKey }>(followUpSql(relation, [{ tally: "bad_date", bound }]));
      expect(found).toEqual(atOrBefore.slice(0, 3).map((key) => ({ tally: "bad_date", key })));
    }
  });
});

describe("ClickHouse's order of texts is the engine's", () => {
  it("byte by byte in UTF-8, NULL last", async () => {
    const texts = ["\u{1F409}", "z", "\uFF61", "", "a", "é", "B", null];
    const rows = await testClient().query<{ t: string | null }>(
      `SELECT t FROM (SELECT arrayJoin([${texts.map((text) => (text === null ? "NULL" : str(text))).join(", ")}]) AS t) ORDER BY t`,
    );
    expect(rows.map((row) => row.t)).toEqual([...texts].sort(compareNullableText));
  });
});
