/**
 * Turns a schema-valid InputSpec into a NormalizedSpec: fills defaults, resolves the data
 * path, turns windows into day ranges, and checks what a schema cannot (real calendar
 * dates, time zones, windows that fit around the event, group rules that make sense).
 */
import { existsSync, statSync } from "node:fs";
import { basename, extname, isAbsolute, relative, resolve, dirname } from "node:path";
import { DataError, SpecError } from "../errors.js";
import { messages } from "../messages.js";
import { isValidTimeZone, parseIsoDay, type DayNumber } from "../util/days.js";
import type { ColumnMatch, EventSpec, InputSpec, MetricName, TestName, WindowSpec, WindowsSpec } from "./input-spec.js";
import { closestMatch } from "../util/did-you-mean.js";
import { LIMITS } from "./limits.js";
import { DEFAULT_CLICKHOUSE_TIMEOUT_MS } from "../data/clickhouse/settings.js";
import { listSourceFiles } from "../data/source-files.js";
import { inferDataFormat, isGlobPattern, KNOWN_EXTENSIONS } from "../data/source-reader.js";
import type { ColumnCondition, DataFormat, DayRange, NormalizedGroup, NormalizedSpec, StudyCell } from "./normalized-spec.js";

const MAIN_CELL = (input: { event: EventSpec }): StudyCell => ({ id: "main", index: 0, event: { id: "event", label: input.event.label }, variant: null });
import { specMessages } from "./spec-messages.js";
import type { SpecPath, YamlSource } from "./yaml-source.js";

/** The default `tests.seed` (input-spec.ts documents it for the schema; init writes it). */
export const DEFAULT_SEED = 20240619;

type SingleEventInput = InputSpec & { event: EventSpec; windows: WindowsSpec };

/** A one-question spec (no `events`/`variants` left): see load-spec.ts for the expansion. */
export function normalizeSpec(input: SingleEventInput, source: YamlSource, projectRoot: string, cell: StudyCell = MAIN_CELL(input)): NormalizedSpec {
  const fail = (path: SpecPath, text: string): never => {
    throw new SpecError(messages.located(source, path, text));
  };
  const day = (text: string, path: SpecPath): DayNumber => parseIsoDay(text) ?? fail(path, messages.notACalendarDate(text));

  // The report folder is reports/<name>/: a name such as ".." would put it outside.
  const name = basename(source.file, extname(source.file));
  if (!isUsableFolderName(name)) throw new SpecError(messages.specNameNotAFolder(source.file, name));

  const { path: resolvedDataPath, displayPath, format, clickhouse } = resolveDataSource(input, source, projectRoot, fail);

  const timezone = input.data.timezone ?? "UTC";
  if (!isValidTimeZone(timezone)) fail(["data", "timezone"], messages.unknownTimeZone(timezone));

  const eventDay = day(input.event.date, ["event", "date"]);
  const gap = { before: input.windows.gap?.before ?? 0, after: input.windows.gap?.after ?? 0 };
  const pre = resolveWindow(input.windows.pre, "pre", eventDay, gap, day, fail);
  const post = resolveWindow(input.windows.post, "post", eventDay, gap, day, fail);

  const coverage = {
    start: input.coverage?.start === undefined ? null : day(input.coverage.start, ["coverage", "start"]),
    end: input.coverage?.end === undefined ? null : day(input.coverage.end, ["coverage", "end"]),
  };
  if (coverage.start !== null && coverage.end !== null && coverage.end < coverage.start) {
    fail(["coverage", "end"], messages.rangeReversed("coverage", input.coverage?.start ?? "", input.coverage?.end ?? ""));
  }
  if (coverage.start !== null && coverage.end !== null && coverage.end - coverage.start + 1 > LIMITS.coverageDays) {
    fail(["coverage", "end"], messages.coverageTooLong(input.coverage?.start ?? "", input.coverage?.end ?? "", coverage.end - coverage.start + 1, LIMITS.coverageDays));
  }

  const groups = normalizeGroups(input, fail);
  const totalGroup = input.total === false ? null : input.total === true || input.total === undefined ? "All" : input.total;
  const clash = totalGroup === null ? undefined : groups.find((group) => group.name === totalGroup);
  if (clash !== undefined && totalGroup !== null) {
    fail(input.total === undefined ? [...clash.specPath, "name"] : ["total"], messages.totalNameTaken(totalGroup));
  }

  return {
    specFile: source.file,
    name,
    title: input.title,
    description: input.description ?? "",
    data: {
      path: resolvedDataPath,
      displayPath,
      format,
      clickhouse,
      columns: {
        date: input.data.columns.date,
        amount: input.data.columns.amount,
        name: input.data.columns.name ?? null,
        url: input.data.columns.url ?? null,
      },
      timezone,
      missingAmount: input.data.missing_amount ?? "unknown",
      zeroAmountIsUnknown: input.data.zero_amount_is_unknown ?? false,
      duplicates: input.data.duplicates ?? "drop",
      include: conditions(input.data.filters?.include, ["data", "filters", "include"], fail),
      exclude: conditions(input.data.filters?.exclude, ["data", "filters", "exclude"], fail),
      minAmount: input.data.filters?.min_amount ?? null,
    },
    coverage,
    groups,
    totalGroup,
    event: { day: eventDay, label: input.event.label },
    windows: { pre, post },
    gap,
    metrics: unique(input.metrics ?? ["daily_loss", "daily_incidents"]),
    tests: normalizeTests(input, fail),
    did: normalizeDid(input, groups, fail),
    robustness: {
      placebo: input.robustness?.placebo ?? true,
      sensitivityDays: unique(input.robustness?.sensitivity_days ?? [30, 60, 90, 120, 180]).sort((a, b) => a - b),
      influenceTopK: input.robustness?.influence_top_k ?? 5,
    },
    output: { title: input.output?.title ?? input.title, formats: unique(input.output?.formats ?? ["html", "json"]) },
    cell,
    source,
  };
}

/**
 * Where the incidents come from: a file (found beside the file that names it, then from
 * the project root) or a ClickHouse table or query (its connection file, if named, beside
 * the spec; the connection itself is checked when the study runs).
 */
function resolveDataSource(
  input: SingleEventInput,
  source: YamlSource,
  projectRoot: string,
  fail: (path: SpecPath, text: string) => never,
): Pick<NormalizedSpec["data"], "path" | "displayPath" | "format" | "clickhouse"> {
  const { file, clickhouse } = input.data;
  if (file !== undefined && clickhouse !== undefined) fail(["data", "clickhouse"], messages.fileAndClickHouse());
  if (clickhouse !== undefined) {
    if ((clickhouse.table === undefined) === (clickhouse.query === undefined)) fail(["data", "clickhouse"], messages.clickHouseTableOrQuery());
    const writtenIn = source.locate(["data", "clickhouse", "connection"]).file ?? source.file;
    const connectionFile = clickhouse.connection === undefined ? null : isAbsolute(clickhouse.connection) ? clickhouse.connection : resolve(dirname(writtenIn), clickhouse.connection);
    return {
      path: "",
      displayPath: clickhouse.table !== undefined ? `ClickHouse table ${clickhouse.table}` : "ClickHouse query",
      format: "csv",
      clickhouse: { table: clickhouse.table ?? null, query: clickhouse.query ?? null, connectionFile, timeoutMs: clickhouse.timeout_seconds === undefined ? DEFAULT_CLICKHOUSE_TIMEOUT_MS : clickhouse.timeout_seconds * 1000 },
    };
  }
  if (file === undefined) return fail(["data"], messages.noDataSource());
  // A relative path is looked up beside the file that wrote it (an inherited spec may live elsewhere).
  const writtenIn = source.locate(["data", "file"]).file ?? source.file;
  if (isGlobPattern(file)) return normalizeDataGlob(file, writtenIn, projectRoot, input.data.format, (text) => fail(["data", "file"], text), source);
  const resolvedDataPath = resolveDataPath(file, writtenIn, projectRoot);
  if (resolvedDataPath === undefined) {
    // The spec is fine; the data is not there: a data error (exit 3), pointing at the line.
    const tried = candidatePaths(file, writtenIn, projectRoot, process.cwd()).map((path) => relative(process.cwd(), path) || path);
    throw new DataError(messages.located(source, ["data", "file"], messages.dataFileMissing(file, tried)));
  }
  // Only a non-empty regular file is read: a folder, a device such as /dev/zero or a pipe
  // would fail deep in the data layer, or never end.
  const kind = statSync(resolvedDataPath);
  const problem = kind.isDirectory() ? messages.dataFileIsFolder(file) : !kind.isFile() ? messages.dataFileNotRegular(file) : kind.size === 0 ? messages.dataFileEmpty(file) : undefined;
  if (problem !== undefined) throw new DataError(messages.located(source, ["data", "file"], problem));
  const format = input.data.format ?? inferFormat(file, (text) => fail(["data", "file"], text));
  return { path: resolvedDataPath, displayPath: relative(projectRoot, resolvedDataPath) || resolvedDataPath, format, clickhouse: null };
}

/**
 * `data.file` as a glob (`data/feed/*.parquet`; `**` matches any number of folders): the files it matches are
 * read as one table, in sorted order. Like a plain path it is looked for beside the spec,
 * then from the project root; the first place where it matches a file wins.
 */
function normalizeDataGlob(
  file: string,
  writtenIn: string,
  projectRoot: string,
  format: DataFormat | undefined,
  fail: (text: string) => never,
  source: YamlSource,
): Pick<NormalizedSpec["data"], "path" | "displayPath" | "format" | "clickhouse"> {
  const candidates = candidatePaths(file, writtenIn, projectRoot, process.cwd());
  const pattern = candidates.find((candidate) => listSourceFiles(candidate).length > 0);
  if (pattern === undefined) {
    const tried = candidates.map((path) => relative(process.cwd(), path) || path);
    throw new DataError(messages.located(source, ["data", "file"], messages.dataGlobMatchesNothing(file, tried)));
  }
  return { path: pattern, displayPath: relative(projectRoot, pattern) || pattern, format: format ?? inferFormat(file, fail), clickhouse: null };
}

/** A report folder name that stays inside the reports folder and is not hidden (staging and lock files start with a dot). */
function isUsableFolderName(name: string): boolean {
  return name.trim() !== "" && !name.startsWith(".") && !/[\\/\0]/.test(name);
}

function resolveWindow(
  window: WindowSpec,
  which: "pre" | "post",
  eventDay: DayNumber,
  gap: { before: number; after: number },
  day: (text: string, path: SpecPath) => DayNumber,
  fail: (path: SpecPath, text: string) => never,
): DayRange {
  const path: SpecPath = ["windows", which];
  if ("days" in window) {
    return which === "pre"
      ? { start: eventDay - gap.before - window.days, end: eventDay - gap.before - 1 }
      : { start: eventDay + gap.after, end: eventDay + gap.after + window.days - 1 };
  }
  const range = { start: day(window.start, [...path, "start"]), end: day(window.end, [...path, "end"]) };
  if (range.end < range.start) fail([...path, "end"], messages.rangeReversed(`windows.${which}`, window.start, window.end));
  if (range.end - range.start + 1 > LIMITS.windowDays) fail([...path, "end"], messages.windowTooLong(which, window.start, window.end, range.end - range.start + 1, LIMITS.windowDays));
  if (which === "pre" && range.end > eventDay - gap.before - 1) {
    fail([...path, "end"], messages.preWindowTooLate(window.end, eventDay, gap.before));
  }
  if (which === "post" && range.start < eventDay + gap.after) {
    fail([...path, "start"], messages.postWindowTooEarly(window.start, eventDay, gap.after));
  }
  return range;
}

export const DEFAULT_TEST_METHODS: TestName[] = [
  "block_permutation",
  "permutation",
  "welch_t",
  "mann_whitney_u",
  "rate_ratio_exact",
  "rate_ratio_quasi_poisson",
  "segmented_regression",
];

/** Tests that only make sense for counts. */
export const COUNT_ONLY_TESTS: ReadonlySet<TestName> = new Set(["rate_ratio_exact", "rate_ratio_quasi_poisson"]);

function normalizeTests(input: InputSpec, fail: (path: SpecPath, text: string) => never): NormalizedSpec["tests"] {
  const tests = input.tests ?? {};
  const methods = unique(tests.methods ?? DEFAULT_TEST_METHODS);
  const primary: Record<MetricName, TestName> = {
    daily_loss: tests.primary?.daily_loss ?? "block_permutation",
    daily_incidents: tests.primary?.daily_incidents ?? "block_permutation",
  };
  for (const metric of ["daily_loss", "daily_incidents"] as const) {
    const path: SpecPath = ["tests", "primary", metric];
    if (!methods.includes(primary[metric])) {
      // An explicit primary must be listed; the default primary is added to the methods.
      if (tests.primary?.[metric] !== undefined) fail(path, messages.primaryNotInMethods(primary[metric], methods));
      methods.unshift(primary[metric]);
    }
    if (metric === "daily_loss" && COUNT_ONLY_TESTS.has(primary[metric])) fail(path, messages.countTestForLosses(primary[metric]));
  }
  return {
    alpha: tests.alpha ?? 0.05,
    methods,
    primary,
    seed: tests.seed ?? DEFAULT_SEED,
    permutations: tests.permutations ?? 10_000,
    bootstrap: {
      resamples: tests.bootstrap?.resamples ?? 2000,
      confidence: tests.bootstrap?.confidence ?? 0.95,
      blockLength: tests.bootstrap?.block_length === undefined || tests.bootstrap.block_length === "auto" ? null : tests.bootstrap.block_length,
      interval: tests.bootstrap?.interval ?? "percentile",
    },
    hacMaxLags: tests.hac_max_lags === undefined || tests.hac_max_lags === "auto" ? null : tests.hac_max_lags,
    multipleTesting: tests.multiple_testing ?? "holm",
  };
}

function normalizeDid(input: InputSpec, groups: NormalizedGroup[], fail: (path: SpecPath, text: string) => never): NormalizedSpec["did"] {
  const did = input.difference_in_differences;
  if (did === undefined) return null;
  const names = groups.map((group) => group.name);
  const check = (name: string, path: SpecPath): void => {
    if (!names.includes(name)) fail(path, messages.didUnknownGroup(name, names, closestMatch(name, names)));
  };
  check(did.treated, ["difference_in_differences", "treated"]);
  const controls = unique(did.controls);
  controls.forEach((name, index) => {
    check(name, ["difference_in_differences", "controls", index]);
    if (name === did.treated) fail(["difference_in_differences", "controls", index], messages.didTreatedIsControl(name));
  });
  return { treated: did.treated, controls };
}

function normalizeGroups(input: InputSpec, fail: (path: SpecPath, text: string) => never): NormalizedGroup[] {
  const seen = new Set<string>();
  return input.groups.map((group, index) => {
    const path: SpecPath = ["groups", index];
    if (seen.has(group.name)) fail([...path, "name"], messages.duplicateGroupName(group.name));
    seen.add(group.name);
    const hasWhere = group.where !== undefined && Object.keys(group.where).length > 0;
    const isOtherwise = group.otherwise === true;
    if (hasWhere === isOtherwise) fail(path, messages.groupNeedsOneRule(group.name));
    if (isOtherwise && index !== input.groups.length - 1) fail([...path, "otherwise"], messages.otherwiseNotLast(group.name));
    return {
      name: group.name,
      rule: isOtherwise ? { kind: "otherwise" } : { kind: "match", conditions: conditions(group.where, [...path, "where"], fail) },
      specPath: path,
    };
  });
}

/**
 * A column's conditions. The data's values are compared with spaces at both ends removed
 * (row-expressions.ts, conditionSql), so a value written with such spaces could never
 * match: it is refused at its place rather than silently matching nothing.
 */
function conditions(match: ColumnMatch | undefined, path: SpecPath, fail: (path: SpecPath, text: string) => never): ColumnCondition[] {
  return Object.entries(match ?? {}).map(([column, written]) => {
    const values = Array.isArray(written) ? written : [written];
    values.forEach((value, index) => {
      if (typeof value === "string" && value !== value.replace(/^ +| +$/g, "")) {
        fail(Array.isArray(written) ? [...path, column, index] : [...path, column], specMessages.valueHasOuterSpaces(value));
      }
    });
    return { column, values, specPath: [...path, column] };
  });
}

/** Where a relative data path is looked for: beside the spec first, then from the project root. */
function candidatePaths(file: string, specFile: string, projectRoot: string, cwd: string): string[] {
  if (isAbsolute(file)) return [file];
  return unique([resolve(cwd, dirname(specFile), file), resolve(projectRoot, file)]);
}

function resolveDataPath(file: string, specFile: string, projectRoot: string): string | undefined {
  return candidatePaths(file, specFile, projectRoot, process.cwd()).find((path) => existsSync(path));
}

export function inferFormat(file: string, fail: (text: string) => never): DataFormat {
  return inferDataFormat(file) ?? fail(messages.unknownDataFormat(file, KNOWN_EXTENSIONS));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
