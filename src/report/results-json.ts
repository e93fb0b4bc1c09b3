/**
 * The machine-readable result of a study (`results.json`), documented field by field in
 * docs/results.md. Plain data only: dates as YYYY-MM-DD, missing values as null.
 */
import type { Comparison } from "../analysis/compare-windows.js";
import type { PlaceboSummary } from "../analysis/placebo.js";
import type { DidAnalysis, GroupAnalysis, Robustness } from "../analysis/study-analysis.js";
import type { TestOutcome } from "../analysis/test-runner.js";
import type { Verdict } from "../analysis/verdict.js";
import type { RankedIncident } from "../data/incident-queries.js";
import type { Provenance, StudyRun } from "../pipeline.js";
import { formatDay, type DayRange } from "../util/days.js";
import type { HistoryCell } from "../living/history.js";

/** One event x variant of a spec with several, as the main report's table across them lists it. */
export interface CellOverview extends HistoryCell {
  /** The cell's report, relative to the study's folder. */
  path: string;
}

export const RESULTS_SCHEMA_VERSION = 1;

export interface ResultsJson {
  schemaVersion: number;
  study: { name: string; title: string; reportTitle: string; description: string; specFile: string };
  event: { date: string; label: string };
  coverage: { start: string; end: string; startInferred: boolean; endInferred: boolean };
  windows: {
    pre: { start: string; end: string; days: number };
    post: { start: string; end: string; days: number };
    requested: { pre: { start: string; end: string }; post: { start: string; end: string } };
    gap: { before: number; after: number };
  };
  groups: Array<{ name: string; rule: string }>;
  /** The data rules in words: filters, and what an unknown amount or a duplicate means. */
  dataRules: { filters: string[]; missingAmount: "unknown" | "drop"; zeroAmountIsUnknown: boolean; duplicates: "drop" | "keep" | "unchecked"; timezone: string };
  total: string | null;
  alpha: number;
  /** Which test each metric's verdict rests on. */
  primary: Record<string, string>;
  multipleTesting: { method: "holm" | "bh" | "none"; family: number };
  /** What the resampling used: the seed reproduces every number. */
  settings: { seed: number; permutations: number; bootstrapResamples: number; robustness: { placebo: boolean; sensitivityDays: number[]; influenceTopK: number } };
  results: Array<Omit<Comparison, "tests"> & RobustnessJson & { tests: TestJson[]; verdict: Verdict | null }>;
  differenceInDifferences: Array<Omit<DidAnalysis, "tests" | keyof Robustness | "verdict"> & RobustnessJson & { tests: TestJson[]; verdict: Verdict | null }>;
  largestIncidents: Record<"pre" | "post", Array<{ group: string | null; row: number; date: string; name: string | null; amount: number | null; url: string | null }>>;
  warnings: Array<{ code: string; message: string }>;
  provenance: Provenance;
  /** Which event x variant this report is (`main` for a one-question spec). */
  cell: { id: string; event: string; variant: string | null };
  /** In the main report of a spec with several events or variants: every cell's headline numbers. */
  cells?: CellOverview[];
}

export type TestJson = TestOutcome & { significant: boolean | null; significantAdjusted: boolean | null };

export interface RobustnessJson {
  /** The placebo check without its list of effects (the report's histogram has them). */
  placebo: Omit<PlaceboSummary, "effects"> | null;
  sensitivity: Robustness["sensitivity"];
  influence: Robustness["influence"];
}

export function buildResultsJson(run: StudyRun): ResultsJson {
  const { spec } = run;
  const window = (range: DayRange): { start: string; end: string; days: number } => ({
    start: formatDay(range.start),
    end: formatDay(range.end),
    days: range.end - range.start + 1,
  });
  const incident = (item: RankedIncident): ResultsJson["largestIncidents"]["pre"][number] => ({
    group: item.group,
    row: item.row,
    date: formatDay(item.day),
    name: item.name,
    amount: item.amount,
    url: item.url,
  });
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    study: { name: spec.name, title: spec.title, reportTitle: spec.output.title, description: spec.description, specFile: spec.specFile },
    event: { date: formatDay(spec.event.day), label: spec.event.label },
    coverage: {
      start: formatDay(run.coverage.start),
      end: formatDay(run.coverage.end),
      startInferred: run.coverage.startInferred,
      endInferred: run.coverage.endInferred,
    },
    windows: {
      pre: window(run.windows.pre),
      post: window(run.windows.post),
      requested: {
        pre: { start: formatDay(run.windows.requested.pre.start), end: formatDay(run.windows.requested.pre.end) },
        post: { start: formatDay(run.windows.requested.post.start), end: formatDay(run.windows.requested.post.end) },
      },
      gap: spec.gap,
    },
    groups: spec.groups.map((group) => ({ name: group.name, rule: describeRule(group.rule) })),
    dataRules: {
      filters: [
        ...spec.data.include.map((condition) => `keep only rows where ${describeRule({ kind: "match", conditions: [condition] })}`),
        ...spec.data.exclude.map((condition) => `leave out rows where ${describeRule({ kind: "match", conditions: [condition] })}`),
        ...(spec.data.minAmount === null ? [] : [`leave out incidents with a known amount below ${spec.data.minAmount} USD`]),
      ],
      missingAmount: spec.data.missingAmount,
      zeroAmountIsUnknown: spec.data.zeroAmountIsUnknown,
      duplicates: spec.data.duplicates,
      timezone: spec.data.timezone,
    },
    total: spec.totalGroup,
    alpha: spec.tests.alpha,
    primary: { ...spec.tests.primary },
    multipleTesting: { method: spec.tests.multipleTesting, family: run.analysis.family },
    settings: { seed: spec.tests.seed, permutations: spec.tests.permutations, bootstrapResamples: spec.tests.bootstrap.resamples, robustness: { ...spec.robustness, sensitivityDays: [...spec.robustness.sensitivityDays] } },
    results: run.analysis.comparisons.map((item) => withJsonParts(item, spec.tests.alpha)),
    differenceInDifferences: run.analysis.did.map((item) => withJsonParts(item, spec.tests.alpha)),
    largestIncidents: { pre: run.largest.pre.overall.map(incident), post: run.largest.post.overall.map(incident) },
    warnings: run.warnings,
    provenance: run.provenance,
    cell: { id: spec.cell.id, event: spec.cell.event.label, variant: spec.cell.variant?.name ?? null },
  };
}

/** Tests with their significance flags, and the placebo without its long list of effects. */
function withJsonParts<T extends GroupAnalysis | DidAnalysis>(item: T, alpha: number): Omit<T, "tests" | "placebo"> & { tests: TestJson[]; placebo: RobustnessJson["placebo"] } {
  const { placebo, tests, ...rest } = item;
  const below = (value: number | null): boolean | null => (value === null ? null : value < alpha);
  return {
    ...rest,
    tests: tests.map((test) => ({ ...test, significant: below(test.pValue), significantAdjusted: below(test.adjustedPValue) })),
    placebo: placebo === null ? null : omitEffects(placebo),
  };
}

function omitEffects(placebo: PlaceboSummary): Omit<PlaceboSummary, "effects"> {
  const { effects: _effects, ...rest } = placebo;
  return rest;
}

/** A group rule in words: `attribution_status in [listed_by_tay, ...]`. */
export function describeRule(rule: StudyRun["spec"]["groups"][number]["rule"]): string {
  if (rule.kind === "otherwise") return "every row no earlier group claimed";
  return rule.conditions
    .map((condition) => `${condition.column} ${condition.values.length === 1 ? `= ${String(condition.values[0])}` : `in [${condition.values.map(String).join(", ")}]`}`)
    .join(" and ");
}
