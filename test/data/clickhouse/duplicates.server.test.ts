// data.duplicates: unchecked on ClickHouse: the same counts as the same rows read by
// DuckDB from a file with the same setting (every copy an incident, no duplicate warning),
// the counts `keep` gives, and no work spent finding copies: no GROUP BY over every column
// anywhere, neither to group identical rows nor to count the kept copies.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClickHouseClient } from "../../../src/data/clickhouse/http-client.js";
import { DuckDbSession } from "../../../src/data/duckdb-session.js";
import { runStudy } from "../../../src/pipeline.js";
import { buildResultsJson, type ResultsJson } from "../../../src/report/results-json.js";
import { testContext } from "../../helpers/study-fixture.js";
import { CSV_FILE, DATABASE, PROJECT_ROOT } from "./test-server.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const CONNECTION = join(PROJECT_ROOT, ".clickhouse", "connection.json");
/** The test table with every fifth row twice: 60 exact duplicates (each row's id is in it). */
const WITH_COPIES = `SELECT * FROM ${DATABASE}.incidents UNION ALL SELECT * FROM ${DATABASE}.incidents WHERE toUInt32OrZero(id) % 5 = 0`;

function spec(source: string, duplicates: "drop" | "keep" | "unchecked"): string {
  return `title: Telemetry with repeated rows
data:
${source}
  columns: {date: date, amount: amount_usd, name: name}
  timezone: Asia/Tokyo
  duplicates: ${duplicates}
coverage: {start: 2023-01-01, end: 2024-12-31}
groups:
  - name: Lazarus
    where: {actor: Lazarus}
  - name: Other
    otherwise: true
event: {date: 2024-06-19, label: treaty}
windows:
  pre: {days: 120}
  post: {days: 120}
tests: {permutations: 999, bootstrap: {resamples: 499}}
robustness: {placebo: false, sensitivity_days: [60], influence_top_k: 3}
`;
}

async function results(specText: string): Promise<ResultsJson> {
  const file = join(mkdtempSync(join(tmpdir(), "eventstudy-ch-duplicates-")), "study.yaml");
  writeFileSync(file, specText);
  return buildResultsJson(await runStudy(file, testContext(PROJECT_ROOT)));
}

/**
 * The counts and everything computed from the daily series. Not the influence tables or
 * the largest incidents: there the file reader lists each copy of a row and ClickHouse,
 * where copies share one content hash, may list it once (README, "Your own ClickHouse cluster").
 */
function counts(results: ResultsJson): unknown {
  return {
    windows: results.windows,
    results: results.results.map((item) => ({ group: item.group, metric: item.metric, pre: item.pre, post: item.post, change: item.change, interval: item.interval, tests: item.tests })),
    rows: [results.provenance.rowsRead, results.provenance.rowsExcluded, results.provenance.rowsFilteredOut, results.provenance.rowsUsed, results.provenance.rowsInNoGroup],
    warnings: results.warnings.map((warning) => warning.code),
  };
}

const incidentsOf = (results: ResultsJson): number[] =>
  results.results.filter((item) => item.metric === "daily_incidents").flatMap((item) => [item.pre.incidents, item.post.incidents]);

describe("data.duplicates: unchecked on ClickHouse", () => {
  it("gives the counts of the same rows read from a file by DuckDB, and those of keep, with no duplicate warning", async () => {
    // The same rows as a Parquet file (NULLs stay NULLs), every fifth row twice.
    const parquet = join(mkdtempSync(join(tmpdir(), "eventstudy-ch-duplicates-")), "incidents.parquet");
    const session = await DuckDbSession.open();
    const all = `read_csv('${CSV_FILE}', all_varchar = true)`;
    await session.run(`COPY (SELECT * FROM ${all} UNION ALL SELECT * FROM ${all} WHERE CAST(id AS INTEGER) % 5 = 0) TO '${parquet}' (FORMAT parquet)`);
    session.close();
    const fromClickHouse = await results(spec(`  clickhouse:\n    query: ${WITH_COPIES}\n    connection: ${CONNECTION}`, "unchecked"));
    const fromFile = await results(spec(`  file: ${parquet}`, "unchecked"));
    expect(fromClickHouse.dataRules.duplicates).toBe("unchecked");
    expect(fromClickHouse.provenance.rowsRead).toBe(360);
    expect(counts(fromClickHouse)).toEqual(counts(fromFile));
    expect(fromClickHouse.warnings.map((warning) => warning.code)).not.toContain("duplicates_kept");
    expect(fromClickHouse.warnings.map((warning) => warning.code)).not.toContain("rows_duplicate");

    // keep counts the same incidents (and warns about the 60 copies it kept); drop has fewer.
    const keep = await results(spec(`  clickhouse:\n    query: ${WITH_COPIES}\n    connection: ${CONNECTION}`, "keep"));
    const drop = await results(spec(`  clickhouse:\n    query: ${WITH_COPIES}\n    connection: ${CONNECTION}`, "drop"));
    expect(incidentsOf(keep)).toEqual(incidentsOf(fromClickHouse));
    // ClickHouse cannot name the later copies (no row order): no "(e.g. )" with nothing in it.
    expect(keep.warnings.find((warning) => warning.code === "duplicates_kept")?.message).toBe('60 exact duplicate row(s) kept because data.duplicates is "keep".');
    expect(drop.warnings.find((warning) => warning.code === "rows_duplicate")?.message).toMatch(/^60 row\(s\) left out: an exact duplicate/);
    expect(drop.provenance.rowsUsed).toBe(fromClickHouse.provenance.rowsUsed - 60);
  }, 120_000);

  it("never groups identical rows nor counts their copies", async () => {
    const spy = vi.spyOn(ClickHouseClient.prototype, "query");
    await results(spec(`  clickhouse:\n    query: ${WITH_COPIES}\n    connection: ${CONNECTION}`, "unchecked"));
    const sent = spy.mock.calls.map(([sql]) => String(sql));
    vi.restoreAllMocks();
    expect(sent.some((sql) => sql.includes("AS cell_day"))).toBe(true);
    // drop's grouping of identical rows, keep's count of kept copies, the cube's copy columns.
    expect(sent.filter((sql) => /count\(\) AS copies|sum\(c - 1\)|copies > 1|sum\(copies\)/.test(sql))).toEqual([]);
  }, 60_000);
});
