/**
 * The study's placebo-in-time check for one series: where the real windows sit in the
 * covered range, and the placebo result (src/stats/placebo-in-time.ts) with its p-values.
 */
import { placeboInTime } from "../stats/placebo-in-time.js";
import { formatDay, type DayNumber, type DayRange } from "../util/days.js";

export interface PlaceboSummary {
  /** Real effect (post mean − pre mean). */
  observed: number;
  eligibleDates: number;
  atLeastAsExtreme: number;
  pValue: number | null;
  adjustedPValue: number | null;
  /** Same on the relative scale (log ratio of means), on dates where both means are > 0. */
  relative: { eligibleDates: number; atLeastAsExtreme: number; pValue: number | null };
  /** First and last eligible fake event dates. */
  firstDate: string | null;
  lastDate: string | null;
  /** Every placebo effect, for the report's histogram (not written to results.json). */
  effects: Float64Array;
}

export function placeboFor(values: Float64Array, seriesStart: DayNumber, eventDay: DayNumber, windows: { pre: DayRange; post: DayRange }): PlaceboSummary {
  const result = placeboInTime(values, {
    eventIndex: eventDay - seriesStart,
    preDays: windows.pre.end - windows.pre.start + 1,
    postDays: windows.post.end - windows.post.start + 1,
    gapBefore: eventDay - 1 - windows.pre.end,
    gapAfter: windows.post.start - eventDay,
  });
  const first = result.eventIndices[0];
  const last = result.eventIndices[result.eventIndices.length - 1];
  return {
    observed: result.observed,
    eligibleDates: result.effects.length,
    atLeastAsExtreme: result.atLeastAsExtreme,
    pValue: result.pValue,
    adjustedPValue: null,
    relative: { eligibleDates: result.relative.eligible, atLeastAsExtreme: result.relative.atLeastAsExtreme, pValue: result.relative.pValue },
    firstDate: first === undefined ? null : formatDay(seriesStart + first),
    lastDate: last === undefined ? null : formatDay(seriesStart + last),
    effects: result.effects,
  };
}
