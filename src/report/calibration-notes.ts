/**
 * What the committed calibration (docs/calibration.json, written by `npm run calibrate`)
 * says about the tests and intervals a report shows: which tests call noise significant
 * more often than alpha on simulated data shaped like hack data, and how often the
 * intervals cover. The report states it wherever those tests appear.
 *
 * The calibration is measured at several window lengths (7, 14, 30, 90 and 170/196 days);
 * a study is read against the length nearest its own windows (src/calibration/window-match.ts),
 * and every sentence names that length. A study whose shorter window is shorter than the
 * shortest calibrated length is covered by no calibration: the notes say so, and quote
 * what the shortest calibrated length measured for the tests built on Newey–West (HAC)
 * standard errors, which over-reject on short windows. Called without windows, the notes
 * use the longest calibrated length (the sample studies' 170/196 days).
 *
 * Every function takes the calibration file as an optional last argument (default: the
 * committed docs/calibration.json), so the wording can be tested on a fixed table.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LEVEL_BAND } from "../calibration/calibrate.js";
import { matchWindows, orderWindows, windowsLabel, type WindowLengths, type WindowMatch } from "../calibration/window-match.js";
import { METRIC_LABEL, TEST_LABEL } from "../text/labels.js";

export interface CalibrationTestRow {
  metric: string;
  method: string;
  rate: number | null;
  holdsLevel: boolean | null;
  simulations?: number;
  computed?: number;
}

export interface CalibrationScenario {
  id?: string;
  title: string;
  /** The calibrated windows; absent in a file written before window lengths were calibrated (then settings'). */
  preDays?: number;
  postDays?: number;
  tests: CalibrationTestRow[];
  intervals: Array<{ metric: string; kind: string; coverage: number | null }>;
}

export interface CalibrationFile {
  measuredAt: string;
  settings?: { preDays?: number; postDays?: number };
  scenarios: CalibrationScenario[];
}

/** A study's windows, as results.json gives them (`results.windows`). */
export interface StudyWindows {
  pre: { days: number };
  post: { days: number };
}

/** Tests whose p-values rest on Newey–West (HAC) standard errors. */
export const HAC_METHODS: readonly string[] = ["segmented_regression"];

export interface LevelFailure {
  /** The scenario's title and the calibrated windows, e.g. "Fitted to SlowMist 2021-2024, 14-day windows". */
  scenario: string;
  /** The scenario's title alone. */
  title: string;
  rate: number;
  /** The calibrated windows the rate was measured at. */
  windows: WindowLengths;
}

export interface CalibrationNote {
  code: "test_level" | "calibration_windows";
  message: string;
}

const CALIBRATION_PATH = fileURLToPath(new URL("../../docs/calibration.json", import.meta.url));

let cached: CalibrationFile | null | undefined;

function committed(): CalibrationFile | null {
  if (cached === undefined) cached = existsSync(CALIBRATION_PATH) ? (JSON.parse(readFileSync(CALIBRATION_PATH, "utf8")) as CalibrationFile) : null;
  return cached;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;
const testLabel = (method: string): string => TEST_LABEL[method as keyof typeof TEST_LABEL] ?? method;
const metricLabel = (metric: string): string => METRIC_LABEL[metric as keyof typeof METRIC_LABEL] ?? metric;
const sameWindows = (a: WindowLengths, b: WindowLengths): boolean => a.preDays === b.preDays && a.postDays === b.postDays;

function scenarioWindows(scenario: CalibrationScenario, file: CalibrationFile): WindowLengths | null {
  const preDays = scenario.preDays ?? file.settings?.preDays;
  const postDays = scenario.postDays ?? file.settings?.postDays;
  return preDays === undefined || postDays === undefined ? null : { preDays, postDays };
}

/** The distinct calibrated window lengths, shortest first. */
export function calibratedWindows(file: CalibrationFile | null = committed()): WindowLengths[] {
  if (file === null) return [];
  return orderWindows(file.scenarios.flatMap((scenario) => scenarioWindows(scenario, file) ?? []));
}

/**
 * The calibrated windows that apply to a study: the nearest to its windows, or "shorter"
 * when its shorter window is shorter than every calibrated one. Without windows: the
 * longest calibrated (the sample studies'). null when there is no calibration.
 */
export function calibrationMatch(windows?: StudyWindows, file: CalibrationFile | null = committed()): WindowMatch | null {
  const available = calibratedWindows(file);
  if (windows === undefined) {
    const longest = available[available.length - 1];
    return longest === undefined ? null : { kind: "nearest", windows: longest, exact: false };
  }
  return matchWindows({ preDays: windows.pre.days, postDays: windows.post.days }, available);
}

/** The windows whose figures a match quotes: the nearest, or the shortest calibrated. */
const quoted = (match: WindowMatch): WindowLengths => (match.kind === "nearest" ? match.windows : match.shortest);

function scenariosAt(windows: WindowLengths, file: CalibrationFile | null): CalibrationScenario[] {
  if (file === null) return [];
  return file.scenarios.filter((scenario) => {
    const own = scenarioWindows(scenario, file);
    return own !== null && sameWindows(own, windows);
  });
}

function failuresAt(windows: WindowLengths, metric: string, method: string, file: CalibrationFile | null): LevelFailure[] {
  return scenariosAt(windows, file).flatMap((scenario) =>
    scenario.tests
      .filter((test) => test.metric === metric && test.method === method && test.rate !== null && test.rate > LEVEL_BAND[1])
      .map((test) => ({ scenario: `${scenario.title}, ${windowsLabel(windows)}`, title: scenario.title, rate: test.rate as number, windows })),
  );
}

/**
 * Scenarios in which this test's false-positive rate at alpha 0.05 was above the level
 * band, at the calibrated windows that apply to the study (for a study shorter than every
 * calibrated length: at the shortest calibrated length, which is longer than the study's).
 */
export function overRejections(metric: string, method: string, windows?: StudyWindows, file: CalibrationFile | null = committed()): LevelFailure[] {
  const match = calibrationMatch(windows, file);
  return match === null ? [] : failuresAt(quoted(match), metric, method, file);
}

/**
 * The measured coverage range of the nominal 95% interval of this kind, for a metric, at
 * the calibrated windows that apply (`covers`: false when the study is shorter than every
 * calibrated length and the range is the shortest calibrated length's).
 */
export function intervalCoverage(
  metric: string,
  kind: string,
  windows?: StudyWindows,
  file: CalibrationFile | null = committed(),
): { low: number; high: number; windows: WindowLengths; covers: boolean } | null {
  const match = calibrationMatch(windows, file);
  if (match === null) return null;
  const at = quoted(match);
  const values = scenariosAt(at, file).flatMap((scenario) => scenario.intervals.filter((item) => item.metric === metric && item.kind === kind && item.coverage !== null).map((item) => item.coverage as number));
  return values.length === 0 ? null : { low: Math.min(...values), high: Math.max(...values), windows: at, covers: match.kind === "nearest" };
}

const studyLabel = (windows: StudyWindows): string =>
  windows.pre.days === windows.post.days ? `${windows.pre.days}-day windows` : `${windows.pre.days}-day pre / ${windows.post.days}-day post windows`;

/** "at 14-day windows, the calibrated length nearest this study's 10-day windows" (or "this study's own"). */
function whichCalibration(match: Extract<WindowMatch, { kind: "nearest" }>, windows: StudyWindows | undefined): string {
  const label = windowsLabel(match.windows);
  if (windows === undefined) return `at ${label}`;
  return match.exact ? `at ${label}, this study's own` : `at ${label}, the calibrated length nearest this study's ${studyLabel(windows)}`;
}

const failureList = (failures: LevelFailure[]): string => failures.map((failure) => `${percent(failure.rate)} false positives at alpha 0.05 (${failure.title})`).join("; ");

/** The "holds its level?" cell of a test: "yes (at ...)", "no: ... (at ...)", or why it is not known. */
export function levelNote(metric: string, method: string, windows?: StudyWindows, file: CalibrationFile | null = committed()): string {
  const match = calibrationMatch(windows, file);
  if (match === null) return "not calibrated";
  const failures = failuresAt(quoted(match), metric, method, file);
  if (match.kind === "shorter") {
    const measured = failures.length === 0 ? "did not over-reject" : `already gave ${failureList(failures)}`;
    const hac = HAC_METHODS.includes(method) && failures.length > 0 ? "; HAC-based tests over-reject on short windows, so read its p-values as too small" : "";
    return `not known: no calibration covers windows this short; at ${windowsLabel(match.shortest)} it ${measured}${hac}`;
  }
  const at = windowsLabel(match.windows);
  return failures.length === 0 ? `yes (at ${at})` : `no: ${failureList(failures)} (at ${at})`;
}

/**
 * The note on interval coverage that follows the interval method in the report, with a
 * leading space, or "" when nothing is calibrated for this kind.
 */
export function coverageNote(kind: string | null | undefined, windows?: StudyWindows, file: CalibrationFile | null = committed()): string {
  if (kind === null || kind === undefined) return "";
  const loss = intervalCoverage("daily_loss", kind, windows, file);
  const counts = intervalCoverage("daily_incidents", kind, windows, file);
  if (loss === null || counts === null) return "";
  const range = (value: { low: number; high: number }): string => `${Math.round(value.low * 100)}–${Math.round(value.high * 100)}%`;
  const measured = `a nominal 95% interval of this kind covered ${range(loss)} of the time for daily losses and ${range(counts)} for incident counts`;
  if (!loss.covers) {
    return ` (no calibration covers windows this short: at ${windowsLabel(loss.windows)}, the shortest calibrated, ${measured} on simulated null data, so read it as narrower than 95%)`;
  }
  const match = calibrationMatch(windows, file);
  const where = match !== null && match.kind === "nearest" ? whichCalibration(match, windows) : `at ${windowsLabel(loss.windows)}`;
  return ` (on simulated null data ${where}, ${measured}, so read it as narrower than 95%)`;
}

/**
 * The report's warnings from the calibration, for the tests it shows (metric and method
 * pairs): a test_level warning per test that over-rejects at the calibrated windows that
 * apply, or, when the study's windows are shorter than every calibrated length, one
 * calibration_windows warning that says so, quotes the HAC-based tests' false-positive
 * rates at the shortest calibrated length (and at the longest, for comparison), and names
 * the other tests that already over-reject there.
 */
export function calibrationWarnings(shown: Iterable<{ metric: string; method: string }>, windows?: StudyWindows, file: CalibrationFile | null = committed()): CalibrationNote[] {
  const match = calibrationMatch(windows, file);
  if (match === null) return [];
  const tests = [...shown].filter((test, index, all) => all.findIndex((other) => other.metric === test.metric && other.method === test.method) === index);
  if (match.kind === "nearest") {
    const where = whichCalibration(match, windows);
    return tests.flatMap(({ metric, method }) => {
      const failures = failuresAt(match.windows, metric, method, file);
      if (failures.length === 0) return [];
      return [
        {
          code: "test_level" as const,
          message: `${testLabel(method)} on ${metricLabel(metric)} does not hold its level on simulated data like this ${where}: ${failureList(failures)}. Read its p-values as too small there (docs/calibration.md).`,
        },
      ];
    });
  }
  const shortest = match.shortest;
  const longest = calibratedWindows(file).at(-1) ?? shortest;
  const study = windows === undefined ? "" : ` (${studyLabel(windows)})`;
  const sentences = [`No calibration covers this study's windows${study}: the shortest calibrated are ${windowsLabel(shortest)}, so no test's false-positive rate is known here (docs/calibration.md).`];
  const ratesOf = (at: WindowLengths, metric: string, method: string): string =>
    scenariosAt(at, file)
      .flatMap((scenario) => {
        const row = scenario.tests.find((test) => test.metric === metric && test.method === method);
        if (row === undefined || row.rate === null) return [];
        const partial = row.computed !== undefined && row.simulations !== undefined && row.computed < row.simulations ? `; ${row.computed} of ${row.simulations} simulations gave a p-value` : "";
        return [`${percent(row.rate)} (${scenario.title}${partial})`];
      })
      .join(", ");
  const hac = tests.filter((test) => HAC_METHODS.includes(test.method));
  const hacFailing = hac.filter((test) => failuresAt(shortest, test.metric, test.method, file).length > 0);
  if (hac.length > 0) {
    const figures = hac
      .map(({ metric, method }) => {
        const short = ratesOf(shortest, metric, method);
        const long = sameWindows(longest, shortest) ? "" : ratesOf(longest, metric, method);
        return `${testLabel(method)} on ${metricLabel(metric)} gave ${short === "" ? "no p-value" : short} false positives at alpha 0.05${long === "" ? "" : `, against ${long} at ${windowsLabel(longest)}`}`;
      })
      .join("; ");
    sentences.push(
      hacFailing.length > 0
        ? `Tests built on Newey–West (HAC) standard errors are known to over-reject on short windows: on simulated data with no effect at ${windowsLabel(shortest)}, ${figures}. On windows shorter still, read their p-values as too small.`
        : `Tests built on Newey–West (HAC) standard errors can over-reject on short windows; at ${windowsLabel(shortest)}, on simulated data with no effect, ${figures}.`,
    );
  }
  const others = tests.filter((test) => !HAC_METHODS.includes(test.method)).flatMap(({ metric, method }) => {
    const failures = failuresAt(shortest, metric, method, file);
    return failures.length === 0 ? [] : [`${testLabel(method)} on ${metricLabel(metric)} (${failureList(failures)})`];
  });
  if (others.length > 0) sentences.push(`Other tests already over-reject at ${windowsLabel(shortest)}: ${others.join("; ")}.`);
  return [{ code: "calibration_windows", message: sentences.join(" ") }];
}
