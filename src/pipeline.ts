/**
 * One study, top to bottom: spec -> data -> coverage and windows -> daily series ->
 * comparisons -> everything the report needs. Returns every intermediate product, so
 * tests (and `--dump`) can look at any stage; writing files is the caller's job.
 */
import { readFileSync } from "node:fs";
import { DataError } from "./errors.js";
import { messages } from "./messages.js";
import { clipWindows, resolveCoverage, type StudyCoverage, type StudyWindows } from "./analysis/coverage.js";
import type { InfluentialIncident } from "./analysis/influence.js";
import { analyzeStudy, type GroupAnalysis, type StudyAnalysis } from "./analysis/study-analysis.js";
import { buildDailySeries, windowSlice, type DailySeries } from "./analysis/daily-series.js";
import { WarningList, type RunWarning } from "./analysis/warnings.js";
import { EXCLUSION_REASONS } from "./data/exclusions.js";
import type { RankedIncident, RowExample } from "./data/incident-queries.js";
import { openIncidentSource, type IncidentSource } from "./data/incident-source.js";
import type { RunContext } from "./run-context.js";
import { loadStudySpec } from "./spec/load-spec.js";
import { dataFingerprint, studyInputs } from "./living/inputs-hash.js";
import type { NormalizedSpec } from "./spec/normalized-spec.js";
import type { CellSnapshot } from "./living/window-incidents.js";
import { formatDay, type DayNumber, type DayRange } from "./util/days.js";
import { LIMITS } from "./spec/limits.js";
import { StageClock } from "./util/stage-clock.js";
import { sum } from "./stats/descriptive.js";
import { sha256Text } from "./util/hash.js";
import { rowName, type RowIds } from "./text/labels.js";

/** How many of the largest incidents per window the results list. */
export const TOP_INCIDENTS = 10;
/** How many incidents the timeline chart draws at most (the largest). */
export const TIMELINE_LIMIT = 2000;

export interface Provenance {
  specFile: string;
  specSha256: string;
  dataFile: string;
  dataSha256: string;
  rowsRead: number;
  rowsExcluded: number;
  rowsFilteredOut: number;
  rowsUsed: number;
  /** Used rows that no group claimed: they count only in the total. */
  rowsInNoGroup: number;
  /**
   * What an incident's `row` is: its data row in the file (1 = the first row after the
   * header), or for a ClickHouse table, which has no row order, a hash of its values.
   */
  rowIds: RowIds;
  /**
   * SHA-256 of everything the study's results depend on (spec files, data files, engine):
   * an unchanged study is skipped on rerun. Set by the caller that knows every cell.
   */
  inputsHash: string;
  /**
   * The spec file's path from the report folder (`../../analyses/x.yaml`), set by the run
   * that writes the report: it names the spec whatever folder a later run starts from,
   * without an absolute path of this machine in a report that may be published.
   */
  specFromReport?: string;
  engineVersion: string;
  runAt: string;
}

export interface WindowIncidents {
  byGroup: RankedIncident[];
  overall: RankedIncident[];
}

export interface StudyRun {
  spec: NormalizedSpec;
  coverage: StudyCoverage;
  windows: StudyWindows;
  series: DailySeries;
  analysis: StudyAnalysis;
  /** The group x metric analyses (same objects as analysis.comparisons). */
  comparisons: GroupAnalysis[];
  largest: { pre: WindowIncidents; post: WindowIncidents };
  /** The largest incidents from the first pre day to the last post day, for the timeline. */
  timeline: { incidents: RankedIncident[]; totalInSpan: number };
  /** Every incident in each window, for "what moved" at the next run. */
  snapshot: CellSnapshot;
  warnings: RunWarning[];
  provenance: Provenance;
  /** Wall time per stage in milliseconds, for the benchmark (not written to results.json). */
  timings: Array<{ stage: string; ms: number }>;
}

/** Runs the main cell of a spec file (the whole study for a one-question spec). */
export async function runStudy(specFile: string, context: RunContext): Promise<StudyRun> {
  const clock = new StageClock();
  // 1. Spec: parse, validate, normalize.
  const study = loadStudySpec(specFile, context.projectRoot);
  clock.lap("spec");
  const run = await runCell(study.cells[0] as NormalizedSpec, context, clock);
  run.provenance.inputsHash = (await studyInputs(study, context.engineVersion)).hash;
  return run;
}

/** One event x variant of a spec, top to bottom from the data on. */
export async function runCell(spec: NormalizedSpec, context: RunContext, clock = new StageClock()): Promise<StudyRun> {
  const warnings = new WarningList();
  // 2. Data: open the source (a file through DuckDB, or ClickHouse), check the columns the
  //    spec names, build the incident table.
  const source = await openIncidentSource(spec, () => clock.lap("load file"));
  try {
    const tallies = await reportRowQuality(source, spec, warnings);
    clock.lap("incident table and row checks");

    // 3. Coverage and windows.
    const extent = await source.dateExtent();
    if (extent === undefined || tallies.used === 0) {
      // Say why: the warnings about left-out rows are the explanation, so they go in the error.
      const hasFilters = spec.data.include.length + spec.data.exclude.length > 0 || spec.data.minAmount !== null;
      const reasons = warnings.items.filter((warning) => warning.code.startsWith("rows_")).map((warning) => warning.message);
      throw new DataError(messages.noUsableRows(spec.data.displayPath, source.rowsRead, reasons, hasFilters));
    }
    await checkInferredCoverageSpan(spec, source, extent);
    const coverage = resolveCoverage(spec, extent, warnings);
    const outside = await source.rowsOutside(coverage.start, coverage.end);
    if (outside.count > 0) warnings.add("rows_outside_coverage", messages.rowsOutsideCoverage(outside.count, coverage.start, coverage.end, outside.examples.map(describeRow)));
    const windows = clipWindows(spec, coverage, warnings);

    // 4. Daily series per group over all of coverage: the windows are slices of it, and
    //    the placebo dates and window lengths need the rest.
    const aggregates = await source.dailyAggregates(coverage.start, coverage.end);
    const series = buildDailySeries(aggregates, coverage, spec.groups.map((group) => group.name), spec.totalGroup);
    const groupCounts = await source.groupCounts();
    for (const group of spec.groups) {
      if (!groupCounts.has(group.name)) warnings.add("group_empty", messages.groupMatchesNothing(group.name));
    }
    warnGroupsWithNothingInWindows(spec, series, windows, groupCounts, warnings);
    clock.lap("daily aggregation");

    // 5. The largest incidents in each window, for the report and the influence checks.
    const topK = Math.max(TOP_INCIDENTS, spec.robustness.influenceTopK);
    const largest = {
      pre: await source.largestIncidents(windows.pre.start, windows.pre.end, topK),
      post: await source.largestIncidents(windows.post.start, windows.post.end, topK),
    };
    const span = { start: windows.pre.start, end: windows.post.end };
    const timeline = await source.incidentsInSpan(span.start, span.end, TIMELINE_LIMIT);
    const snapshot = { pre: await source.windowSnapshot(windows.pre.start, windows.pre.end), post: await source.windowSnapshot(windows.post.start, windows.post.end) };
    clock.lap("largest incidents");

    // 6. Comparisons, difference-in-differences, robustness, adjustment, verdicts.
    const analysis = analyzeStudy(spec, series, windows, influentialIncidents(largest), clock);

    const dataSha256 = await dataFingerprint(spec);
    // After the last read of the data and its hash: both describe the file the study began with.
    source.checkUnchanged();
    const provenance: Provenance = {
      specFile: spec.specFile,
      specSha256: sha256Text(readFileSync(spec.specFile, "utf8")),
      dataFile: spec.data.displayPath,
      dataSha256,
      rowsRead: source.rowsRead,
      rowsExcluded: tallies.excluded,
      rowsFilteredOut: tallies.filteredOut,
      rowsUsed: tallies.used,
      rowsInNoGroup: groupCounts.get(null) ?? 0,
      rowIds: spec.data.clickhouse === null ? "data row" : "content hash",
      inputsHash: "",
      engineVersion: context.engineVersion,
      runAt: context.now().toISOString(),
    };
    clock.lap("provenance (hashes)");
    return { spec, coverage, windows, series, analysis, comparisons: analysis.comparisons, largest, timeline, snapshot, warnings: warnings.items, provenance, timings: clock.laps };
  } finally {
    source.close();
  }
}

const MISSING_OR_ZERO_AMOUNT = 'the amount is empty or 0 (data.zero_amount_is_unknown is true) and data.missing_amount is "drop"';

/** Turns every row left out (and every unknown amount kept) into a warning with examples. */
async function reportRowQuality(source: IncidentSource, spec: NormalizedSpec, warnings: WarningList): Promise<{ excluded: number; filteredOut: number; used: number }> {
  const exclusions = await source.exclusionTallies();
  let excluded = 0;
  for (const [reason, description] of Object.entries(EXCLUSION_REASONS) as Array<[keyof typeof EXCLUSION_REASONS, string]>) {
    const tally = exclusions.get(reason);
    if (tally === undefined) continue;
    excluded += tally.count;
    // With zero_amount_is_unknown a 0 is an unknown amount too, and is dropped with the empty ones.
    const why = reason === "missing_amount" && spec.data.zeroAmountIsUnknown ? MISSING_OR_ZERO_AMOUNT : description;
    warnings.add(`rows_${reason}`, messages.rowsDropped(tally.count, why, tally.examples.map(describeRow)));
  }
  const used = await source.usedRowTallies();
  // A study of incident counts only has no losses for an unknown amount to understate.
  if (used.unknownAmount.count > 0 && spec.metrics.includes("daily_loss")) {
    warnings.add("unknown_amounts", messages.unknownAmounts(used.unknownAmount.count, used.unknownAmount.examples.map(describeRow), spec.data.zeroAmountIsUnknown));
  }
  if (used.keptDuplicates.count > 0) {
    warnings.add("duplicates_kept", messages.rowsKeptDuplicate(used.keptDuplicates.count, used.keptDuplicates.examples.map(describeRow)));
  }
  return { excluded, filteredOut: used.filteredOut, used: used.used };
}

/** Every incident among the largest of either window, as the influence check needs them. */
function influentialIncidents(largest: { pre: WindowIncidents; post: WindowIncidents }): InfluentialIncident[] {
  return [...largest.pre.byGroup, ...largest.post.byGroup, ...largest.pre.overall, ...largest.post.overall]
    .filter((item, index, all) => item.amount !== null && all.findIndex((other) => other.row === item.row) === index)
    .map((item) => ({ row: item.row, name: item.name, date: formatDay(item.day), day: item.day, amount: item.amount as number, group: item.group }));
}

/** "row 12", or for data read from several files the row within its file ("row 3 of data/b.csv"), which is where the user looks. */
function rowPlace(example: RowExample): string {
  return example.file !== undefined && example.fileRow !== undefined ? `row ${example.fileRow} of ${example.file}` : rowName(example.row, example.identifiedBy ?? "data row");
}

/**
 * A declared coverage is limited to 100 years (normalize.ts); an inferred one must be too:
 * one row dated 0001-01-01 made a 2,000-year daily series (12 s and 1.4 GB for 7 rows). The
 * farther end from the event is the likely typo, and its rows are named.
 */
async function checkInferredCoverageSpan(spec: NormalizedSpec, source: IncidentSource, extent: { first: DayNumber; last: DayNumber }): Promise<void> {
  if (spec.coverage.start !== null && spec.coverage.end !== null) return;
  const first = spec.coverage.start ?? extent.first;
  const last = spec.coverage.end ?? extent.last;
  const days = last - first + 1;
  if (days <= LIMITS.coverageDays) return;
  const startIsFarther = spec.coverage.start === null && (spec.coverage.end !== null || spec.event.day - extent.first >= extent.last - spec.event.day);
  // The rows on the outlying day are the rows outside the span that leaves that day out.
  const outliers = startIsFarther ? await source.rowsOutside(extent.first + 1, extent.last) : await source.rowsOutside(extent.first, extent.last - 1);
  // Only the row's place: its text is kept for rows a warning may show, and these are not yet among them.
  // The extent counts rows the filters drop too (they do not change what the data covers), the examples only used rows.
  const places = outliers.examples.length > 0 ? outliers.examples.map(rowPlace) : ["a row that data.filters leave out"];
  throw new DataError(messages.inferredCoverageTooLong(spec.data.displayPath, first, last, days, LIMITS.coverageDays, startIsFarther ? extent.first : extent.last, places));
}

/**
 * `row 12 "Name" (date "18/06/2024", amount "$5M")`: enough to find the row in the file
 * (`row 3 of data/feed/2024-02.csv` for a glob). A ClickHouse table has no row numbers:
 * its rows are named by their content hash.
 */
function describeRow(example: RowExample): string {
  const name = example.name === null || example.name === "" ? "" : ` ${JSON.stringify(example.name)}`;
  const row = rowPlace(example);
  return `${row}${name} (date ${JSON.stringify(example.date ?? "")}, amount ${JSON.stringify(example.amount ?? "")})`;
}

/**
 * A group with incidents in the data but none in either window (or no loss in them)
 * has nothing to test: its tests are not computed and its verdict is undetermined. Said
 * once per group, as a verdict's "undetermined" alone does not say that the group's rule
 * may be right and the windows simply empty (a group that matches nothing at all has its
 * own warning).
 */
function warnGroupsWithNothingInWindows(spec: NormalizedSpec, series: DailySeries, windows: { pre: DayRange; post: DayRange }, groupCounts: ReadonlyMap<string | null, number>, warnings: WarningList): void {
  const inWindows = (values: Float64Array): number => sum(windowSlice(values, series.start, windows.pre)) + sum(windowSlice(values, series.start, windows.post));
  const total = series.groups.find((group) => group.group === spec.totalGroup);
  if (total !== undefined && inWindows(total.incidents) === 0) {
    // Then no group has any: one warning for the study, not one per group.
    warnings.add("study_empty_in_windows", messages.studyEmptyInWindows(windows.pre, windows.post));
    return;
  }
  for (const group of series.groups) {
    if (group.group !== spec.totalGroup && !groupCounts.has(group.group)) continue;
    if (inWindows(group.incidents) === 0) warnings.add("group_empty_in_windows", messages.groupEmptyInWindows(group.group, windows.pre, windows.post));
    else if (spec.metrics.includes("daily_loss") && inWindows(group.loss) === 0) {
      warnings.add("group_no_loss_in_windows", messages.groupNoLossInWindows(group.group, inWindows(group.incidents), inWindows(group.unknownAmounts), spec.metrics.includes("daily_incidents")));
    }
  }
}
