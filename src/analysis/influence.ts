/**
 * Influence of single incidents: the change and the primary test recomputed with each of
 * the k largest incidents in the windows left out, one at a time. A mean over mostly-zero
 * days can rest on one hack; this names the incidents whose removal flips the direction of
 * the change or its significance.
 */
import type { MetricName, TestName } from "../spec/input-spec.js";
import { formatDay, type DayNumber, type DayRange } from "../util/days.js";
import type { ComparisonSettings } from "./compare-windows.js";
import { windowSlice } from "./daily-series.js";
import { labelledRng } from "./labelled-rng.js";
import { runTest } from "./test-runner.js";

export interface InfluentialIncident {
  row: number;
  name: string | null;
  date: string;
  day: DayNumber;
  amount: number;
  group: string | null;
}

export interface InfluenceEntry {
  row: number;
  name: string | null;
  date: string;
  amount: number;
  group: string | null;
  window: "pre" | "post";
  /** The change in means without this incident. */
  difference: number;
  relativeChange: number | null;
  /** The primary test's p-value without this incident. */
  pValue: number | null;
  /**
   * That p-value adjusted as the study's own is, with it in the comparison's place in the
   * family (null until `markVerdictChanges`, which runs once the family is adjusted).
   */
  adjustedPValue: number | null;
  /** Leaving it out reverses the change, or brings it to zero (false when the change is zero already). */
  flipsDirection: boolean;
  /**
   * True when leaving it out flips the direction of the change or which side of alpha the
   * adjusted p-value falls: the verdict's significance is decided after adjustment, so this
   * is too (set by `markVerdictChanges`).
   */
  changesVerdict: boolean;
}

export interface InfluenceContext {
  metric: MetricName | "difference";
  primary: TestName;
  settings: ComparisonSettings;
  label: string;
  /** The change with every incident in. */
  baseline: { difference: number };
  /** +1 when an incident adds to the series, −1 when it subtracts (a control in a DiD). */
  signOf: (incident: InfluentialIncident) => number;
  /** How much one incident contributes to its day: its amount for losses, 1 for counts. */
  sizeOf: (incident: InfluentialIncident) => number;
}

export function influenceOfIncidents(
  values: Float64Array,
  seriesStart: DayNumber,
  windows: { pre: DayRange; post: DayRange },
  incidents: readonly InfluentialIncident[],
  context: InfluenceContext,
): InfluenceEntry[] {
  const pre = windowSlice(values, seriesStart, windows.pre);
  const post = windowSlice(values, seriesStart, windows.post);
  return incidents.flatMap((incident) => {
    const window = incident.day >= windows.pre.start && incident.day <= windows.pre.end ? "pre" : incident.day >= windows.post.start && incident.day <= windows.post.end ? "post" : null;
    if (window === null) return [];
    const without = { pre: Float64Array.from(pre), post: Float64Array.from(post) };
    const target = without[window];
    const index = incident.day - windows[window].start;
    target[index] = (target[index] as number) - context.signOf(incident) * context.sizeOf(incident);
    const preMean = mean(without.pre);
    const postMean = mean(without.post);
    const difference = postMean - preMean;
    // The random stream is named by the incident's content, not its row number: the same
    // data from a file or from ClickHouse (where rows have no order) gives the same p-value.
    const test = runTest(context.primary, context.metric, without.post, without.pre, context.settings.tests, labelledRng(context.settings.seed, `${context.label}|influence|${incident.date}|${incident.name}|${incident.amount}`));
    return [
      {
        row: incident.row,
        name: incident.name,
        date: formatDay(incident.day),
        amount: incident.amount,
        group: incident.group,
        window,
        difference,
        relativeChange: context.metric === "difference" || preMean <= 0 ? null : difference / preMean,
        pValue: test.pValue,
        adjustedPValue: null,
        flipsDirection: context.baseline.difference !== 0 && Math.sign(difference) !== Math.sign(context.baseline.difference),
        changesVerdict: false,
      },
    ];
  });
}

/**
 * Once the study's family of p-values is adjusted: each entry's p-value adjusted as if it
 * stood in its comparison's place (`adjustedIf`), and whether leaving the incident out
 * changes the verdict. Comparing raw p-values with alpha here, while the verdict compares
 * adjusted ones, called a result "strong" that one incident's removal made not significant.
 */
export function markVerdictChanges(entries: InfluenceEntry[], baselineAdjustedPValue: number | null, alpha: number, adjustedIf: (pValue: number | null) => number | null): void {
  const baselineSignificant = baselineAdjustedPValue !== null && baselineAdjustedPValue < alpha;
  for (const entry of entries) {
    entry.adjustedPValue = adjustedIf(entry.pValue);
    const significant = entry.adjustedPValue !== null && entry.adjustedPValue < alpha;
    entry.changesVerdict = entry.flipsDirection || significant !== baselineSignificant;
  }
}

function mean(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}
