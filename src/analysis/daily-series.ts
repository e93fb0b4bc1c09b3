/**
 * Dense daily series per group: one slot per calendar day from `start` to `end`, zero on
 * days without incidents. Typed arrays, because the statistics resample them thousands
 * of times.
 */
import type { DailyAggregate } from "../data/incident-queries.js";
import type { DayNumber, DayRange } from "../util/days.js";

export interface GroupSeries {
  group: string;
  /** Sum of known amounts per day. */
  loss: Float64Array;
  /** Number of incidents per day (unknown amounts included). */
  incidents: Float64Array;
  /** Incidents per day whose amount is unknown. */
  unknownAmounts: Float64Array;
}

export interface DailySeries {
  start: DayNumber;
  end: DayNumber;
  groups: GroupSeries[];
}

/**
 * `groupNames` fixes the order; rows of no group (null) count only in the total.
 * `totalName` null means no total series.
 */
export function buildDailySeries(
  aggregates: readonly DailyAggregate[],
  range: DayRange,
  groupNames: readonly string[],
  totalName: string | null,
): DailySeries {
  const length = range.end - range.start + 1;
  const make = (group: string): GroupSeries => ({
    group,
    loss: new Float64Array(length),
    incidents: new Float64Array(length),
    unknownAmounts: new Float64Array(length),
  });
  const byName = new Map(groupNames.map((name) => [name, make(name)]));
  const total = totalName === null ? null : make(totalName);
  for (const aggregate of aggregates) {
    const index = aggregate.day - range.start;
    if (index < 0 || index >= length) continue;
    const targets = [aggregate.group === null ? undefined : byName.get(aggregate.group), total ?? undefined];
    for (const series of targets) {
      if (series === undefined) continue;
      series.loss[index] = (series.loss[index] as number) + aggregate.loss;
      series.incidents[index] = (series.incidents[index] as number) + aggregate.incidents;
      series.unknownAmounts[index] = (series.unknownAmounts[index] as number) + aggregate.unknownAmounts;
    }
  }
  return { start: range.start, end: range.end, groups: [...byName.values(), ...(total === null ? [] : [total])] };
}

/** The slice of a series covering [window.start, window.end]. */
export function windowSlice(values: Float64Array, seriesStart: DayNumber, window: DayRange): Float64Array {
  return values.subarray(window.start - seriesStart, window.end - seriesStart + 1);
}

/** The same groups restricted to [range.start, range.end] (views, no copies). */
export function sliceSeries(series: DailySeries, range: DayRange): DailySeries {
  const slice = (values: Float64Array): Float64Array => windowSlice(values, series.start, range);
  return {
    start: range.start,
    end: range.end,
    groups: series.groups.map((group) => ({ group: group.group, loss: slice(group.loss), incidents: slice(group.incidents), unknownAmounts: slice(group.unknownAmounts) })),
  };
}
