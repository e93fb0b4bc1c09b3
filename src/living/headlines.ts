/**
 * The headline numbers of one cell: per group and metric (and per difference in
 * differences) the pre and post means, the change, the primary test's p-values and the
 * evidence level. They are what history.jsonl keeps for every run, what "what moved"
 * compares, and what the variants table shows side by side.
 */
import type { MetricName } from "../spec/input-spec.js";
import type { ResultsJson } from "../report/results-json.js";
import { didLabel } from "../text/labels.js";

export interface Headline {
  /** `DPRK`, or for a difference in differences its label, `DPRK − Other (DiD)` (text/labels.ts). */
  subject: string;
  /** For a difference in differences: its groups, which also name it as history written before v0.1's label did (`legacyDidSubject`). */
  did?: { treated: string; controls: string[] };
  metric: MetricName;
  kind: "group" | "did";
  preMean: number;
  postMean: number;
  /** Post minus pre, per day (for a DiD: the difference of the two changes). */
  change: number;
  /** (post - pre) / pre; null when the pre mean is 0, and for a DiD (see its ratioOfRatios in results.json). */
  relative: number | null;
  /** The confidence interval of `change`, when there is one. */
  interval: { low: number; high: number } | null;
  primaryMethod: string;
  pValue: number | null;
  adjustedPValue: number | null;
  level: string | null;
  preIncidents: number | null;
  postIncidents: number | null;
}

export function headlinesOf(results: ResultsJson): Headline[] {
  const primaryTest = (tests: ResultsJson["results"][number]["tests"], metric: MetricName) => tests.find((test) => test.method === results.primary[metric]);
  const interval = (value: { low: number | null; high: number | null }) => (value.low === null || value.high === null ? null : { low: value.low, high: value.high });
  return [
    ...results.results.map((item): Headline => {
      const primary = primaryTest(item.tests, item.metric);
      return {
        subject: item.group,
        metric: item.metric,
        kind: "group",
        preMean: item.pre.mean,
        postMean: item.post.mean,
        change: item.change.absolute,
        relative: item.change.relative,
        interval: interval(item.interval.difference),
        primaryMethod: results.primary[item.metric] ?? "",
        pValue: primary?.pValue ?? null,
        adjustedPValue: primary?.adjustedPValue ?? null,
        level: item.verdict?.level ?? null,
        preIncidents: item.pre.incidents,
        postIncidents: item.post.incidents,
      };
    }),
    ...results.differenceInDifferences.map((item): Headline => {
      const primary = primaryTest(item.tests, item.metric);
      return {
        subject: didLabel(item.treated, item.controls),
        did: { treated: item.treated, controls: [...item.controls] },
        metric: item.metric,
        kind: "did",
        preMean: item.treatedSide.preMean - item.controlSide.preMean,
        postMean: item.treatedSide.postMean - item.controlSide.postMean,
        change: item.estimate,
        // The ratio of ratios is not (post - pre) / pre of this row's means: leave it to results.json.
        relative: null,
        interval: interval(item.interval.difference),
        primaryMethod: results.primary[item.metric] ?? "",
        pValue: primary?.pValue ?? null,
        adjustedPValue: primary?.adjustedPValue ?? null,
        level: item.verdict?.level ?? null,
        preIncidents: null,
        postIncidents: null,
      };
    }),
  ];
}

/** The key that matches a headline across runs and cells. */
export function headlineKey(headline: Pick<Headline, "subject" | "metric">): string {
  return `${headline.subject}\u0000${headline.metric}`;
}

/**
 * The key a difference in differences had in history lines written before it was named by
 * its label ("DPRK vs Other (DiD)", controls joined by "+"), so that the first run after the
 * rename compares it with its earlier numbers instead of calling it added and removed.
 */
export function legacyHeadlineKey(headline: Pick<Headline, "subject" | "metric" | "did">): string | null {
  return headline.did === undefined ? null : headlineKey({ subject: `${headline.did.treated} vs ${headline.did.controls.join("+")} (DiD)`, metric: headline.metric });
}
