/**
 * Difference-in-differences: the treated group's change in mean minus the control
 * groups' change, (T_post − T_pre) − (C_post − C_pre), where C sums the controls' daily
 * values. It is exactly the pre/post change of the daily series d_t = T_t − C_t, so every
 * two-window method (block bootstrap interval, block permutation, HAC segmented
 * regression) applies to d unchanged, and so does the placebo in time. The claim "DPRK's
 * losses halved while other groups' rose" is this comparison.
 *
 * Assumption (parallel trends): without the event, T and C would have changed by the
 * same amount. Nothing in the data can confirm it; the placebo dates show how far apart
 * the two usually drift.
 */
import type { MetricName } from "../spec/input-spec.js";
import { mean } from "../stats/descriptive.js";
import { inferChange, meanChange, seriesValues, type ComparisonSettings, type MeanChange } from "./compare-windows.js";
import { windowSlice, type DailySeries } from "./daily-series.js";
import type { ChangeInterval } from "./change-interval.js";
import type { TestOutcome } from "./test-runner.js";
import type { DayRange } from "../util/days.js";

export interface DidSide {
  preMean: number;
  postMean: number;
  change: MeanChange;
}

export interface DidResult {
  metric: MetricName;
  treated: string;
  controls: string[];
  treatedSide: DidSide;
  controlSide: DidSide;
  /** (T_post − T_pre) − (C_post − C_pre), per day. */
  estimate: number;
  /** (T_post / T_pre) / (C_post / C_pre): the relative version; null where a pre mean is 0. */
  ratioOfRatios: number | null;
  interval: ChangeInterval;
  tests: TestOutcome[];
}

/** d_t = treated_t − sum of controls_t over the whole series. */
export function differenceSeries(series: DailySeries, metric: MetricName, treated: string, controls: readonly string[]): Float64Array {
  const find = (name: string): Float64Array => {
    const group = series.groups.find((candidate) => candidate.group === name);
    if (group === undefined) throw new Error(`difference-in-differences: no series for group ${name}`);
    return seriesValues(group, metric);
  };
  const difference = Float64Array.from(find(treated));
  for (const control of controls) {
    const values = find(control);
    for (let index = 0; index < difference.length; index += 1) difference[index] = (difference[index] as number) - (values[index] as number);
  }
  return difference;
}

export function differenceInDifferences(
  series: DailySeries,
  metric: MetricName,
  did: { treated: string; controls: string[] },
  windows: { pre: DayRange; post: DayRange },
  settings: ComparisonSettings,
): DidResult {
  const side = (names: readonly string[]): DidSide => {
    const total = (window: DayRange): number =>
      names.reduce((sum, name) => {
        const group = series.groups.find((candidate) => candidate.group === name);
        return group === undefined ? sum : sum + mean(windowSlice(seriesValues(group, metric), series.start, window));
      }, 0);
    const preMean = total(windows.pre);
    const postMean = total(windows.post);
    return { preMean, postMean, change: meanChange(preMean, postMean) };
  };
  const treatedSide = side([did.treated]);
  const controlSide = side(did.controls);
  const d = differenceSeries(series, metric, did.treated, did.controls);
  const inference = inferChange(`did|${did.treated}|${did.controls.join("+")}|${metric}`, "difference", windowSlice(d, series.start, windows.post), windowSlice(d, series.start, windows.pre), settings);
  const ratio = (value: DidSide): number | null => (value.preMean > 0 ? value.postMean / value.preMean : null);
  const treatedRatio = ratio(treatedSide);
  const controlRatio = ratio(controlSide);
  return {
    metric,
    treated: did.treated,
    controls: did.controls,
    treatedSide,
    controlSide,
    estimate: treatedSide.change.absolute - controlSide.change.absolute,
    ratioOfRatios: treatedRatio === null || controlRatio === null || controlRatio === 0 ? null : treatedRatio / controlRatio,
    ...inference,
  };
}
