/**
 * The pre/post comparison for one group and one metric: what each window holds, the
 * change in the daily mean, and the significance tests the spec asked for.
 */
import { EventStudyError } from "../errors.js";
import { messages } from "../messages.js";
import type { MetricName, TestName } from "../spec/input-spec.js";
import { mean, median, sampleVariance, sum } from "../stats/descriptive.js";
import { mannWhitneyU } from "../stats/mann-whitney-u.js";
import { welchTTest } from "../stats/welch-t-test.js";
import { formatDay, type DayRange } from "../util/days.js";
import { windowSlice, type DailySeries, type GroupSeries } from "./daily-series.js";

export interface WindowSummary {
  start: string;
  end: string;
  days: number;
  incidents: number;
  /** Incidents in the window whose amount is unknown (they add nothing to losses). */
  unknownAmountIncidents: number;
  /** Days with at least one incident. */
  daysWithIncidents: number;
  mean: number;
  median: number;
  total: number;
  /** Sample standard deviation of the daily values; null with fewer than 2 days. */
  sd: number | null;
}

export interface TestOutcome {
  method: TestName;
  statistic: number | null;
  /** Degrees of freedom, for tests that have them. */
  df: number | null;
  pValue: number | null;
  variant: string;
  /** Why a value is missing, or a caveat on it. */
  note: string | null;
}

export interface MeanChange {
  /** post mean - pre mean, per day. */
  absolute: number;
  /** (post - pre) / pre; null when the pre mean is 0, with the reason in `relativeNote`. */
  relative: number | null;
  relativeNote: string | null;
}

export interface Comparison {
  group: string;
  metric: MetricName;
  pre: WindowSummary;
  post: WindowSummary;
  change: MeanChange;
  tests: TestOutcome[];
}

export const TEST_VARIANTS: Record<TestName, string> = {
  welch_t: "two-sided Welch t-test (unequal variances) on daily values, post minus pre",
  mann_whitney_u: "two-sided Mann–Whitney U on daily values: normal approximation, tie-corrected variance, continuity correction; U counts post > pre pairs",
};

export function compareWindows(
  series: DailySeries,
  group: GroupSeries,
  metric: MetricName,
  windows: { pre: DayRange; post: DayRange },
  methods: readonly TestName[],
): Comparison {
  const values = metric === "daily_loss" ? group.loss : group.incidents;
  const pre = windowSlice(values, series.start, windows.pre);
  const post = windowSlice(values, series.start, windows.post);
  const summarize = (window: DayRange, daily: Float64Array): WindowSummary => {
    const incidents = windowSlice(group.incidents, series.start, window);
    return {
      start: formatDay(window.start),
      end: formatDay(window.end),
      days: daily.length,
      incidents: sum(incidents),
      unknownAmountIncidents: sum(windowSlice(group.unknownAmounts, series.start, window)),
      daysWithIncidents: incidents.reduce((count, value) => count + (value > 0 ? 1 : 0), 0),
      mean: mean(daily),
      median: median(daily),
      total: sum(daily),
      sd: daily.length < 2 ? null : Math.sqrt(sampleVariance(daily)),
    };
  };
  const preSummary = summarize(windows.pre, pre);
  const postSummary = summarize(windows.post, post);
  return {
    group: group.group,
    metric,
    pre: preSummary,
    post: postSummary,
    change: meanChange(preSummary.mean, postSummary.mean),
    tests: methods.map((method) => runTest(method, post, pre)),
  };
}

export function meanChange(preMean: number, postMean: number): MeanChange {
  const absolute = postMean - preMean;
  if (preMean === 0) return { absolute, relative: null, relativeNote: messages.relativeChangeUndefined() };
  return { absolute, relative: absolute / preMean, relativeNote: null };
}

function runTest(method: TestName, post: Float64Array, pre: Float64Array): TestOutcome {
  const variant = TEST_VARIANTS[method];
  try {
    if (method === "welch_t") {
      const result = welchTTest(post, pre);
      return { method, statistic: result.statistic, df: result.df, pValue: result.pValue, variant, note: result.note };
    }
    const result = mannWhitneyU(post, pre);
    return { method, statistic: result.statistic, df: null, pValue: result.pValue, variant, note: null };
  } catch (error) {
    // Too few days for this test: record why instead of failing the whole study.
    if (error instanceof EventStudyError) return { method, statistic: null, df: null, pValue: null, variant, note: `not computed: ${error.message}` };
    throw error;
  }
}
