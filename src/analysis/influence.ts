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
  /** True when leaving it out flips the direction of the change or which side of alpha p is on. */
  changesVerdict: boolean;
}

export interface InfluenceContext {
  metric: MetricName | "difference";
  primary: TestName;
  settings: ComparisonSettings;
  alpha: number;
  label: string;
  /** The change and primary p-value with every incident in. */
  baseline: { difference: number; pValue: number | null };
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
  const baselineSignificant = context.baseline.pValue !== null && context.baseline.pValue < context.alpha;
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
    const significant = test.pValue !== null && test.pValue < context.alpha;
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
        changesVerdict: Math.sign(difference) !== Math.sign(context.baseline.difference) || significant !== baselineSignificant,
      },
    ];
  });
}

function mean(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}
