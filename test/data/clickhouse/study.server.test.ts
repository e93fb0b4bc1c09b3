// The same study on the same data, from a local CSV file, from the local Parquet copy, and
// from ClickHouse (a Distributed table over two shards, and a query), must give the same
// results: the daily series, every test, every interval, the verdicts. Spec values that
// look like SQL stay data on both engines.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ClickHouseClient } from "../../../src/data/clickhouse/http-client.js";
import { runStudy } from "../../../src/pipeline.js";
import { buildResultsJson, type ResultsJson } from "../../../src/report/results-json.js";
import { csvToParquet, testContext } from "../../helpers/study-fixture.js";
import { CSV_FILE, DATABASE, PROJECT_ROOT, testClient } from "./test-server.js";
import { renderReportHtml } from "../../../src/report/render-report.js";

const HOSTILE = "x'); DROP TABLE incidents_local; --";

function spec(source: string, extra = ""): string {
  return `title: Lazarus around mid-2024
data:
${source}
  columns: {date: date, amount: amount_usd, name: name}
  timezone: Asia/Tokyo
coverage: {start: 2023-01-01, end: 2024-12-31}
groups:
  - name: Lazarus
    where: {actor: Lazarus}
  - name: Drainers
    where: {actor: [Inferno Drainer, Pink Drainer, "${HOSTILE.replaceAll('"', '\\"')}"]}
  - name: Other
    otherwise: true
event: {date: 2024-06-19, label: treaty}
windows:
  pre: {days: 120}
  post: {days: 120}
tests: {permutations: 999, bootstrap: {resamples: 499}}
difference_in_differences: {treated: Lazarus, controls: [Other]}
robustness: {placebo: true, sensitivity_days: [60, 120], influence_top_k: 3}
${extra}`;
}

function writeSpec(specText: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "eventstudy-ch-study-")), "study.yaml");
  writeFileSync(file, specText);
  return file;
}

async function results(specText: string): Promise<ResultsJson> {
  return resultsOf(writeSpec(specText));
}

async function resultsOf(file: string): Promise<ResultsJson> {
  return buildResultsJson(await runStudy(file, testContext(PROJECT_ROOT)));
}

/** Everything but where the data came from and the row identities (a table has no row order). */
function comparable(results: ResultsJson): unknown {
  const withoutRows = <T extends { row?: number }>(items: T[]): Array<Omit<T, "row">> => items.map(({ row: _row, ...rest }) => rest);
  return {
    coverage: results.coverage,
    windows: results.windows,
    results: results.results.map((item) => ({ ...item, influence: withoutRows(item.influence) })),
    differenceInDifferences: results.differenceInDifferences.map((item) => ({ ...item, influence: withoutRows(item.influence) })),
    largestIncidents: { pre: withoutRows(results.largestIncidents.pre), post: withoutRows(results.largestIncidents.post) },
    rows: [results.provenance.rowsRead, results.provenance.rowsExcluded, results.provenance.rowsFilteredOut, results.provenance.rowsUsed, results.provenance.rowsInNoGroup],
    warnings: results.warnings.map((warning) => warning.code),
  };
}

describe("a study on ClickHouse equals the same study on a local file", () => {
  it("CSV, Parquet, the Distributed table and a query give identical results", async () => {
    const parquet = join(mkdtempSync(join(tmpdir(), "eventstudy-ch-parquet-")), "incidents.parquet");
    await csvToParquet(CSV_FILE, parquet);
    const connection = join(PROJECT_ROOT, ".clickhouse", "connection.json");
    const fromCsv = await results(spec(`  file: ${CSV_FILE}`));
    const fromParquet = await results(spec(`  file: ${parquet}`));
    const fromTable = await results(spec(`  clickhouse: {table: ${DATABASE}.incidents, connection: ${connection}}`));
    const fromQuery = await results(spec(`  clickhouse:\n    query: SELECT * FROM ${DATABASE}.incidents WHERE 1 = 1\n    connection: ${connection}`));
    expect(fromCsv.results.find((item) => item.group === "Lazarus" && item.metric === "daily_incidents")?.pre.incidents).toBeGreaterThan(0);
    expect(comparable(fromParquet)).toEqual(comparable(fromCsv));
    expect(comparable(fromTable)).toEqual(comparable(fromCsv));
    expect(comparable(fromQuery)).toEqual(comparable(fromCsv));
    expect(fromTable.provenance.dataFile).toBe(`ClickHouse table ${DATABASE}.incidents`);
    // A table's rows have no line numbers: the report says what its row identifiers are.
    expect([fromCsv.provenance.rowIds, fromParquet.provenance.rowIds, fromTable.provenance.rowIds, fromQuery.provenance.rowIds]).toEqual(["data row", "data row", "content hash", "content hash"]);
    expect(renderReportHtml(fromTable, [], 0)).toContain("<th>share of window's losses</th><th>content hash</th>");
    expect(renderReportHtml(fromCsv, [], 0)).toContain("<th>share of window's losses</th><th>data row</th>");
  }, 120_000);

  it("group values are compared trimmed, as on a local file: actors padded with spaces give the same study", async () => {
    // Before: ' Lazarus ' matched nothing on ClickHouse (nor in the CSV): every row went to Other.
    const connection = join(PROJECT_ROOT, ".clickhouse", "connection.json");
    const fromCsv = await results(spec(`  file: ${CSV_FILE}`));
    const padded = `SELECT id, date, amount_usd, name, concat(' ', actor, '  ') AS actor, chain FROM ${DATABASE}.incidents`;
    const fromQuery = await results(spec(`  clickhouse:\n    query: ${padded}\n    connection: ${connection}`));
    expect(comparable(fromQuery)).toEqual(comparable(fromCsv));
  }, 120_000);

  it("a FixedString column (padded with NUL bytes) is read as its text: its groups match as on a local file", async () => {
    // Before: the trimmed FixedString kept its NUL padding ('Lazarus\0...'), so no row matched Lazarus.
    const connection = join(PROJECT_ROOT, ".clickhouse", "connection.json");
    const fromCsv = await results(spec(`  file: ${CSV_FILE}`));
    const fixed = `SELECT id, date, amount_usd, name, toFixedString(actor, 16) AS actor, chain FROM ${DATABASE}.incidents`;
    const fromQuery = await results(spec(`  clickhouse:\n    query: ${fixed}\n    connection: ${connection}`));
    expect(comparable(fromQuery)).toEqual(comparable(fromCsv));
  }, 120_000);

  it("a spec whose only group is `otherwise` runs on ClickHouse as on a local file", async () => {
    // Before: multiIf('Everyone') with no condition, which ClickHouse refuses.
    const onlyOtherwise = (source: string): string =>
      spec(source)
        .replace(/groups:[\s\S]*?otherwise: true\n/, "groups:\n  - name: Everyone\n    otherwise: true\ntotal: false\n")
        .replace("difference_in_differences: {treated: Lazarus, controls: [Other]}\n", "");
    const connection = join(PROJECT_ROOT, ".clickhouse", "connection.json");
    const fromCsv = await results(onlyOtherwise(`  file: ${CSV_FILE}`));
    const fromTable = await results(onlyOtherwise(`  clickhouse: {table: ${DATABASE}.incidents, connection: ${connection}}`));
    expect(fromCsv.results.map((item) => item.group)).toEqual(["Everyone", "Everyone"]);
    expect(comparable(fromTable)).toEqual(comparable(fromCsv));
  }, 120_000);

  it("a spec value written as SQL is data on ClickHouse: it matches nothing and drops nothing", async () => {
    const client = testClient();
    const before = await client.query<{ n: string }>(`SELECT count() AS n FROM ${DATABASE}.incidents`);
    const connection = join(PROJECT_ROOT, ".clickhouse", "connection.json");
    const run = await results(spec(`  clickhouse: {table: ${DATABASE}.incidents, connection: ${connection}}`, `total: "${HOSTILE.replaceAll('"', '\\"')}"`));
    expect(run.total).toBe(HOSTILE);
    expect(run.results.some((item) => item.group === HOSTILE)).toBe(true);
    expect(await client.query<{ n: string }>(`SELECT count() AS n FROM ${DATABASE}.incidents`)).toEqual(before);
  }, 120_000);

  it("a server that is down is named in one clear message, at the spec's data.clickhouse", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-ch-down-"));
    writeFileSync(join(dir, "conn.json"), JSON.stringify({ url: "http://127.0.0.1:18199", user: "default", password: "" }));
    const file = writeSpec(spec(`  clickhouse: {table: ${DATABASE}.incidents, connection: ${join(dir, "conn.json")}}`));
    await expect(resultsOf(file)).rejects.toHaveProperty(
      "message",
      `${file}:3:3 data.clickhouse: ClickHouse at http://127.0.0.1:18199: connection refused. Start the server or check the url in ${join(dir, "conn.json")}.`,
    );
  }, 60_000);

  it("asks the server ten questions: the day cube once, the window rows, the fingerprint once", async () => {
    const spy = vi.spyOn(ClickHouseClient.prototype, "query");
    const connection = join(PROJECT_ROOT, ".clickhouse", "connection.json");
    try {
      await results(spec(`  clickhouse: {table: ${DATABASE}.incidents, connection: ${connection}}`));
    } finally {
      vi.restoreAllMocks();
    }
    const kinds = spy.mock.calls.map(([sql]) => {
      const text = String(sql);
      if (text.startsWith("DESCRIBE TABLE")) return "columns";
      if (text.startsWith("SELECT count() AS n FROM")) return "row count";
      if (text.includes("sum(cityHash64(")) return "fingerprint";
      if (text.includes("AS cell_day")) return "day cube";
      if (text.includes("LIMIT 10 BY grp")) return "largest";
      if (text.includes("LIMIT 2000")) return "timeline";
      if (text.includes("toString(toDate(day)) AS date")) return "snapshot";
      return text;
    });
    // Before the day cube this study sent 25: 17 built the incidents relation, and the
    // fingerprint (columns, row count, hash sum) was read twice.
    expect(kinds).toEqual(["columns", "row count", "day cube", "largest", "largest", "timeline", "snapshot", "snapshot", "columns", "fingerprint"]);
  }, 60_000);
});
