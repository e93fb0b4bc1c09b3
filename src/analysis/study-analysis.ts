/**
 * Everything the study concludes from its daily series, in order: the pre/post
 * comparison of every group and metric, the difference-in-differences, the robustness
 * checks (placebo dates, window lengths, single incidents), the multiple-testing
 * adjustment across the study, and last the verdicts, which read only the numbers
 * computed before them.
 */
import type { MetricName } from "../spec/input-spec.js";
import type { NormalizedSpec } from "../spec/normalized-spec.js";
import { adjustPValues } from "../stats/multiple-testing.js";
import { formatUsd } from "../text/format.js";
import { TEST_LABEL } from "../text/labels.js";
import type { DayNumber, DayRange } from "../util/days.js";
import { StageClock } from "../util/stage-clock.js";
import { compareWindows, seriesValues, settingsFor, type Comparison, type ComparisonSettings } from "./compare-windows.js";
import { windowSlice, type DailySeries } from "./daily-series.js";
import { differenceInDifferences, differenceSeries, type DidResult } from "./difference-in-differences.js";
import { influenceOfIncidents, markVerdictChanges, type InfluenceEntry, type InfluentialIncident } from "./influence.js";
import { placeboFor, type PlaceboSummary } from "./placebo.js";
import { allZero } from "./test-runner.js";
import { buildVerdict, type Verdict, type VerdictInput } from "./verdict.js";
import { windowSensitivity, type SensitivityPoint } from "./window-sensitivity.js";

export interface Robustness {
  placebo: PlaceboSummary | null;
  sensitivity: SensitivityPoint[];
  influence: InfluenceEntry[];
}

export type GroupAnalysis = Comparison & Robustness & { verdict: Verdict | null };
export type DidAnalysis = DidResult & Robustness & { verdict: Verdict | null };

export interface StudyAnalysis {
  comparisons: GroupAnalysis[];
  did: DidAnalysis[];
  /** How many p-values the adjustment covered. */
  family: number;
}

export function analyzeStudy(
  spec: NormalizedSpec,
  series: DailySeries,
  windows: { pre: DayRange; post: DayRange },
  incidents: readonly InfluentialIncident[],
  clock: StageClock = new StageClock(),
): StudyAnalysis {
  const settings = settingsFor(spec, windows);
  const pairs = series.groups.flatMap((group) => spec.metrics.map((metric) => ({ group, metric, comparison: compareWindows(series, group, metric, windows, settings) })));
  clock.lap("statistics: comparisons (tests and intervals)");
  const design = spec.did;
  const didResults = design === null ? [] : spec.metrics.map((metric) => ({ metric, result: differenceInDifferences(series, metric, design, windows, settings) }));
  clock.lap("statistics: difference-in-differences");
  const comparisons: GroupAnalysis[] = pairs.map(({ group, metric, comparison }) => {
    const members = group.group === spec.totalGroup ? incidents : incidents.filter((incident) => incident.group === group.group);
    const robustness = robustnessOf(spec, series, seriesValues(group, metric), windows, metric, settings, `${group.group}|${metric}`, comparison, members, () => 1);
    return { ...comparison, ...robustness, verdict: null };
  });
  const did: DidAnalysis[] = didResults.map(({ metric, result }) => {
    const values = differenceSeries(series, metric, result.treated, result.controls);
    const members = incidents.filter((incident) => incident.group === result.treated || (incident.group !== null && result.controls.includes(incident.group)));
    const robustness = robustnessOf(spec, series, values, windows, metric, settings, `did|${metric}`, { change: { absolute: result.estimate } }, members, (incident) =>
      incident.group === result.treated ? 1 : -1,
    );
    return { ...result, ...robustness, verdict: null };
  });
  clock.lap("statistics: placebo dates, window sensitivity, influence");
  const family = adjustAcrossStudy(spec, comparisons, did);
  for (const comparison of comparisons) comparison.verdict = groupVerdict(spec, comparison, family);
  for (const item of did) item.verdict = didVerdict(spec, item, family, comparisons);
  clock.lap("statistics: adjustment and verdicts");
  return { comparisons, did, family };
}

function robustnessOf(
  spec: NormalizedSpec,
  series: DailySeries,
  values: Float64Array,
  windows: { pre: DayRange; post: DayRange },
  metric: MetricName,
  settings: ComparisonSettings,
  label: string,
  baseline: { change: { absolute: number } },
  incidents: readonly InfluentialIncident[],
  signOf: (incident: InfluentialIncident) => number,
): Robustness {
  const isDid = label.startsWith("did|");
  const primary = spec.tests.primary[metric];
  const seriesMetric = isDid ? "difference" : metric;
  // Nothing to compare in the windows (runTest, nothingToCompare): the real change is 0 by
  // construction, and a placebo p-value near 1 would count in the family as if tested.
  const placebo = spec.robustness.placebo && !zeroInWindows(values, series.start, windows) ? placeboFor(values, series.start, spec.event.day, windows) : null;
  const sensitivity = windowSensitivity(values, series.start, series.end, spec.event.day, spec.gap, spec.robustness.sensitivityDays, seriesMetric, primary, settings, label);
  const largest = [...incidents].sort((a, b) => b.amount - a.amount || a.row - b.row).slice(0, spec.robustness.influenceTopK);
  const influence = influenceOfIncidents(values, series.start, windows, largest, {
    metric: seriesMetric,
    primary,
    settings,
    label,
    baseline: { difference: baseline.change.absolute },
    signOf,
    sizeOf: (incident) => (metric === "daily_loss" ? incident.amount : 1),
  });
  return { placebo, sensitivity, influence };
}

/**
 * The family is every test p-value and every placebo p-value the study reports for its
 * headline comparisons and difference-in-differences. Sensitivity and influence p-values
 * are re-analyses of the same comparison under other choices, shown as diagnostics, and
 * are not in the family.
 */
function adjustAcrossStudy(spec: NormalizedSpec, comparisons: GroupAnalysis[], did: DidAnalysis[]): number {
  const slots: Array<{ get: () => number | null; set: (value: number | null) => void; primaryOf?: GroupAnalysis | DidAnalysis }> = [];
  for (const item of [...comparisons, ...did]) {
    for (const test of item.tests) {
      const primaryOf = test.method === spec.tests.primary[item.metric] ? item : undefined;
      slots.push({ get: () => test.pValue, set: (value) => (test.adjustedPValue = value), ...(primaryOf === undefined ? {} : { primaryOf }) });
    }
    const placebo = item.placebo;
    if (placebo !== null) slots.push({ get: () => placebo.pValue, set: (value) => (placebo.adjustedPValue = value) });
  }
  const raw = slots.map((slot) => slot.get());
  const adjust = (values: ReadonlyArray<number | null>): Array<number | null> => (spec.tests.multipleTesting === "none" ? [...values] : adjustPValues(values, spec.tests.multipleTesting));
  const adjusted = adjust(raw);
  slots.forEach((slot, index) => slot.set(adjusted[index] ?? null));
  // An influence p-value is adjusted as if it stood in its comparison's place, the rest of
  // the family unchanged: the verdict's significance is decided after adjustment, so is its change.
  const marked = new Set<GroupAnalysis | DidAnalysis>();
  slots.forEach((slot, index) => {
    const item = slot.primaryOf;
    if (item === undefined) return;
    marked.add(item);
    const adjustedIf = (pValue: number | null): number | null => adjust(raw.map((value, other) => (other === index ? pValue : value)))[index] ?? null;
    markVerdictChanges(item.influence, adjusted[index] ?? null, spec.tests.alpha, adjustedIf);
  });
  // Without a primary test there is no significance to flip: only the direction counts.
  for (const item of [...comparisons, ...did]) if (!marked.has(item)) markVerdictChanges(item.influence, null, spec.tests.alpha, () => null);
  return raw.filter((value) => value !== null).length;
}

function formatterFor(metric: MetricName): (value: number) => string {
  return metric === "daily_loss" ? formatUsd : (value) => `${value.toFixed(3)} incidents`;
}

function groupVerdict(spec: NormalizedSpec, item: GroupAnalysis, family: number): Verdict {
  return verdictFor(spec, item, family, {
    subject: item.group,
    isDifferenceInDifferences: false,
    preMean: item.pre.mean,
    postMean: item.post.mean,
    difference: item.change.absolute,
    relativeChange: item.change.relative,
    // A loss counted as $0 in the post window lowers the change; in the pre window, raises it.
    unknownAmounts: item.metric === "daily_loss" ? { lowering: item.post.unknownAmountIncidents, raising: item.pre.unknownAmountIncidents } : null,
  });
}

function didVerdict(spec: NormalizedSpec, item: DidAnalysis, family: number, comparisons: readonly GroupAnalysis[]): Verdict {
  const windowOf = (group: string) => comparisons.find((comparison) => comparison.group === group && comparison.metric === item.metric);
  const unknown = (groups: readonly string[], window: "pre" | "post"): number => groups.reduce((total, group) => total + (windowOf(group)?.[window].unknownAmountIncidents ?? 0), 0);
  return verdictFor(spec, item, family, {
    subject: `${item.treated} relative to ${item.controls.join(" + ")}`,
    isDifferenceInDifferences: true,
    preMean: item.treatedSide.preMean - item.controlSide.preMean,
    postMean: item.treatedSide.postMean - item.controlSide.postMean,
    difference: item.estimate,
    relativeChange: null,
    // The treated group's missing post losses and the controls' missing pre losses pull the DiD down; the reverse, up.
    unknownAmounts:
      item.metric === "daily_loss"
        ? { lowering: unknown([item.treated], "post") + unknown(item.controls, "pre"), raising: unknown([item.treated], "pre") + unknown(item.controls, "post") }
        : null,
  });
}

/** The verdict inputs every analysis shares: primary test, interval, robustness checks. */
function verdictFor(
  spec: NormalizedSpec,
  item: GroupAnalysis | DidAnalysis,
  family: number,
  change: Pick<VerdictInput, "subject" | "isDifferenceInDifferences" | "preMean" | "postMean" | "difference" | "relativeChange" | "unknownAmounts">,
): Verdict {
  const primary = item.tests.find((test) => test.method === spec.tests.primary[item.metric]);
  return buildVerdict(
    {
      ...change,
      metric: item.metric,
      primary: { label: TEST_LABEL[spec.tests.primary[item.metric]], pValue: primary?.pValue ?? null, adjustedPValue: primary?.adjustedPValue ?? null, note: primary?.note ?? null },
      adjustment: { method: spec.tests.multipleTesting, family },
      interval: intervalOf(item.interval.difference, item.interval.confidence),
      alpha: spec.tests.alpha,
      placebo: item.placebo === null ? null : { pValue: item.placebo.pValue, eligible: item.placebo.eligibleDates, atLeastAsExtreme: item.placebo.atLeastAsExtreme },
      sensitivity: item.sensitivity,
      influence: item.influence.map((entry) => ({ ...entry, name: entry.name ?? `row ${entry.row}` })),
    },
    formatterFor(item.metric),
  );
}

function intervalOf(pair: { low: number | null; high: number | null; kind: "bca" | "percentile" | null }, confidence: number): { low: number; high: number; confidence: number; label: string } | null {
  if (pair.low === null || pair.high === null || pair.kind === null) return null;
  return { low: pair.low, high: pair.high, confidence, label: `block-bootstrap ${pair.kind === "bca" ? "BCa" : "percentile"} interval` };
}

/** Whether every day of both windows is 0 (as runTest finds before it declines to test). */
function zeroInWindows(values: Float64Array, seriesStart: DayNumber, windows: { pre: DayRange; post: DayRange }): boolean {
  return allZero(windowSlice(values, seriesStart, windows.pre)) && allZero(windowSlice(values, seriesStart, windows.post));
}
