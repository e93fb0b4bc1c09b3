/**
 * Window sensitivity: the change and its interval recomputed with windows of several
 * lengths (the same number of days each side of the event, the spec's gap kept), so a
 * reader sees whether the answer depends on the window chosen. Windows are cut to
 * coverage like the main ones; a length that does not fit at all is skipped, and so is a
 * length cut to the same windows as a shorter one (it would repeat that point and make
 * "the same direction at every length" hold by construction).
 */
import type { MetricName, TestName } from "../spec/input-spec.js";
import type { DayNumber, DayRange } from "../util/days.js";
import { formatDay } from "../util/days.js";
import { inferChange, type ComparisonSettings } from "./compare-windows.js";
import { windowSlice } from "./daily-series.js";

export interface SensitivityPoint {
  days: number;
  pre: { start: string; end: string; days: number };
  post: { start: string; end: string; days: number };
  /** True when coverage cut a window shorter than `days`. */
  clipped: boolean;
  difference: number;
  intervalLow: number | null;
  intervalHigh: number | null;
  /** The primary test's p-value at this length. */
  pValue: number | null;
}

export function windowSensitivity(
  values: Float64Array,
  seriesStart: DayNumber,
  seriesEnd: DayNumber,
  event: DayNumber,
  gap: { before: number; after: number },
  lengths: readonly number[],
  metric: MetricName | "difference",
  primary: TestName,
  settings: ComparisonSettings,
  label: string,
): SensitivityPoint[] {
  const points: SensitivityPoint[] = [];
  for (const days of lengths) {
    const pre: DayRange = { start: Math.max(seriesStart, event - gap.before - days), end: event - gap.before - 1 };
    const post: DayRange = { start: event + gap.after, end: Math.min(seriesEnd, event + gap.after + days - 1) };
    if (pre.end < pre.start || post.end < post.start) continue;
    const previous = points.at(-1);
    if (previous !== undefined && previous.pre.start === formatDay(pre.start) && previous.pre.end === formatDay(pre.end) && previous.post.start === formatDay(post.start) && previous.post.end === formatDay(post.end)) continue;
    const preValues = windowSlice(values, seriesStart, pre);
    const postValues = windowSlice(values, seriesStart, post);
    // Only the difference's interval is shown here; the ratio's bootstrap would double the cost.
    const inference = inferChange(`${label}|sensitivity|${days}`, metric, postValues, preValues, { ...settings, methods: [primary] }, { relative: false });
    const mean = (array: Float64Array): number => array.reduce((sum, value) => sum + value, 0) / array.length;
    const window = (range: DayRange): SensitivityPoint["pre"] => ({ start: formatDay(range.start), end: formatDay(range.end), days: range.end - range.start + 1 });
    points.push({
      days,
      pre: window(pre),
      post: window(post),
      clipped: pre.end - pre.start + 1 < days || post.end - post.start + 1 < days,
      difference: mean(postValues) - mean(preValues),
      intervalLow: inference.interval.difference.low,
      intervalHigh: inference.interval.difference.high,
      pValue: inference.tests[0]?.pValue ?? null,
    });
  }
  return points;
}
