/**
 * The pre/post comparison for one group and one metric: what each window holds, the
 * change in the daily mean with its bootstrap intervals, and the tests the spec asked for.
 */
import { messages } from "../messages.js";
import type { MetricName, TestName } from "../spec/input-spec.js";
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import { mean, median, sampleVariance, sum } from "../stats/descriptive.js";
import { stationaryBootstrapMeans } from "../stats/block-bootstrap.js";
import type { Rng } from "../stats/random.js";
import { formatDay, type DayRange } from "../util/days.js";
import { changeInterval, type ChangeInterval, type IntervalSettings } from "./change-interval.js";
import { labelledRng } from "./labelled-rng.js";
import { appliesTo, blockLengthFor, runTest, type TestOutcome, type TestSettings } from "./test-runner.js";
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
  /** Percentile interval for the window's mean from the same block bootstrap; null with fewer than 2 days. */
  meanInterval: [number, number] | null;
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
  /** Bootstrap confidence intervals for the difference and the relative change. */
  interval: ChangeInterval;
  tests: TestOutcome[];
}

/** Everything a comparison needs besides the data, derived once per study from the spec. */
export interface ComparisonSettings {
  methods: readonly TestName[];
  tests: TestSettings;
  interval: Omit<IntervalSettings, "blockLength">;
  seed: number;
}

export function settingsFor(spec: NormalizedSpec, windows: { pre: DayRange; post: DayRange }): ComparisonSettings {
  return {
    methods: spec.tests.methods,
    tests: {
      permutations: spec.tests.permutations,
      blockLength: spec.tests.bootstrap.blockLength,
      hacMaxLags: spec.tests.hacMaxLags,
      confidence: spec.tests.bootstrap.confidence,
      gapDays: windows.post.start - windows.pre.end - 1,
    },
    interval: { resamples: spec.tests.bootstrap.resamples, confidence: spec.tests.bootstrap.confidence, interval: spec.tests.bootstrap.interval },
    seed: spec.tests.seed,
  };
}

export function seriesValues(group: GroupSeries, metric: MetricName): Float64Array {
  return metric === "daily_loss" ? group.loss : group.incidents;
}

export function compareWindows(
  series: DailySeries,
  group: GroupSeries,
  metric: MetricName,
  windows: { pre: DayRange; post: DayRange },
  settings: ComparisonSettings,
): Comparison {
  const values = seriesValues(group, metric);
  const pre = windowSlice(values, series.start, windows.pre);
  const post = windowSlice(values, series.start, windows.post);
  const blockLength = blockLengthFor(settings.tests, pre, post);
  const summarize = (window: DayRange, daily: Float64Array, which: string): WindowSummary => {
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
      meanInterval:
        daily.length < 2
          ? null
          : meanInterval(daily, blockLength, settings.interval.resamples, settings.interval.confidence, labelledRng(settings.seed, `${group.group}|${metric}|${which}|mean`)),
    };
  };
  const preSummary = summarize(windows.pre, pre, "pre");
  const postSummary = summarize(windows.post, post, "post");
  return {
    group: group.group,
    metric,
    pre: preSummary,
    post: postSummary,
    change: meanChange(preSummary.mean, postSummary.mean),
    ...inferChange(`${group.group}|${metric}`, metric, post, pre, settings),
  };
}

/** The bootstrap intervals and every applicable test for one pre/post pair; `label` seeds their random streams. */
export function inferChange(
  label: string,
  metric: MetricName | "difference",
  post: Float64Array,
  pre: Float64Array,
  settings: ComparisonSettings,
  options: { relative: boolean } = { relative: metric !== "difference" },
): { interval: ChangeInterval; tests: TestOutcome[] } {
  const blockLength = blockLengthFor(settings.tests, pre, post);
  const interval = changeInterval(
    post,
    pre,
    { ...settings.interval, blockLength },
    (statistic) => labelledRng(settings.seed, `${label}|bootstrap|${statistic}`),
    options.relative,
  );
  const tests = settings.methods
    .filter((method) => appliesTo(method, metric))
    .map((method) => runTest(method, metric, post, pre, settings.tests, labelledRng(settings.seed, `${label}|${method}`)));
  return { interval, tests };
}

/** Percentile interval of one window's mean by the stationary block bootstrap. */
function meanInterval(values: Float64Array, blockLength: number, resamples: number, confidence: number, rng: Rng): [number, number] {
  const means = stationaryBootstrapMeans(values, Math.min(blockLength, values.length), resamples, rng).sort();
  const tail = (1 - confidence) / 2;
  const at = (q: number): number => {
    const position = q * (means.length - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, means.length - 1);
    return (means[low] as number) + (position - low) * ((means[high] as number) - (means[low] as number));
  };
  return [at(tail), at(1 - tail)];
}

export function meanChange(preMean: number, postMean: number): MeanChange {
  const absolute = postMean - preMean;
  if (preMean === 0) return { absolute, relative: null, relativeNote: messages.relativeChangeUndefined() };
  return { absolute, relative: absolute / preMean, relativeNote: null };
}

export type { TestOutcome } from "./test-runner.js";
