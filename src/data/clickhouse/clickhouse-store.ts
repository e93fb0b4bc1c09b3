/**
 * A study's incidents on a ClickHouse server: the same questions the DuckDB reader
 * answers (what was left out and why, the date extent, the daily aggregates per group,
 * the largest incidents, the window snapshot), asked in ClickHouse SQL over the relation
 * built by incident-sql.ts. Only aggregates and top-k rows come back over HTTP.
 *
 * Building that relation (every row parsed; identical rows grouped for `duplicates: drop`)
 * is what each query pays for, so the questions that only count are answered from one
 * day cube (day-cube.ts), read once; warning examples come from the cube too, with at most
 * one follow-up query (examples.ts). What still reads the relation: the largest incidents
 * of each window (one query each), the timeline's incidents, each window's snapshot rows
 * when it is small enough to list, the rows outside coverage when there are any, and the
 * kept copies when `duplicates: keep` (a table has no row order; finding them takes a group by).
 * `duplicates: unchecked` is the cheapest: no grouping and no search for copies anywhere.
 */
import type { NormalizedSpec } from "../../spec/normalized-spec.js";
import type { DayNumber } from "../../util/days.js";
import type { ExclusionReason } from "../exclusions.js";
import type { DailyAggregate, RankedIncident, RowTally } from "../incident-queries.js";
import type { IncidentKey, WindowSnapshot } from "../../living/window-incidents.js";
import { SNAPSHOT_LIMIT } from "../../living/window-incidents.js";
import type { ClickHouseClient } from "./http-client.js";
import {
  countOutside,
  countPositive,
  dailyFromCube,
  dayCubeSql,
  dayExtent,
  duplicateParts,
  exclusionParts,
  groupTotals,
  rowCounts,
  toCubeCell,
  unknownAmountParts,
  type CubeCell,
  type CubeRow,
} from "./day-cube.js";
import { DUPLICATE, firstExamples, followUpSql, outsideExamplesSql, toRowExample, UNKNOWN_AMOUNT, type ExampleKey, type TallyPart } from "./examples.js";
import { incidentsSql, rowHashSql, sourceSql, type ClickHouseColumn } from "./incident-sql.js";
import { quoteClickHouseIdentifier } from "./sql.js";

const USED = "excluded IS NULL AND NOT filtered_out";
const RANKED = "grp AS group, row, toFloat64(day) AS day, name, amount, url";

/** What the warnings about rows need, from the cube and the examples follow-up. */
interface RowWarnings {
  exclusions: Map<ExclusionReason, RowTally>;
  unknownAmount: RowTally;
  used: number;
  filteredOut: number;
}

/** ClickHouse's `ORDER BY amount DESC, row`. */
const largestFirst = (a: RankedIncident, b: RankedIncident): number => (b.amount ?? 0) - (a.amount ?? 0) || a.row - b.row;

export class ClickHouseIncidents {
  private cube: Promise<CubeCell[]> | undefined;
  private warnings: Promise<RowWarnings> | undefined;

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly spec: NormalizedSpec,
    readonly source: string,
    readonly columns: ClickHouseColumn[],
    readonly rowsRead: number,
    private readonly incidents: string,
  ) {}

  /** Describes the source (its columns and row count); the incidents relation is read when a question needs it. */
  static async open(client: ClickHouseClient, spec: NormalizedSpec, source: { table: string | null; query: string | null }): Promise<ClickHouseIncidents> {
    const from = sourceSql(source);
    const columns = await describe(client, from);
    const [count] = await client.query<{ n: string }>(`SELECT count() AS n FROM ${from}`);
    const incidents = columns.length === 0 ? "" : incidentsSql(spec, from, columns);
    return new ClickHouseIncidents(client, spec, from, columns, Number(count?.n ?? 0), incidents);
  }

  async exclusionTallies(): Promise<Map<ExclusionReason, RowTally>> {
    return (await this.rowWarnings()).exclusions;
  }

  async usedRowTallies(): Promise<{ unknownAmount: RowTally; keptDuplicates: RowTally; filteredOut: number; used: number }> {
    const { unknownAmount, used, filteredOut } = await this.rowWarnings();
    // Only `keep` counts the copies it kept; `unchecked` never looks for them (and `drop` left them out).
    let keptDuplicates: RowTally = { count: 0, examples: [] };
    if (this.spec.data.duplicates === "keep") {
      const all = this.columns.map((column) => quoteClickHouseIdentifier(column.name)).join(", ");
      const [kept] = await this.client.query<{ n: number }>(`SELECT toFloat64(sum(c - 1)) AS n FROM (SELECT count() AS c FROM ${this.source} GROUP BY ${all}) WHERE c > 1`);
      keptDuplicates = { count: kept?.n ?? 0, examples: [] };
    }
    return { unknownAmount, keptDuplicates, filteredOut, used };
  }

  async rowsOutside(from: DayNumber, to: DayNumber): Promise<RowTally> {
    const count = countOutside(await this.dayCube(), from, to);
    if (count === 0) return { count, examples: [] };
    const rows = await this.client.query<{ key: ExampleKey }>(outsideExamplesSql(this.incidents, from, to));
    return { count, examples: rows.map((row) => toRowExample(row.key)) };
  }

  async dateExtent(): Promise<{ first: DayNumber; last: DayNumber } | undefined> {
    return dayExtent(await this.dayCube());
  }

  /** Losses are summed with Kahan summation per group and day, so shard order changes no bit that matters. */
  async dailyAggregates(from: DayNumber, to: DayNumber): Promise<DailyAggregate[]> {
    return dailyFromCube(await this.dayCube(), from, to);
  }

  /** Used rows per group (null: no group claimed them). */
  async groupCounts(): Promise<Map<string | null, number>> {
    return new Map(groupTotals(await this.dayCube()).map((total) => [total.group, total.rows]));
  }

  /**
   * One query: the k largest of each group, rows of no group included. The k largest
   * overall are among them (a row among the k largest overall is among its group's k
   * largest), so they are picked here, in ClickHouse's order.
   */
  async largestIncidents(from: DayNumber, to: DayNumber, k: number): Promise<{ byGroup: RankedIncident[]; overall: RankedIncident[] }> {
    const where = `${USED} AND amount IS NOT NULL AND day BETWEEN ${from} AND ${to}`;
    const rows = await this.client.query<RankedIncident>(`SELECT ${RANKED} FROM ${this.datedIn(from, to)} WHERE ${where} ORDER BY grp, amount DESC, row LIMIT ${k} BY grp`);
    return { byGroup: rows.filter((row) => row.group !== null), overall: [...rows].sort(largestFirst).slice(0, k) };
  }

  /** The largest incidents in the span (ClickHouse keeps only `limit` rows while it sorts); their number comes from the cube. */
  async incidentsInSpan(from: DayNumber, to: DayNumber, limit: number): Promise<{ incidents: RankedIncident[]; totalInSpan: number }> {
    const totalInSpan = countPositive(await this.dayCube(), from, to);
    if (totalInSpan === 0) return { incidents: [], totalInSpan };
    const where = `${USED} AND amount IS NOT NULL AND amount > 0 AND day BETWEEN ${from} AND ${to}`;
    const incidents = await this.client.query<RankedIncident>(`SELECT ${RANKED} FROM ${this.datedIn(from, to)} WHERE ${where} ORDER BY amount DESC, row LIMIT ${limit}`);
    return { incidents, totalInSpan };
  }

  async windowSnapshot(from: DayNumber, to: DayNumber): Promise<WindowSnapshot> {
    const counts = groupTotals(await this.dayCube(), { from, to });
    const total = counts.reduce((sum, row) => sum + row.rows, 0);
    const snapshot: WindowSnapshot = { counts: Object.fromEntries(counts.map((row) => [row.group ?? "(no group)", row.rows])), incidents: null };
    if (total <= SNAPSHOT_LIMIT) {
      const rows =
        total === 0
          ? []
          : await this.client.query<{ date: string; grp: string | null; name: string | null; amount: number | null }>(
              `SELECT toString(toDate(day)) AS date, grp, name, amount FROM ${this.datedIn(from, to)} WHERE ${USED} AND day BETWEEN ${from} AND ${to}
               ORDER BY day, isNull(grp), grp, isNull(name), name, isNull(amount), amount`,
            );
      snapshot.incidents = rows.map((row): IncidentKey => [row.date, row.grp, row.name, row.amount]);
    }
    return snapshot;
  }

  /** The incidents relation built from the rows dated in [from, to] only: what a question about a window reads. */
  private datedIn(from: DayNumber, to: DayNumber): string {
    return incidentsSql(this.spec, this.source, this.columns, { from, to });
  }

  /** The day cube, read once per study. */
  private dayCube(): Promise<CubeCell[]> {
    this.cube ??= this.client.query<CubeRow>(dayCubeSql(this.incidents, this.spec.data.duplicates === "drop")).then((rows) => rows.map(toCubeCell));
    return this.cube;
  }

  /** Counts from the cube, and every warning's examples with at most one more query. */
  private rowWarnings(): Promise<RowWarnings> {
    this.warnings ??= this.readRowWarnings();
    return this.warnings;
  }

  private async readRowWarnings(): Promise<RowWarnings> {
    const cells = await this.dayCube();
    const tallies = new Map<string, { count: number; parts: TallyPart[] }>(exclusionParts(cells));
    if (this.spec.data.duplicates === "drop") tallies.set(DUPLICATE, duplicateParts(cells));
    tallies.set(UNKNOWN_AMOUNT, unknownAmountParts(cells));
    const examples = await this.firstRows(new Map([...tallies].filter(([, tally]) => tally.count > 0).map(([name, tally]) => [name, tally.parts])));
    const tally = (name: string): RowTally => ({ count: tallies.get(name)?.count ?? 0, examples: (examples.get(name) ?? []).map(toRowExample) });
    const exclusions = new Map<ExclusionReason, RowTally>();
    for (const [name, { count }] of tallies) {
      if (name !== UNKNOWN_AMOUNT && count > 0) exclusions.set(name as ExclusionReason, tally(name));
    }
    return { exclusions, unknownAmount: tally(UNKNOWN_AMOUNT), ...rowCounts(cells) };
  }

  /** The first rows of each tally: from its parts where they tell, else from one follow-up query for all the rest. */
  private async firstRows(tallies: Map<string, TallyPart[]>): Promise<Map<string, ExampleKey[]>> {
    const examples = new Map<string, ExampleKey[]>();
    const requests: Array<{ tally: string; bound: ExampleKey | null }> = [];
    for (const [tally, parts] of tallies) {
      const choice = firstExamples(parts);
      if ("examples" in choice) examples.set(tally, choice.examples);
      else requests.push({ tally, bound: choice.bound });
    }
    if (requests.length > 0) {
      for (const row of await this.client.query<{ tally: string; key: ExampleKey }>(followUpSql(this.incidents, requests))) {
        examples.set(row.tally, [...(examples.get(row.tally) ?? []), row.key]);
      }
    }
    return examples;
  }
}

async function describe(client: ClickHouseClient, from: string): Promise<ClickHouseColumn[]> {
  return (await client.query<{ name: string; type: string }>(`DESCRIBE TABLE ${from}`)).map((row) => ({ name: row.name, type: row.type }));
}

/**
 * A content fingerprint computed on the server (row count and the sum of every row's hash),
 * so a living study knows whether the table changed: its columns, then one pass over the source.
 */
export async function clickHouseFingerprint(client: ClickHouseClient, source: { table: string | null; query: string | null }): Promise<string> {
  const from = sourceSql(source);
  const columns = await describe(client, from);
  const [row] = await client.query<{ n: string; h: string }>(`SELECT count() AS n, sum(${rowHashSql(columns)}) AS h FROM ${from}`);
  return `clickhouse:${row?.n ?? 0}:${row?.h ?? 0}`;
}
