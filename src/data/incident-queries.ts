/**
 * Read-only queries over the `incidents` table: what was left out and why, the dates the
 * data spans, the daily aggregates per group, and the largest incidents in a window.
 * Only aggregates and the top-k incidents come back to JavaScript.
 */
import type { DayNumber } from "../util/days.js";
import type { DuckDbSession } from "./duckdb-session.js";
import type { ExclusionReason } from "./incident-table.js";

/** How many example rows a warning lists. */
const EXAMPLES_PER_WARNING = 3;

export interface RowExample {
  row: number;
  name: string | null;
  date: string | null;
  amount: string | null;
}

export interface RowTally {
  count: number;
  examples: RowExample[];
}

const USED = "excluded IS NULL AND NOT filtered_out";

export async function exclusionTallies(session: DuckDbSession): Promise<Map<ExclusionReason, RowTally>> {
  const rows = await session.rows<{ reason: ExclusionReason; n: number; examples: RowExample[] }>(
    `SELECT excluded AS reason, count(*)::DOUBLE AS n,
            list({'row': source_row::DOUBLE, 'name': name, 'date': raw_date, 'amount': raw_amount} ORDER BY source_row)[1:${EXAMPLES_PER_WARNING}] AS examples
     FROM incidents WHERE excluded IS NOT NULL GROUP BY excluded`,
  );
  return new Map(rows.map((row) => [row.reason, { count: row.n, examples: row.examples }]));
}

/** Rows that were used although their amount is unknown, and kept duplicates. */
export async function usedRowTallies(session: DuckDbSession): Promise<{ unknownAmount: RowTally; keptDuplicates: RowTally; filteredOut: number; used: number }> {
  const tally = async (where: string): Promise<RowTally> => {
    const [row] = await session.rows<{ n: number; examples: RowExample[] | null }>(
      `SELECT count(*)::DOUBLE AS n,
              list({'row': source_row::DOUBLE, 'name': name, 'date': raw_date, 'amount': raw_amount} ORDER BY source_row)[1:${EXAMPLES_PER_WARNING}] AS examples
       FROM incidents WHERE ${where}`,
    );
    return { count: row?.n ?? 0, examples: row?.examples ?? [] };
  };
  const [counts] = await session.rows<{ filtered: number; used: number }>(
    `SELECT (count(*) FILTER (WHERE excluded IS NULL AND filtered_out))::DOUBLE AS filtered,
            (count(*) FILTER (WHERE ${USED}))::DOUBLE AS used
     FROM incidents`,
  );
  return {
    unknownAmount: await tally(`${USED} AND amount IS NULL`),
    keptDuplicates: await tally(`excluded IS NULL AND copy_number > 1`),
    filteredOut: counts?.filtered ?? 0,
    used: counts?.used ?? 0,
  };
}

/** First and last day of any row with a valid date (filters do not change what the data covers). */
export async function dateExtent(session: DuckDbSession): Promise<{ first: DayNumber; last: DayNumber } | undefined> {
  const [row] = await session.rows<{ first: number | null; last: number | null }>(
    `SELECT min(day) AS first, max(day) AS last FROM incidents WHERE excluded IS NULL`,
  );
  if (row === undefined || row.first === null || row.last === null) return undefined;
  return { first: row.first, last: row.last };
}

export interface DailyAggregate {
  /** The group, or null for rows no group claimed (they count only in the total). */
  group: string | null;
  day: DayNumber;
  incidents: number;
  /** Sum of known amounts. */
  loss: number;
  unknownAmounts: number;
}

export async function dailyAggregates(session: DuckDbSession, from: DayNumber, to: DayNumber): Promise<DailyAggregate[]> {
  return session.rows<DailyAggregate & Record<string, unknown>>(
    `SELECT grp AS "group", day, count(*)::DOUBLE AS incidents, coalesce(sum(amount), 0)::DOUBLE AS loss,
            (count(*) FILTER (WHERE amount IS NULL))::DOUBLE AS "unknownAmounts"
     FROM incidents WHERE ${USED} AND day BETWEEN $1 AND $2
     GROUP BY grp, day ORDER BY day, grp`,
    [from, to],
  );
}

export interface RankedIncident {
  group: string | null;
  row: number;
  day: DayNumber;
  name: string | null;
  amount: number | null;
  /** The incident's link, when the spec names a url column. */
  url: string | null;
}

/** The k largest known-amount incidents per group in [from, to], and the k largest overall (group "*"). */
export async function largestIncidents(session: DuckDbSession, from: DayNumber, to: DayNumber, k: number): Promise<{ byGroup: RankedIncident[]; overall: RankedIncident[] }> {
  const select = `SELECT grp AS "group", source_row::DOUBLE AS "row", day, name, amount, url FROM incidents
                  WHERE ${USED} AND amount IS NOT NULL AND day BETWEEN $1 AND $2`;
  const byGroup = await session.rows<RankedIncident & Record<string, unknown>>(
    `${select} QUALIFY row_number() OVER (PARTITION BY grp ORDER BY amount DESC, source_row) <= $3 ORDER BY grp, amount DESC, source_row`,
    [from, to, k],
  );
  const overall = await session.rows<RankedIncident & Record<string, unknown>>(`${select} ORDER BY amount DESC, source_row LIMIT $3`, [from, to, k]);
  return { byGroup, overall };
}

/** The `limit` largest known-amount incidents in [from, to] (for the timeline), and how many there are in all. */
export async function incidentsInSpan(session: DuckDbSession, from: DayNumber, to: DayNumber, limit: number): Promise<{ incidents: RankedIncident[]; totalInSpan: number }> {
  const incidents = await session.rows<RankedIncident & Record<string, unknown>>(
    `SELECT grp AS "group", source_row::DOUBLE AS "row", day, name, amount, url FROM incidents
     WHERE ${USED} AND amount IS NOT NULL AND amount > 0 AND day BETWEEN $1 AND $2
     ORDER BY amount DESC, source_row LIMIT $3`,
    [from, to, limit],
  );
  const [count] = await session.rows<{ n: number }>(
    `SELECT count(*)::DOUBLE AS n FROM incidents WHERE ${USED} AND amount IS NOT NULL AND amount > 0 AND day BETWEEN $1 AND $2`,
    [from, to],
  );
  return { incidents, totalInSpan: count?.n ?? 0 };
}
