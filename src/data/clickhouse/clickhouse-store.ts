/**
 * A study's incidents on a ClickHouse server: the same questions the DuckDB reader
 * answers (what was left out and why, the date extent, the daily aggregates per group,
 * the largest incidents, the window snapshot), asked in ClickHouse SQL over the relation
 * built by incident-sql.ts. Only aggregates and top-k rows come back over HTTP.
 */
import type { NormalizedSpec } from "../../spec/normalized-spec.js";
import type { DayNumber } from "../../util/days.js";
import type { ExclusionReason } from "../exclusions.js";
import type { DailyAggregate, RankedIncident, RowExample, RowTally } from "../incident-queries.js";
import type { IncidentKey, WindowSnapshot } from "../../living/window-incidents.js";
import { SNAPSHOT_LIMIT } from "../../living/window-incidents.js";
import type { ClickHouseClient } from "./http-client.js";
import { incidentsSql, rowHashSql, sourceSql, type ClickHouseColumn } from "./incident-sql.js";
import { quoteClickHouseIdentifier } from "./sql.js";

const EXAMPLES_PER_WARNING = 3;
const USED = "excluded IS NULL AND NOT filtered_out";
const RANKED = "grp AS group, row, toFloat64(day) AS day, name, amount, url";

type ExampleTuple = [number, string | null, string | null, string | null];
const toExamples = (tuples: ExampleTuple[] | null | undefined): RowExample[] =>
  (tuples ?? []).map(([row, name, date, amount]) => ({ row, name, date, amount }));
const exampleArray = `groupArray(${EXAMPLES_PER_WARNING})(tuple(row, name, raw_date, raw_amount))`;

export class ClickHouseIncidents {
  private constructor(
    private readonly client: ClickHouseClient,
    private readonly spec: NormalizedSpec,
    readonly source: string,
    readonly columns: ClickHouseColumn[],
    readonly rowsRead: number,
    private readonly incidents: string,
  ) {}

  /** Describes the source (its columns and row count); the incidents relation is built lazily in each query. */
  static async open(client: ClickHouseClient, spec: NormalizedSpec, source: { table: string | null; query: string | null }): Promise<ClickHouseIncidents> {
    const from = sourceSql(source);
    const columns = (await client.query<{ name: string; type: string }>(`DESCRIBE TABLE ${from}`)).map((row) => ({ name: row.name, type: row.type }));
    const [count] = await client.query<{ n: string }>(`SELECT count() AS n FROM ${from}`);
    const incidents = columns.length === 0 ? "" : incidentsSql(spec, from, columns);
    return new ClickHouseIncidents(client, spec, from, columns, Number(count?.n ?? 0), incidents);
  }

  /** A content fingerprint computed on the server, so a living study knows whether the table changed. */
  async fingerprint(): Promise<string> {
    const [row] = await this.client.query<{ n: string; h: string }>(`SELECT count() AS n, sum(${rowHashSql(this.columns)}) AS h FROM ${this.source}`);
    return `clickhouse:${row?.n ?? 0}:${row?.h ?? 0}`;
  }

  async exclusionTallies(): Promise<Map<ExclusionReason, RowTally>> {
    const rows = await this.client.query<{ reason: ExclusionReason; n: number; examples: ExampleTuple[] }>(
      `SELECT excluded AS reason, toFloat64(sum(copies)) AS n, ${exampleArray} AS examples
       FROM (SELECT * FROM ${this.incidents} WHERE excluded IS NOT NULL ORDER BY raw_date, raw_amount, name, row)
       GROUP BY excluded`,
    );
    const tallies = new Map<ExclusionReason, RowTally>(rows.map((row) => [row.reason, { count: row.n, examples: toExamples(row.examples) }]));
    if (this.spec.data.duplicates === "drop") {
      const [duplicates] = await this.client.query<{ n: number; examples: ExampleTuple[] }>(
        `SELECT toFloat64(sum(copies - 1)) AS n, ${exampleArray} AS examples
         FROM (SELECT * FROM ${this.incidents} WHERE excluded IS NULL AND copies > 1 ORDER BY raw_date, raw_amount, name, row)`,
      );
      if ((duplicates?.n ?? 0) > 0) tallies.set("duplicate", { count: duplicates?.n ?? 0, examples: toExamples(duplicates?.examples) });
    }
    return tallies;
  }

  async usedRowTallies(): Promise<{ unknownAmount: RowTally; keptDuplicates: RowTally; filteredOut: number; used: number }> {
    const [row] = await this.client.query<{ used: number; filtered: number; unknown_n: number; unknown_examples: ExampleTuple[] }>(
      `SELECT toFloat64(countIf(${USED})) AS used, toFloat64(countIf(excluded IS NULL AND filtered_out)) AS filtered,
              toFloat64(countIf(${USED} AND amount IS NULL)) AS unknown_n,
              groupArrayIf(${EXAMPLES_PER_WARNING})(tuple(row, name, raw_date, raw_amount), ${USED} AND amount IS NULL) AS unknown_examples
       FROM (SELECT * FROM ${this.incidents} ORDER BY raw_date, raw_amount, name, row)`,
    );
    let keptDuplicates: RowTally = { count: 0, examples: [] };
    if (this.spec.data.duplicates === "keep") {
      const all = this.columns.map((column) => quoteClickHouseIdentifier(column.name)).join(", ");
      const [kept] = await this.client.query<{ n: number }>(`SELECT toFloat64(sum(c - 1)) AS n FROM (SELECT count() AS c FROM ${this.source} GROUP BY ${all}) WHERE c > 1`);
      keptDuplicates = { count: kept?.n ?? 0, examples: [] };
    }
    return {
      unknownAmount: { count: row?.unknown_n ?? 0, examples: toExamples(row?.unknown_examples) },
      keptDuplicates,
      filteredOut: row?.filtered ?? 0,
      used: row?.used ?? 0,
    };
  }

  async rowsOutside(from: DayNumber, to: DayNumber): Promise<RowTally> {
    const outside = `${USED} AND (day < ${from} OR day > ${to})`;
    const [row] = await this.client.query<{ n: number; examples: ExampleTuple[] }>(
      `SELECT toFloat64(countIf(${outside})) AS n, groupArrayIf(${EXAMPLES_PER_WARNING})(tuple(row, name, raw_date, raw_amount), ${outside}) AS examples
       FROM (SELECT * FROM ${this.incidents} ORDER BY raw_date, raw_amount, name, row)`,
    );
    return { count: row?.n ?? 0, examples: toExamples(row?.examples) };
  }

  async dateExtent(): Promise<{ first: DayNumber; last: DayNumber } | undefined> {
    const [row] = await this.client.query<{ first: number | null; last: number | null; n: string }>(
      `SELECT toFloat64(min(day)) AS first, toFloat64(max(day)) AS last, count() AS n FROM ${this.incidents} WHERE excluded IS NULL`,
    );
    if (row === undefined || Number(row.n) === 0 || row.first === null || row.last === null) return undefined;
    return { first: row.first, last: row.last };
  }

  /** Losses are summed with Kahan summation, so shard order changes no bit that matters. */
  async dailyAggregates(from: DayNumber, to: DayNumber): Promise<DailyAggregate[]> {
    return this.client.query<DailyAggregate>(
      `SELECT grp AS group, toFloat64(day) AS day, toFloat64(count()) AS incidents, sumKahan(ifNull(amount, 0)) AS loss,
              toFloat64(countIf(amount IS NULL)) AS unknownAmounts
       FROM ${this.incidents} WHERE ${USED} AND day BETWEEN ${from} AND ${to}
       GROUP BY grp, day ORDER BY day, grp`,
    );
  }

  /** Used rows per group (null: no group claimed them). */
  async groupCounts(): Promise<Map<string | null, number>> {
    const rows = await this.client.query<{ grp: string | null; n: number }>(`SELECT grp, toFloat64(count()) AS n FROM ${this.incidents} WHERE ${USED} GROUP BY grp`);
    return new Map(rows.map((row) => [row.grp, row.n]));
  }

  async largestIncidents(from: DayNumber, to: DayNumber, k: number): Promise<{ byGroup: RankedIncident[]; overall: RankedIncident[] }> {
    const where = `${USED} AND amount IS NOT NULL AND day BETWEEN ${from} AND ${to}`;
    const byGroup = await this.client.query<RankedIncident>(
      `SELECT ${RANKED} FROM ${this.incidents} WHERE ${where} AND grp IS NOT NULL ORDER BY grp, amount DESC, row LIMIT ${k} BY grp`,
    );
    const overall = await this.client.query<RankedIncident>(`SELECT ${RANKED} FROM ${this.incidents} WHERE ${where} ORDER BY amount DESC, row LIMIT ${k}`);
    return { byGroup, overall };
  }

  async incidentsInSpan(from: DayNumber, to: DayNumber, limit: number): Promise<{ incidents: RankedIncident[]; totalInSpan: number }> {
    const where = `${USED} AND amount IS NOT NULL AND amount > 0 AND day BETWEEN ${from} AND ${to}`;
    const incidents = await this.client.query<RankedIncident>(`SELECT ${RANKED} FROM ${this.incidents} WHERE ${where} ORDER BY amount DESC, row LIMIT ${limit}`);
    const [count] = await this.client.query<{ n: number }>(`SELECT toFloat64(count()) AS n FROM ${this.incidents} WHERE ${where}`);
    return { incidents, totalInSpan: count?.n ?? 0 };
  }

  async windowSnapshot(from: DayNumber, to: DayNumber): Promise<WindowSnapshot> {
    const where = `${USED} AND day BETWEEN ${from} AND ${to}`;
    const counts = await this.client.query<{ grp: string | null; n: number }>(`SELECT grp, toFloat64(count()) AS n FROM ${this.incidents} WHERE ${where} GROUP BY grp ORDER BY grp`);
    const total = counts.reduce((sum, row) => sum + row.n, 0);
    const snapshot: WindowSnapshot = { counts: Object.fromEntries(counts.map((row) => [row.grp ?? "(no group)", row.n])), incidents: null };
    if (total <= SNAPSHOT_LIMIT) {
      const rows = await this.client.query<{ date: string; grp: string | null; name: string | null; amount: number | null }>(
        `SELECT toString(toDate(day)) AS date, grp, name, amount FROM ${this.incidents} WHERE ${where}
         ORDER BY day, isNull(grp), grp, isNull(name), name, isNull(amount), amount`,
      );
      snapshot.incidents = rows.map((row): IncidentKey => [row.date, row.grp, row.name, row.amount]);
    }
    return snapshot;
  }
}
