// Bad inputs through the real CLI (issue 7). For each broken spec, data file, reports folder
// or command line in test/bad-inputs/cases/<case>/ (or built at test time, for what cannot
// be committed: a folder where a file should be, a 1 MB spec, a spec named `...yaml`), the
// run must print exactly the expected stderr and exit with the documented code (README.md
// and src/errors.ts: 0 ran, 2 invalid spec, 3 bad data, 4 output, 64 usage), with no stack
// trace, and:
//
// - when it fails: leave everything exactly as it was, byte for byte: the previous report
//   and its history.jsonl, another study's report, and a file beside the reports folder
//   (a report written outside reports/ shows up there);
// - when the run can honestly continue (exit 0): print each warning, list it in
//   results.json and in the report, keep the previous history lines and add one, and touch
//   nothing outside reports/spec/ and reports/index.html.
//
// A case marked `pending` is what the engine SHOULD do but does not yet, in a file this
// corpus does not own; it runs as `it.fails` (so a fix shows up as a failing test to flip),
// with the reason and the proposed fix beside it (BAD_INPUTS_PENDING=run runs them as
// ordinary tests, to see what they get wrong).
//
// Each case runs `node bin/eventstudy.js run <spec> --reports <tmp>/reports` from the
// project root. Absolute paths in messages are written <root> (project root) and <tmp>
// (the case's temporary folder).
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it, onTestFinished, type ExpectStatic } from "vitest";
import { messages } from "../../src/messages.js";
import { escapeHtml } from "../../src/report/html.js";
import { buildCli, makeTempDir, normalizePaths, PROJECT_ROOT, runCli, snapshotTree, writeTree, type CliResult } from "../cli/run-cli.js";

const CASES_DIR = "test/bad-inputs/cases";

/** An earlier, successful run's history line (the shape history.jsonl keeps). */
const PREVIOUS_HISTORY =
  '{"runAt":"2026-01-01T00:00:00.000Z","engineVersion":"0.0.9","inputsHash":"previous","specFiles":[],"dataFiles":[],"engine":"previous","cells":[]}\n';

/** A report from an earlier, successful run, which a failing run must not touch. */
const PREVIOUS_REPORTS: Record<string, string> = {
  "spec/index.html": "<!doctype html>\n<title>previous report</title>\n<p>written by an earlier run</p>\n",
  "spec/results.json": '{\n  "previous": true\n}\n',
  "spec/history.jsonl": PREVIOUS_HISTORY,
  "spec/charts/pre-post-means.vl.json": '{"mark": "bar"}\n',
  "another-study/index.html": "<!doctype html>\n<title>another study</title>\n",
};

/** Beside the reports folder: a run that writes outside reports/ changes or removes it. */
const OUTSIDE_FILE = "outside-reports.txt";

interface Paths {
  /** The case's spec, as given on the command line. */
  spec: string;
  /** The case's data file, as the engine names it (relative to the project root). */
  data: string;
  /** The reports folder given with --reports. */
  reports: string;
}

interface BadInputCase {
  /** The folder under test/bad-inputs/cases/ (or the name of a case built at test time). */
  name: string;
  /** Another case's folder, when two cases check different things of one input. */
  folder?: string;
  /** What is wrong. */
  what: string;
  /** Builds the case in `dir` at test time and returns its spec's path. */
  generate?: (dir: string) => string;
  /** Changes the temporary folder (`<tmp>`, holding reports/) before the run. */
  prepare?: (tmp: string) => void;
  /** Command-line arguments; default `run <spec> --reports <tmp>/reports`. */
  args?: (paths: Paths & { absoluteSpec: string; tmp: string }) => string[];
  /** Run with the reports folder as the working directory (to catch writes to the default `reports/`). */
  cwdIsReports?: boolean;
  exitCode: number;
  /** The whole of stderr. */
  stderr: (paths: Paths) => string;
  /** For a run that continues: more checks on the report it wrote. */
  report?: (report: WrittenReport) => void;
  /** The engine does not do this yet: why, and the change that would make it pass. */
  pending?: string;
}

interface WrittenReport {
  results: ResultsLike;
  /** reports/spec/index.html */
  html: string;
  /** reports/index.html, the list of studies */
  index: string;
  stdout: string;
}

/** The parts of results.json the checks read. */
interface ResultsLike {
  warnings: Array<{ code: string; message: string }>;
  provenance: { rowsRead: number; rowsUsed: number; rowsExcluded: number };
  results: Array<{
    group: string;
    metric: string;
    pre: { incidents: number };
    post: { incidents: number };
    change: { relative: number | null; relativeNote: string | null };
    tests: Array<{ method: string; statistic: number | null; note: string | null }>;
  }>;
}


const YAML_FIX = "Fix the YAML at that place (indent with spaces, close every quote).";
// Written out, not read from the schema, so that a key added to the schema by mistake fails here.
const TOP_LEVEL_KEYS =
  "$schema, extends, title, description, data, coverage, groups, total, event, events, windows, variants, metrics, tests, difference_in_differences, robustness, output";
const DATA_KEYS = "file, clickhouse, format, columns, timezone, missing_amount, zero_amount_is_unknown, duplicates, filters";
const CSV_COLUMNS = "date, amount_usd, name, actor";
const warning = (spec: string, ...texts: string[]): string => texts.map((text) => `warning: ${spec}: ${text}\n`).join("");
/** The warning for a group with incidents only outside the windows most cases share (event 2024-01-16, 10 days each side). */
const nothingInWindows = (group: string): string =>
  `group "${group}" has no incidents in either window (pre 2024-01-06 to 2024-01-15, post 2024-01-16 to 2024-01-25), only outside them: there is nothing to compare, so its tests are not computed and its verdicts are undetermined. Check the event date and the windows, or whether the data covers this group in those years.`;
const ALL_ZERO_LAZARUS =
  'group "Lazarus" has no loss in either window (its 2 incident(s) there have amounts of 0): there is no loss to compare, so its loss tests are not computed and its loss verdict is undetermined; its incident counts are tested as usual.';
/** The warning every run of the shared six-row data file gives: row 5 has no amount. */
const UNKNOWN_AMOUNT_ROW_5 =
  '1 incident(s) have an unknown amount (empty): they count as incidents but add nothing to daily losses, so losses are a lower bound (e.g. row 5 "Epsilon DEX" (date "2024-01-22", amount "")).';
const find = (report: WrittenReport, group: string, metric: string): ResultsLike["results"][number] => {
  const found = report.results.results.find((item) => item.group === group && item.metric === metric);
  if (found === undefined) throw new Error(`results.json has no ${group} ${metric}`);
  return found;
};

/** A copy of the valid control case (spec and data) in `dir`, the spec under `specName`. */
function copyOfControl(dir: string, specName = "spec.yaml"): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(PROJECT_ROOT, CASES_DIR, "valid-control", "data.csv"), join(dir, "data.csv"));
  copyFileSync(join(PROJECT_ROOT, CASES_DIR, "valid-control", "spec.yaml"), join(dir, specName));
  return join(dir, specName);
}

/** A copy of the valid control whose spec text is changed by `edit` (the change must apply). */
function controlWithSpec(dir: string, edit: (spec: string) => string): string {
  const spec = copyOfControl(dir);
  const before = readFileSync(spec, "utf8");
  const after = edit(before);
  if (after === before) throw new Error(`the edit for ${dir} changed nothing in the control spec`);
  writeFileSync(spec, after);
  return spec;
}

const CONTROL_DATA_FILE = "  file: data.csv\n";
const CONTROL_EVENT_AND_WINDOWS = "event: {date: 2024-01-16, label: the event}\nwindows:\n  pre: {days: 10}\n  post: {days: 10}\n";

const cases: BadInputCase[] = [
  // ---- YAML and the file as a whole ----------------------------------------------------
  {
    name: "yaml-tab-indent",
    what: "a tab used for indentation",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:5:1 YAML syntax error: Tabs are not allowed as indentation. ${YAML_FIX}\n`,
  },
  {
    name: "yaml-unclosed-quote",
    what: "a double quote opened on line 1 and never closed",
    exitCode: 2,
    // The parser notices at the end of the file; the message points where the quote opens.
    stderr: ({ spec }) => `error: ${spec}:1:8 YAML syntax error: the quote " opened here is never closed. Close it on the same line, e.g. title: "My study".\n`,
  },
  {
    name: "duplicate-yaml-key",
    what: "title: written twice",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:15:1 YAML syntax error: the key "title" appears twice in the same mapping (first on line 1). Keep only one of them.\n`,
  },
  {
    name: "yaml-alias-bomb",
    what: "nine levels of aliases, each nine times the one before (9^9 copies of a string: a 'billion laughs')",
    exitCode: 2,
    // The limit is LIMITS.yamlAliases (100); the message points at the first alias.
    stderr: ({ spec }) => `error: ${spec}:3:8 the YAML aliases (*name) expand to more than 100 copies, starting with this one. Write the values out instead of nesting aliases.\n`,
  },
  {
    name: "yaml-alias-without-anchor",
    what: "title: *study_title with no &study_title anywhere",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:1:8 YAML error: the alias *study_title has no anchor &study_title before it. Define the anchor first, or write the value out.\n`,
  },
  {
    name: "yaml-alias-inside-itself",
    what: "groups: &groups [..., *groups]: a list that contains itself",
    exitCode: 2,
    // Before: a value that contains itself sent the schema check round in circles until the stack overflowed (exit 1).
    stderr: ({ spec }) =>
      `error: ${spec}:9:5 YAML error: the alias *groups is inside the value anchored as &groups, so that value would contain itself. Write the value out.\n`,
  },
  {
    name: "empty-file",
    what: "a spec file of zero bytes",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:1:1 the spec is empty. Start from analyses/dprk-russia-treaty-2024.yaml.\n`,
  },
  {
    name: "top-level-list",
    what: "a top level that is a list",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:1:1 the spec must be a mapping of keys (title:, data:, groups:, ...), not a list.\n`,
  },
  {
    name: "spec-file-missing",
    what: "a spec path that does not exist (this case's folder is missing on purpose)",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}: spec file not found. Check the path, or list the specs with: ls analyses/\n`,
  },
  {
    name: "spec-not-utf8",
    what: 'a spec saved as Latin-1 ("Café" with the byte 0xE9)',
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:1:11 the spec is not valid UTF-8 text (byte 0xE9 here). Save it as UTF-8, e.g. iconv -f latin1 -t utf-8.\n`,
  },
  {
    // The unreadable file. `chmod 000` does not stop root (the tests may run as root), so the
    // file is unreadable the way a file can be for anyone: it is a folder.
    name: "spec-is-a-folder",
    what: "the spec path names a folder (an unreadable spec file, whoever runs it)",
    generate: (dir) => {
      mkdirSync(join(dir, "spec.yaml"), { recursive: true });
      return join(dir, "spec.yaml");
    },
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}: is a folder, not a spec file. Name a .yaml file, e.g. analyses/my-study.yaml.\n`,
  },
  {
    name: "spec-too-large",
    what: "a 1.1 MB spec (a description pasted in): over the 1 MB limit",
    generate: (dir) => {
      const spec = copyOfControl(dir);
      writeFileSync(spec, `${readFileSync(spec, "utf8")}description: "${"x".repeat(1_100_000)}"\n`);
      return spec;
    },
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}: the spec is 1,100,361 bytes, over the limit of 1,048,576 bytes. A spec holds settings, not data: put long lists in the data file.\n`,
  },
  {
    name: "extends-itself",
    what: "extends: spec.yaml in spec.yaml",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:1:10 extends: the specs inherit from each other in a circle (${spec} -> ${spec}). Remove one of these extends: keys.\n`,
  },
  {
    name: "extends-too-deep",
    what: "spec.yaml extends level-1.yaml, which extends level-2.yaml, ... level-9.yaml: nine inherited files, the limit is 8",
    exitCode: 2,
    // Pointed at the extends: line of the eighth inherited file, the one that goes too far.
    stderr: () => `error: ${CASES_DIR}/extends-too-deep/level-8.yaml:1:10 extends: more than 8 specs inherit from one another. Flatten the chain of extends: keys.\n`,
  },

  // ---- output outside reports/ ------------------------------------------------------------
  {
    // The report folder is named after the spec: "...yaml" is named "..", and its report
    // folder would have been <tmp>/reports/.. = <tmp>. Before the fix this run replaced the
    // whole of <tmp> (the reports folder, the spec, the file beside them) with one report.
    name: "report-folder-outside-reports",
    what: 'a spec named "...yaml", whose report folder would be reports/.. (the folder above reports/)',
    generate: (dir) => copyOfControl(dir, "...yaml"),
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}: the report folder is named after the spec file, and ".." cannot name a folder inside the reports folder (it is empty, ".", ".." or starts with a dot). Rename the spec file, e.g. to my-study.yaml.\n`,
  },
  {
    // "..yaml" is named ".": its report folder would have been reports/ itself, replacing
    // every other study's report (as it did before the fix).
    name: "report-folder-is-reports",
    what: 'a spec named "..yaml", whose report folder would be the reports folder itself',
    generate: (dir) => copyOfControl(dir, "..yaml"),
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}: the report folder is named after the spec file, and "." cannot name a folder inside the reports folder (it is empty, ".", ".." or starts with a dot). Rename the spec file, e.g. to my-study.yaml.\n`,
  },
  {
    name: "event-id-outside",
    what: 'events[0].id: "../../outside", a cell folder that would climb out of the report',
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:12:10 events[0].id: "../../outside" is not an identifier: use lowercase letters, digits and dashes, e.g. "treaty". It names a folder of the report, so it cannot hold "/", "." or spaces.\n`,
  },
  {
    name: "variant-id-outside",
    what: 'variants[0].id: "../x"',
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:18:22 variants[0].id: "../x" is not an identifier: use lowercase letters, digits and dashes, e.g. "treaty". It names a folder of the report, so it cannot hold "/", "." or spaces.\n`,
  },
  {
    name: "reports-is-a-file",
    what: "--reports names an existing file",
    prepare: (tmp) => writeFileSync(join(tmp, "reports-file"), "not a folder\n"),
    args: ({ spec, tmp }) => ["run", spec, "--reports", join(tmp, "reports-file")],
    exitCode: 4,
    stderr: () => "error: cannot write reports to <tmp>/reports-file: it is a file, not a folder. Name a folder with --reports (it is created if missing); nothing was written.\n",
  },

  // ---- schema: keys, types, ranges, limits ------------------------------------------------
  {
    name: "unknown-top-level-key",
    what: "windws: instead of windows:",
    exitCode: 2,
    // One message: the "missing windows" that the typo causes is not repeated.
    stderr: ({ spec }) => `error: ${spec}:12:1 windws: unknown key "windws". Did you mean "windows"? Allowed here: ${TOP_LEVEL_KEYS}.\n`,
  },
  {
    name: "unknown-nested-key",
    what: "data.colums instead of data.columns",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:4:3 data.colums: unknown key "colums". Did you mean "columns"? Allowed here: ${DATA_KEYS}.\n`,
  },
  {
    name: "missing-required-key",
    what: "no event: (and no events:)",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:1:1 the spec names no event. Add event: {date: YYYY-MM-DD, label: ...} or a list under events:.\n`,
  },
  {
    name: "key-named-proto",
    what: "__proto__: {groups: 5, tests: {permutations: 1}} instead of groups:",
    exitCode: 2,
    // Found by the fuzzer. Before: the key passed as known (Object.prototype answered for it), the merge made its
    // value the spec's prototype, so groups: 5 reached normalization unchecked: "internal error: Cannot read
    // properties of undefined (reading 'map')" (exit 1); with groups: written, __proto__: was silently ignored.
    stderr: ({ spec }) =>
      `error: ${spec}:6:1 __proto__: unknown key "__proto__". Allowed here: ${TOP_LEVEL_KEYS}.\n` +
      `${spec}:1:1 missing required key "groups" (Named actor groups. A row belongs to the first group whose rule matches it). Add it.\n`,
  },
  {
    name: "wrong-type",
    what: 'windows.pre.days: "thirty"',
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:14:11 windows.pre.days: "thirty" is the wrong type: expected whole number.\n`,
  },
  {
    name: "wrong-type-groups-mapping",
    what: "groups: a mapping (one group written without the dash)",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:7:3 groups: a mapping is the wrong type: expected a list.\n`,
  },
  {
    name: "wrong-type-boolean",
    what: 'robustness.placebo: "yes"',
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:16:23 robustness.placebo: "yes" is the wrong type: expected true or false.\n`,
  },
  {
    name: "out-of-range",
    what: "windows.pre.days: -30",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:14:11 windows.pre.days: -30 is out of range: it must be at least 1.\n`,
  },
  {
    name: "out-of-range-alpha",
    what: "tests.alpha: 5 (meant 5%)",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:15:16 tests.alpha: 5 is out of range: it must be less than 1.\n`,
  },
  {
    name: "window-too-long",
    what: "windows.post.days: 36601, over the 36,600-day (100-year) limit",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:14:16 windows.post.days: 36601 is out of range: it must be at most 36600.\n`,
  },
  {
    name: "too-many-permutations",
    what: "tests.permutations: 2000000, over the limit of 1,000,000",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:15:23 tests.permutations: 2000000 is out of range: it must be at most 1000000.\n`,
  },
  {
    name: "too-many-resamples",
    what: "tests.bootstrap.resamples: 5000000, over the limit of 1,000,000",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:15:32 tests.bootstrap.resamples: 5000000 is out of range: it must be at most 1000000.\n`,
  },
  {
    name: "too-many-events",
    what: "21 events, over the limit of 20 (the schema said so, but maxItems was not checked before)",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:12:3 events: has 21 items, more than the limit of 20. Remove some, or split the study into several spec files.\n`,
  },
  {
    name: "too-many-groups",
    what: "101 groups, over the limit of 100",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:7:3 groups: has 101 items, more than the limit of 100. Remove some, or split the study into several spec files.\n`,
  },
  {
    name: "too-many-cells",
    what: "20 events x 6 variants = 120 studies, over the limit of 100",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:38:3 variants: 20 events x 6 variants make 120 studies to run, more than the limit of 100. Split the events or the variants into several spec files.\n`,
  },
  {
    name: "too-many-sensitivity-lengths",
    what: "21 window lengths in robustness.sensitivity_days, over the limit of 20",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:18:21 robustness.sensitivity_days: has 21 items, more than the limit of 20. Remove some, or split the study into several spec files.\n`,
  },
  {
    name: "bad-date-string",
    what: "event.date: 2024/06/19",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:12:9 event.date: "2024/06/19" is not a date written YYYY-MM-DD. Write it like 2024-06-19.\n`,
  },
  {
    name: "unknown-metric",
    what: "metrics: [daily_loss, daily_incident]",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:15:23 metrics[1]: "daily_incident" is not allowed. Did you mean "daily_incidents"? Use one of: "daily_loss", "daily_incidents".\n`,
  },

  {
    name: "file-and-clickhouse",
    what: "data.file and data.clickhouse both given",
    generate: (dir) => controlWithSpec(dir, (spec) => spec.replace(CONTROL_DATA_FILE, `${CONTROL_DATA_FILE}  clickhouse: {table: db.incidents}\n`)),
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:4:15 data.clickhouse: write data.file (a file) or data.clickhouse (a ClickHouse table or query), not both.\n`,
  },
  {
    name: "no-data-source",
    what: "data: with columns but neither file: nor clickhouse:",
    generate: (dir) => controlWithSpec(dir, (spec) => spec.replace(CONTROL_DATA_FILE, "")),
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:3:3 data: the spec names no data. Add data.file: data/incidents.csv, or data.clickhouse: {table: db.incidents, connection: clickhouse.json}.\n`,
  },
  {
    name: "clickhouse-table-and-query",
    what: "data.clickhouse names both a table and a query",
    generate: (dir) => controlWithSpec(dir, (spec) => spec.replace(CONTROL_DATA_FILE, "  clickhouse: {table: db.incidents, query: SELECT 1}\n")),
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:3:15 data.clickhouse: name exactly one of table: (e.g. db.incidents) or query: (a SELECT) for the ClickHouse source.\n`,
  },
  {
    name: "extends-not-a-path",
    what: "extends: [a.yaml], a list where a path belongs",
    generate: (dir) => controlWithSpec(dir, (spec) => `extends: [a.yaml]\n${spec}`),
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:1:10 extends: ["a.yaml"] is not a file path. Write the spec to inherit from as a path relative to this file, e.g. extends: shared/defaults.yaml.\n`,
  },
  {
    name: "event-without-windows",
    what: "events: with one event that has no windows, and no top-level windows:",
    generate: (dir) => controlWithSpec(dir, (spec) => spec.replace(CONTROL_EVENT_AND_WINDOWS, "events:\n  - {date: 2024-01-16, label: the event}\n")),
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:12:5 events[0]: the event "the event" has no windows. Add windows: {pre: {days: 90}, post: {days: 90}} under the event, or a top-level windows:.\n`,
  },
  // ---- spec meaning: dates, zones, windows, groups ---------------------------------------
  {
    name: "impossible-date",
    what: "event.date: 2024-02-30",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:12:9 event.date: "2024-02-30" is not a real calendar date. Check the month and day.\n`,
  },
  {
    name: "unknown-time-zone",
    what: "data.timezone: Asia/Pyongyang_City",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:5:13 data.timezone: "Asia/Pyongyang_City" is not a known IANA time zone. Use a name like "UTC", "Asia/Seoul" or "America/New_York".\n`,
  },
  {
    name: "pre-window-after-event",
    what: "windows.pre ends 2024-01-20, after the event on 2024-01-16",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:13:33 windows.pre.end: the pre window ends on 2024-01-20, which is not before the event. End it on 2024-01-15 or earlier.\n`,
  },
  {
    name: "post-window-before-event",
    what: "windows.post starts 2024-01-14, before the event on 2024-01-16",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:14:17 windows.post.start: the post window starts on 2024-01-14, before the event. Start it on 2024-01-16 or later.\n`,
  },
  {
    name: "windows-overlap",
    what: "pre 2024-01-05..2024-01-20 and post 2024-01-10..2024-01-25 share eleven days",
    exitCode: 2,
    // Overlapping windows always put one of them on the wrong side of the event; the message names which and what to change.
    stderr: ({ spec }) =>
      `error: ${spec}:13:33 windows.pre.end: the pre window ends on 2024-01-20, which is not before the event. End it on 2024-01-15 or earlier.\n`,
  },
  {
    name: "window-reversed",
    what: "windows.pre from 2024-01-10 to 2024-01-01",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:13:33 windows.pre.end: windows.pre ends (2024-01-01) before it starts (2024-01-10). Swap the dates.\n`,
  },
  {
    name: "coverage-reversed",
    what: "coverage from 2024-01-31 to 2024-01-01",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:5:36 coverage.end: coverage ends (2024-01-01) before it starts (2024-01-31). Swap the dates.\n`,
  },
  {
    name: "coverage-too-long",
    what: "coverage 1900-01-01..2099-12-31: 73,049 days, over the 36,600-day (100-year) limit",
    exitCode: 2,
    // Before: accepted; 9,000 years of coverage ran 54 s and died with "Invalid string length" (exit 1).
    stderr: ({ spec }) =>
      `error: ${spec}:5:36 coverage.end: coverage 1900-01-01..2099-12-31 is 73,049 days, more than the limit of 36,600 (100 years). Declare the days the data is complete for.\n`,
  },
  {
    name: "duplicate-group-name",
    what: 'two groups named "Lazarus"',
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:9:11 groups[1].name: the group name "Lazarus" is used twice. Give each group its own name.\n`,
  },
  {
    name: "otherwise-not-last",
    what: "the otherwise: true group comes first",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:8:16 groups[0].otherwise: group "Other" takes every remaining row, so groups after it would be empty. Move it to the end of the list.\n`,
  },
  {
    name: "group-without-rule",
    what: "a group with neither where: nor otherwise:",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:9:5 groups[1]: group "Other" needs exactly one rule: either "where:" with column conditions, or "otherwise: true" for every row no earlier group claimed.\n`,
  },
  {
    name: "total-name-taken",
    what: 'a group named "All", the default name of the total group (total: is not written)',
    exitCode: 2,
    // The spec has no total: key, so the message points at the group whose name clashes.
    stderr: ({ spec }) =>
      `error: ${spec}:9:11 groups[1].name: the automatic total group is named "All", like one of the groups. Rename that group or set total: to another name.\n`,
  },
  {
    name: "did-unknown-group",
    what: "difference_in_differences.treated: Lazarsu",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:17:38 difference_in_differences.treated: "Lazarsu" is not one of the groups (Lazarus, Other). Did you mean "Lazarus"?\n`,
  },

  // ---- data file and columns -------------------------------------------------------------
  {
    name: "missing-data-file",
    what: "data.file names a file that exists neither beside the spec nor in the project root",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:3:9 data.file: data file "incidents-missing.csv" not found (looked for ${CASES_DIR}/missing-data-file/incidents-missing.csv and incidents-missing.csv). A relative path is read beside the spec, then from the project root.\n`,
  },
  {
    name: "data-file-is-a-folder",
    what: "data.file names a folder (an unreadable data file, whoever runs it)",
    generate: (dir) => {
      const spec = copyOfControl(dir);
      rmSync(join(dir, "data.csv"));
      mkdirSync(join(dir, "data.csv"));
      return spec;
    },
    exitCode: 3,
    // Before: "internal error: EISDIR: illegal operation on a directory, read" (exit 1).
    stderr: ({ spec }) => `error: ${spec}:3:9 data.file: "data.csv" is a folder, not a data file. Name the file itself (CSV, TSV, JSON, NDJSON or Parquet).\n`,
  },
  {
    name: "data-file-empty",
    what: "a data file of zero bytes",
    exitCode: 3,
    // Before: 'the date column "date" is not in data.csv; its columns are column0'.
    stderr: ({ spec }) => `error: ${spec}:3:9 data.file: the data file "data.csv" is empty (0 bytes). Check that it was downloaded or exported completely.\n`,
  },
  {
    name: "unknown-data-format",
    what: "data.file: data.txt, an extension that names no format",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:3:9 data.file: cannot tell the format of "data.txt" from its name. Set data.format to one of csv, tsv, json, ndjson, parquet (known extensions: .csv .tsv .json .ndjson .jsonl .parquet).\n`,
  },
  {
    name: "data-not-utf8",
    what: 'a CSV saved as Latin-1 ("Café Vault" on line 4)',
    exitCode: 3,
    // Before: "cannot read it as csv (Invalid Input Error: CSV Error on Line: 4). Check data.format, or that the file is csv."
    stderr: ({ data }) =>
      `error: ${data}: line 4 (data row 3) is not UTF-8 text (a byte such as Latin-1 "é" that UTF-8 does not allow). Save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv.\n`,
  },
  {
    name: "data-json-malformed",
    what: "a JSON array cut off in its second record",
    exitCode: 3,
    stderr: () =>
      `error: ${CASES_DIR}/data-json-malformed/data.json: cannot read it as json (Invalid Input Error: Malformed JSON in file "<root>/${CASES_DIR}/data-json-malformed/data.json", at byte 40 in record/value 3: unexpected end of data). Check data.format, or that the file is json.\n`,
  },
  {
    name: "missing-column",
    what: "data.columns.amount: amount, but the CSV has amount_usd",
    exitCode: 3,
    stderr: ({ spec, data }) =>
      `error: ${spec}:4:33 data.columns.amount: the amount column "amount" is not in ${data}; its columns are ${CSV_COLUMNS}. Did you mean "amount_usd"?\n`,
  },
  {
    name: "missing-group-column",
    what: "a group's where: names the column actr, but the CSV has actor",
    exitCode: 3,
    stderr: ({ spec, data }) =>
      `error: ${spec}:8:13 groups[0].where.actr: the group "Lazarus" column "actr" is not in ${data}; its columns are ${CSV_COLUMNS}. Did you mean "actor"?\n`,
  },
  {
    name: "no-usable-rows",
    what: "every date in the CSV is unparseable (03/01/2024, Jan 8 2024, 2024/01/18)",
    exitCode: 3,
    // The reasons rows were left out (normally warnings) are the explanation, so the error carries them.
    stderr: ({ data }) =>
      `error: ${data}: none of its 3 rows has a usable date and amount. ` +
      `3 row(s) left out: the date is not YYYY-MM-DD or an ISO 8601 timestamp ` +
      `(e.g. row 1 "Alpha Bridge" (date "03/01/2024", amount "1500000"); row 2 "Beta Swap" (date "Jan 8 2024", amount "250000"); row 3 "Delta Lend" (date "2024/01/18", amount "900000")). ` +
      `Check data.columns: it must name the columns that hold the dates (YYYY-MM-DD or ISO 8601) and the amounts.\n`,
  },
  {
    name: "data-header-only",
    what: "a CSV with its header line and no rows",
    exitCode: 3,
    // It used to say "none of its 0 rows has a usable date and amount. Check data.columns", which sent the user to the wrong place.
    stderr: ({ data }) =>
      `error: ${data}: it has no data rows (a CSV with only its header line, or an empty JSON array or table), so there is nothing to study. Add the incidents to it, or point the spec's data at the file or table that has them.\n`,
  },
  {
    name: "csv-bom",
    what: "a CSV that starts with a UTF-8 byte-order mark (Excel's 'CSV UTF-8'): read as if it had none",
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, UNKNOWN_AMOUNT_ROW_5),
    report: ({ results }) => expect(results.provenance).toMatchObject({ rowsRead: 6, rowsUsed: 6, rowsExcluded: 0 }),
  },
  {
    name: "csv-crlf",
    what: "a CSV with CRLF line ends: read as if it had LF",
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, UNKNOWN_AMOUNT_ROW_5),
    report: ({ results }) => {
      expect(results.provenance).toMatchObject({ rowsRead: 6, rowsUsed: 6, rowsExcluded: 0 });
      // No "\r" left on the last column: the Lazarus rule (actor = lazarus) still matches its rows in the windows.
      const lazarus = find({ results, html: "", index: "", stdout: "" }, "Lazarus", "daily_incidents");
      expect([lazarus.pre.incidents, lazarus.post.incidents]).toEqual([1, 1]);
    },
  },
  {
    name: "csv-unclosed-quote",
    what: 'a field that opens a quote and never closes it ("Alpha Bridge,lazarus)',
    exitCode: 3,
    // Before: 'cannot read it as csv (Invalid Input Error: Error when sniffing file "<root>/.../data.csv"). Check data.format, or that the file is csv.'
    // Proposed on top (src/data): name the first line with an odd number of quotes (here line 2).
    stderr: ({ data }) =>
      `error: ${data}: cannot make out its rows as CSV: usually a quote that opens a field and never closes it (e.g. "Alpha Bridge,lazarus), or a line break inside an unquoted field. Close the quote or quote the whole field; a quote inside a quoted field is written twice ("").\n`,
  },
  {
    name: "csv-ragged-row",
    what: "row 2 has 2 fields, row 3 has 6, the header 4: both left out, with a warning naming them, and the other rows keep their numbers",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(
        spec,
        '2 row(s) left out: the row has more or fewer fields than the header (usually a comma or a line break inside an unquoted field: quote that field) (e.g. row 2 (date "2024-01-08", amount "250000"); row 3 "Gamma Vault" (date "2024-01-12", amount "40000")).',
        UNKNOWN_AMOUNT_ROW_5,
        // Lazarus's rows in the windows are row 3 (left out) and row 5 (no amount).
        'group "Lazarus" has no loss in either window (its 1 incident(s) there have unknown amounts): there is no loss to compare, so its loss tests are not computed and its loss verdict is undetermined; its incident counts are tested as usual.',
      ),
    report: ({ results }) => expect(results.provenance).toMatchObject({ rowsRead: 6, rowsUsed: 4, rowsExcluded: 2 }),
  },
  {
    name: "dates-wrong-formats",
    what: "dates written 01/08/2024, Jan 12 2024 and 2024/01/22, and one missing: those rows are left out, with a warning each",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(
        spec,
        '1 row(s) left out: the date is empty (e.g. row 6 "Eta Farm" (date "", amount "5000")).',
        '3 row(s) left out: the date is not YYYY-MM-DD or an ISO 8601 timestamp (e.g. row 2 "Beta Swap" (date "01/08/2024", amount "250000"); row 3 "Gamma Vault" (date "Jan 12 2024", amount "40000"); row 5 "Epsilon DEX" (date "2024/01/22", amount "700")).',
        nothingInWindows("Lazarus"),
      ),
    report: ({ results }) => expect(results.provenance).toMatchObject({ rowsRead: 7, rowsUsed: 3, rowsExcluded: 4 }),
  },
  {
    name: "amounts-not-plain-numbers",
    what: 'amounts NaN, "1,000", $5M and -250000: left out, with the reason and the rows',
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(
        spec,
        '3 row(s) left out: the amount is not a plain number (no currency signs, commas or words; NaN and infinity are not amounts) (e.g. row 2 "Beta Swap" (date "2024-01-08", amount "NaN"); row 3 "Gamma Vault" (date "2024-01-12", amount "1,000"); row 4 "Delta Lend" (date "2024-01-18", amount "$5M")).',
        '1 row(s) left out: the amount is negative (e.g. row 5 "Epsilon DEX" (date "2024-01-22", amount "-250000")).',
        // Rows 1 and 6, the only ones left, are dated before and after the windows.
        "no group has an incident in either window (pre 2024-01-06 to 2024-01-15, post 2024-01-16 to 2024-01-25): there is nothing to compare, so no test is computed and every verdict is undetermined. Check the event date and the windows against the dates in the data.",
      ),
    report: ({ results }) => expect(results.provenance).toMatchObject({ rowsRead: 6, rowsUsed: 2, rowsExcluded: 4 }),
  },
  {
    name: "amount-1e300",
    what: "two amounts of 1e300 (a finite double whose square overflows)",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(
        spec,
        '2 row(s) left out: the amount is above 1e15 (a thousand trillion), more than any loss; check the amount column\'s unit (e.g. row 2 "Beta Swap" (date "2024-01-08", amount "1e300"); row 6 "Zeta Pool" (date "2024-01-27", amount "1e300")).',
      ),
  },
  {
    name: "date-outside-coverage",
    what: "rows dated 2023-12-15 and 2024-02-27, outside the declared coverage 2024-01-01..2024-01-31",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(
        spec,
        '2 row(s) are dated outside coverage 2024-01-01..2024-01-31 and are in no window, placebo date or chart (e.g. row 1 "Early Bridge" (date "2023-12-15", amount "1500000"); row 6 "Late Pool" (date "2024-02-27", amount "12000")). Widen coverage if the data is complete on those days.',
      ),
  },
  {
    name: "duplicate-rows",
    what: "one row three times: the later two are left out, with a warning",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(
        spec,
        '2 row(s) left out: an exact duplicate of an earlier row (data.duplicates is "drop") (e.g. row 3 "Beta Swap" (date "2024-01-08", amount "250000"); row 7 "Beta Swap" (date "2024-01-08", amount "250000")).',
      ),
    report: ({ results }) => expect(results.provenance).toMatchObject({ rowsRead: 8, rowsUsed: 6, rowsExcluded: 2 }),
  },

  // ---- coverage and windows ------------------------------------------------------------------
  {
    name: "event-outside-coverage",
    what: "event on 2024-03-01, coverage 2024-01-01..2024-01-31",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:11:15 event.date: the event (2024-03-01) is outside the data's coverage 2024-01-01..2024-01-31. Choose an event inside it, or widen the spec's coverage (coverage: {start, end}) if the data covers more.\n`,
  },
  {
    name: "event-outside-data",
    what: "no coverage declared, event 2024-03-05 after the last incident (2024-01-27)",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:10:15 event.date: the event (2024-03-05) is outside the data's coverage 2024-01-03..2024-01-27 (inferred from the first and last incident). Choose an event inside it, or widen the spec's coverage (coverage: {start, end}) if the data covers more.\n`,
  },
  {
    name: "window-outside-coverage",
    what: "pre window 2023-11-01..2023-11-30, coverage from 2024-01-01: empty after clipping",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:13:8 windows.pre: the pre window 2023-11-01..2023-11-30 has no day inside the data's coverage 2024-01-01..2024-01-31. Move or shorten the window, or widen the spec's coverage (coverage: {start, end}) if the data covers more.\n`,
  },
  {
    name: "empty-post-window",
    what: "gap.after: 20 pushes the 10-day post window past the end of coverage",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:14:9 windows.post: the post window 2024-02-05..2024-02-14 has no day inside the data's coverage 2024-01-01..2024-01-31. Move or shorten the window, or widen the spec's coverage (coverage: {start, end}) if the data covers more.\n`,
  },

  // ---- groups and degenerate data: the run continues and says what it found ----------------
  {
    name: "group-matches-no-rows",
    what: 'where: {actor: "Lazarus Group"} but the data says "lazarus"',
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, UNKNOWN_AMOUNT_ROW_5, `group "Lazarus" has no incidents in the data after filters; check its rule's column values.`),
    report: (report) => expect(find(report, "Lazarus", "daily_incidents").pre.incidents + find(report, "Lazarus", "daily_incidents").post.incidents).toBe(0),
  },
  {
    // The engine's rule (README, groups): a row belongs to the first group whose rule matches.
    // Rows 1 and 5 (actor lazarus, country kp) match both DPRK and Lazarus: they count in DPRK.
    name: "groups-claim-same-row",
    what: "two rows match both DPRK (country: kp) and Lazarus (actor: lazarus): the first group listed wins",
    exitCode: 0,
    stderr: () => "",
    report: (report) => {
      expect(find(report, "DPRK", "daily_incidents").pre.incidents).toBe(1);
      expect(find(report, "DPRK", "daily_incidents").post.incidents).toBe(2);
      expect(find(report, "Lazarus", "daily_incidents").pre.incidents).toBe(1);
      expect(find(report, "Lazarus", "daily_incidents").post.incidents).toBe(0);
      expect(report.html).toContain("assigned to the first group whose rule it matches");
    },
    // The behaviour is the documented rule (README, spec keys: "a row belongs to the first group that matches"), and the report states it.
  },
  {
    name: "all-zero-group",
    what: "every Lazarus amount is 0: the relative change has no baseline and says so (never Infinity); its loss is not tested, with a warning",
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, ALL_ZERO_LAZARUS),
    report: (report) => expect(find(report, "Lazarus", "daily_loss").change).toEqual({ absolute: 0, relative: null, relativeNote: messages.relativeChangeUndefined() }),
  },
  {
    name: "all-zero-group-charts",
    folder: "all-zero-group",
    what: "the charts of a group whose losses are all zero have no NaN on their axes",
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, ALL_ZERO_LAZARUS),
    report: ({ html }) => expect(html).not.toMatch(/NaN|Infinity/),
  },
  {
    name: "zero-variance",
    what: "one $1,000 incident every day: both windows constant; the tests that divide by the variance say they are undefined",
    exitCode: 0,
    // Other's one row is 2024-01-31, after the post window.
    stderr: ({ spec }) => warning(spec, nothingInWindows("Other")),
    report: (report) => {
      const welch = find(report, "Lazarus", "daily_loss").tests.find((test) => test.method === "welch_t");
      expect(welch).toMatchObject({ statistic: null, note: "both windows have constant daily values, so the t statistic is undefined" });
    },
  },
  {
    name: "single-incident",
    what: "the whole data file is one incident",
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, `group "Other" has no incidents in the data after filters; check its rule's column values.`),
    report: (report) => {
      expect(find(report, "Lazarus", "daily_incidents").pre.incidents).toBe(1);
      expect(find(report, "Lazarus", "daily_incidents").post.incidents).toBe(0);
    },
  },
  {
    name: "hostile-names",
    what: "<script>, quotes and newlines in the title, group names, event label, incident names and URLs: shown as text, never run",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(spec, '1 incident(s) have an unknown amount (empty): they count as incidents but add nothing to daily losses, so losses are a lower bound (e.g. row 5 "</td></tr><script>alert(6)</script>" (date "2024-01-22", amount "")).'),
    report: ({ html, index }) => {
      for (const page of [html, index]) {
        expect(page).not.toContain("<script");
        expect(page).not.toContain("<img");
        expect(page).not.toMatch(/href="javascript:/i);
      }
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).toContain("&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(6)&lt;/script&gt;");
      expect(index).toContain("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;");
    },
  },

  {
    name: "hostile-names-stdout",
    folder: "hostile-names",
    what: "a group name with a newline prints as one line on stdout",
    exitCode: 0,
    stderr: ({ spec }) =>
      warning(spec, '1 incident(s) have an unknown amount (empty): they count as incidents but add nothing to daily losses, so losses are a lower bound (e.g. row 5 "</td></tr><script>alert(6)</script>" (date "2024-01-22", amount "")).'),
    // Every line is the study's line, an indented headline, or the indented "what moved".
    report: ({ stdout }) => expect(stdout.split("\n").filter((line) => line !== "" && !line.startsWith("  ") && !line.includes(" -> "))).toEqual([]),
  },

  // ---- the previous report --------------------------------------------------------------------
  {
    name: "history-line-not-an-entry",
    what: 'the previous history.jsonl holds a JSON line that is not a run ({"previous": true}, e.g. hand-edited or from another tool)',
    prepare: (tmp) => writeFileSync(join(tmp, "reports", "spec", "history.jsonl"), '{"previous": true}\n'),
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, UNKNOWN_AMOUNT_ROW_5),
  },

  {
    name: "reports-folder-foreign-results",
    folder: "valid-control",
    what: "another folder in reports/ holds a results.json of another shape (an older engine, another tool)",
    prepare: (tmp) => writeTree(join(tmp, "reports"), { "old-study/results.json": '{"previous": true}\n' }),
    exitCode: 0,
    stderr: ({ spec }) => warning(spec, UNKNOWN_AMOUNT_ROW_5),
  },

  // ---- column values (groups and filters) ----------------------------------------------------
  {
    name: "only-otherwise-group",
    what: "groups: [{name: Everyone, otherwise: true}] alone (what eventstudy init writes for data without a group column)",
    exitCode: 0,
    // Before: "cannot read it as csv (... Parser Error: syntax error at or near "ELSE")", exit 3.
    stderr: ({ spec }) => warning(spec, UNKNOWN_AMOUNT_ROW_5),
    report: (report) => {
      expect(report.results.results.map((item) => item.group)).toEqual(["Everyone", "Everyone"]);
      // The four rows dated in the windows (2024-01-06..25).
      expect(find(report, "Everyone", "daily_incidents").pre.incidents + find(report, "Everyone", "daily_incidents").post.incidents).toBe(4);
    },
  },
  {
    name: "group-values-empty-list",
    what: "where: {actor: []}: a group whose rule lists no values",
    exitCode: 2,
    // Before: validate said valid, and run failed with "syntax error at or near ")"" blamed on the data file (exit 3).
    stderr: ({ spec }) => `error: ${spec}:8:20 groups[0].where.actor: has 0 item(s); list at least 1.\n`,
  },
  {
    name: "filter-values-empty-list",
    what: "data.filters.exclude: {actor: []}: a filter that lists no values",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:6:22 data.filters.exclude.actor: has 0 item(s); list at least 1.\n`,
  },
  {
    name: "group-value-with-spaces",
    what: 'where: {actor: [apt38, "lazarus "]}: a value with a space after it, which the (trimmed) data never equals',
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:8:28 groups[0].where.actor[1]: "lazarus " has spaces at the start or end. Column values are compared with the data's spaces at both ends removed, so it would match no row. Write "lazarus".\n`,
  },
  {
    name: "data-values-spaced",
    what: 'a CSV written "a, b, c" (a space after each comma), one actor with a space after it too: values compared trimmed',
    exitCode: 0,
    // Before: every row went to Other (" lazarus" is not "lazarus"), without a warning.
    stderr: () => "",
    report: (report) => {
      // In the windows (2024-01-06..25): Gamma Vault and Epsilon DEX are Lazarus, Beta Swap and Delta Lend Other.
      const lazarus = find(report, "Lazarus", "daily_incidents");
      expect([lazarus.pre.incidents, lazarus.post.incidents]).toEqual([1, 1]);
      const other = find(report, "Other", "daily_incidents");
      expect([other.pre.incidents, other.post.incidents]).toEqual([1, 1]);
    },
  },
  {
    name: "ndjson-mixed-types",
    what: "NDJSON whose actor, date and amount keys mix strings, numbers and nulls (DuckDB types those columns JSON)",
    exitCode: 0,
    // Before: "lazarus" was read with its quotes and matched nothing, and every date was
    // unreadable: "none of its 6 rows has a usable date", examples shown as "\"2024-01-03\"".
    stderr: ({ spec }) =>
      warning(spec, '1 row(s) left out: the date is not YYYY-MM-DD or an ISO 8601 timestamp (e.g. row 3 "Gamma Vault" (date "20240112", amount "40000")).'),
    report: (report) => {
      expect(report.results.provenance).toMatchObject({ rowsRead: 6, rowsUsed: 5, rowsExcluded: 1 });
      // In the windows (2024-01-06..25): Epsilon DEX is Lazarus (Gamma Vault's date is the bad one); Beta Swap (actor 38) and Delta Lend are Other.
      expect([find(report, "Lazarus", "daily_incidents").pre.incidents, find(report, "Lazarus", "daily_incidents").post.incidents]).toEqual([0, 1]);
      expect([find(report, "Other", "daily_incidents").pre.incidents, find(report, "Other", "daily_incidents").post.incidents]).toEqual([1, 1]);
    },
  },

  {
    name: "data-date-far-past",
    what: "no coverage declared and one row dated 0001-01-27 (a typo): the inferred coverage would span 2,000 years",
    exitCode: 3,
    // Before: a 738,881-day daily series, ~12 s and 1.4 GB for 6 rows, and a report of it.
    // 738,881 days, both ends counted: python3 -c "import datetime; print((datetime.date(2024, 1, 22) - datetime.date(1, 1, 27)).days + 1)"
    stderr: ({ data }) =>
      `error: ${data}: its dates run from 0001-01-27 to 2024-01-22, 738,881 days, more than the 36,600 (100 years) coverage may span; a date that far out is usually a typo: 0001-01-27 is the date of row 6. Fix the date, or declare coverage: {start: YYYY-MM-DD, end: YYYY-MM-DD} in the spec (rows outside it are then left out with a warning).\n`,
  },

  {
    name: "data-date-far-past-filtered",
    what: "the same typo in a row that data.filters leave out (the extent counts it, the examples list only used rows)",
    exitCode: 3,
    // Before this case: "... is the date of . Fix the date ..." (an empty list of rows).
    stderr: ({ data }) =>
      `error: ${data}: its dates run from 0001-01-27 to 2024-01-22, 738,881 days, more than the 36,600 (100 years) coverage may span; a date that far out is usually a typo: 0001-01-27 is the date of a row that data.filters leave out. Fix the date, or declare coverage: {start: YYYY-MM-DD, end: YYYY-MM-DD} in the spec (rows outside it are then left out with a warning).\n`,
  },
  {
    name: "variant-event-outside-coverage",
    what: "the event lies outside the coverage of the second of two variants only",
    exitCode: 3,
    // Before: the same message without the variant, pointing at the event line that is right in the first variant.
    stderr: ({ spec }) =>
      `error: ${spec}:11:15 event.date: the event (2024-01-16) is outside the data's coverage 2024-01-20..2024-01-31. Choose an event inside it, or widen the spec's coverage (coverage: {start, end}) if the data covers more. (in the event "the event", variant "Second half only", one of the 2 events and variants of this spec)\n`,
  },

  // ---- encodings and Excel's CSV dialects ----------------------------------------------------
  {
    name: "data-utf16",
    what: "a CSV saved as UTF-16 with a byte-order mark (Excel's \"Unicode Text\")",
    exitCode: 3,
    // Before: the date column "date" is not in data.csv; its columns are  2 0 2 4 - 0 1 - 0 3 , ... (the header lost, every character apart).
    stderr: ({ data }) => `error: ${data}: is UTF-16 text, which the engine does not read: save it as UTF-8 (in Excel: "CSV UTF-8"), e.g. iconv -f utf-16 -t utf-8 in.csv > out.csv.\n`,
  },
  {
    name: "data-utf16-no-bom",
    what: "a CSV saved as UTF-16 little-endian without a byte-order mark",
    exitCode: 3,
    // Before: the date column "date" is not in data.csv; its columns are d a t e ,  a m o u n t _ u s d , ...
    stderr: ({ data }) => `error: ${data}: is UTF-16 text, which the engine does not read: save it as UTF-8 (in Excel: "CSV UTF-8"), e.g. iconv -f utf-16le -t utf-8 in.csv > out.csv.\n`,
  },
  {
    name: "ndjson-bom",
    what: "NDJSON that starts with a UTF-8 byte-order mark",
    exitCode: 3,
    // Before: cannot read it as ndjson (Invalid Input Error: Malformed JSON ... at byte 1 in line 2: byte order mark (BOM) is not supported).
    stderr: () =>
      `error: ${CASES_DIR}/ndjson-bom/data.ndjson: line 1 starts with a UTF-8 byte-order mark (bytes EF BB BF), which NDJSON does not allow. Save the file as UTF-8 without a BOM, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' "${CASES_DIR}/ndjson-bom/data.ndjson" (GNU sed).\n`,
  },
  {
    name: "csv-excel-sep-line",
    what: "a CSV whose line 1 is Excel's sep=, (the header is line 2)",
    exitCode: 3,
    // Before: the date column "date" is not in data.csv; its columns are sep=, column1.
    stderr: ({ data }) => `error: ${data}: line 1 is "sep=,", the line Excel writes to name the delimiter; the engine reads line 1 as the header. Delete that line.\n`,
  },
  {
    name: "csv-semicolons",
    what: "a .csv file delimited by semicolons (Excel's CSV in many European locales)",
    exitCode: 3,
    // Before: the date column "date" is not in data.csv; its columns are date;amount_usd;name;actor. Did you mean "date;amount_usd;name;actor"?
    stderr: ({ data }) =>
      `error: ${data}: line 1 (the header) has no commas and 3 semicolons: the file looks delimited by ";" (Excel's CSV in many locales). The engine reads CSV with "," and TSV with tabs (data.format: csv or tsv; there is no other delimiter): save it comma-separated, or tab-separated as .tsv.\n`,
  },

  // ---- command line -------------------------------------------------------------------------
  {
    name: "usage-unknown-command",
    what: "runn instead of run",
    args: ({ spec, reports }) => ["runn", spec, "--reports", reports],
    exitCode: 64,
    stderr: () => `error: unknown command "runn". Did you mean "run"? The commands are: run, validate, diff, watch, init, data.\nRun eventstudy --help for usage.\n`,
  },
  {
    name: "usage-unknown-option",
    what: "--reprots instead of --reports, on an otherwise valid spec (valid-control)",
    // Run from inside the reports folder, so a report wrongly written to the default
    // reports/ folder shows up as a new entry there.
    cwdIsReports: true,
    args: ({ reports }) => ["run", join(PROJECT_ROOT, CASES_DIR, "valid-control", "spec.yaml"), "--reprots", reports],
    exitCode: 64,
    // A usage error stops before any study runs: nothing is written to ./reports either.
    stderr: () => `error: unknown option "--reprots". Did you mean "--reports"?\nRun eventstudy --help for usage.\n`,
  },
  {
    name: "usage-reports-without-folder",
    what: "--reports last on the line, with no folder after it (yargs gave it its default, reports/, without a word)",
    cwdIsReports: true,
    args: () => ["run", join(PROJECT_ROOT, CASES_DIR, "valid-control", "spec.yaml"), "--reports"],
    exitCode: 64,
    stderr: () => "error: --reports needs a folder after it, e.g. --reports reports.\nRun eventstudy --help for usage.\n",
  },
  {
    name: "usage-reports-empty",
    what: "--reports= (an empty folder name)",
    cwdIsReports: true,
    args: () => ["run", join(PROJECT_ROOT, CASES_DIR, "valid-control", "spec.yaml"), "--reports="],
    exitCode: 64,
    stderr: () => "error: --reports needs a folder after it, e.g. --reports reports.\nRun eventstudy --help for usage.\n",
  },
  {
    name: "usage-validate-nothing",
    what: "validate with no spec named (yargs said 'Not enough non-option arguments: got 0, need at least 1')",
    args: () => ["validate"],
    exitCode: 64,
    stderr: () => "error: validate needs the spec files to check, e.g. eventstudy validate analyses/my-study.yaml.\nRun eventstudy --help for usage.\n",
  },
  {
    name: "usage-diff-nothing",
    what: "diff with no study named",
    args: () => ["diff"],
    exitCode: 64,
    stderr: () => "error: diff needs the study: its spec file or its folder name in reports/, e.g. eventstudy diff my-study.\nRun eventstudy --help for usage.\n",
  },
  {
    name: "usage-init-nothing",
    what: "init with no data file named",
    args: () => ["init"],
    exitCode: 64,
    stderr: () => "error: init needs the data file to inspect, e.g. eventstudy init data/hacks.csv.\nRun eventstudy --help for usage.\n",
  },
  {
    name: "usage-data-nothing",
    what: "data with no action named",
    args: () => ["data"],
    exitCode: 64,
    stderr: () => "error: data needs its action: eventstudy data build.\nRun eventstudy --help for usage.\n",
  },
];

/**
 * The CLI as a child process, at most PARALLEL at a time: the cases run concurrently (each
 * is mostly Node starting up and DuckDB reading), which roughly halves the file's time.
 */
const PARALLEL = 3;
let running = 0;
const waiting: Array<() => void> = [];

async function runCliAsync(args: readonly string[], cwd: string): Promise<CliResult> {
  if (running < PARALLEL) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin", "eventstudy.js"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      child.on("error", reject);
      child.on("close", (status, signal) => {
        clearTimeout(timer);
        resolve({ status, signal, stdout, stderr });
      });
    });
  } finally {
    // Hand the slot to the next waiting case, or give it back.
    const next = waiting.shift();
    if (next !== undefined) next();
    else running -= 1;
  }
}

describe("CLI: bad inputs give one clear message, the right exit code, and never lose a report", () => {
  beforeAll(() => {
    buildCli();
  }, 300_000);

  /** `<tmp>` with `reports/` (the previous reports) and a file beside it; the caller removes it. */
  function prepareTmp(): { tmp: string; reports: string } {
    const tmp = makeTempDir("eventstudy-bad-inputs-");
    const reports = join(tmp, "reports");
    writeTree(reports, PREVIOUS_REPORTS);
    writeFileSync(join(tmp, OUTSIDE_FILE), "a file beside the reports folder\n");
    return { tmp, reports };
  }

  it("has at least 40 cases, each with its own name", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((item) => item.name)).size).toBe(cases.length);
  });

  it("the corpus files hold the exact bytes the cases are about (git must not convert them; see .gitattributes)", () => {
    const bytes = (name: string, file = "data.csv"): Buffer => readFileSync(join(PROJECT_ROOT, CASES_DIR, name, file));
    expect([...bytes("csv-bom").subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes("csv-crlf").toString("latin1")).toMatch(/^[^\n]*\r\n/);
    expect(bytes("data-not-utf8").includes(0xe9)).toBe(true);
    expect(bytes("spec-not-utf8", "spec.yaml").includes(0xe9)).toBe(true);
    expect(bytes("data-file-empty").length).toBe(0);
    expect([...bytes("data-utf16").subarray(0, 4)]).toEqual([0xff, 0xfe, 0x64, 0x00]);
    expect([...bytes("data-utf16-no-bom").subarray(0, 4)]).toEqual([0x64, 0x00, 0x61, 0x00]);
    expect([...bytes("ndjson-bom", "data.ndjson").subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x7b]);
  });

  for (const item of cases) {
    // BAD_INPUTS_PENDING=run shows what a pending case gets wrong today (it then fails).
    const test = item.pending === undefined || process.env.BAD_INPUTS_PENDING === "run" ? it.concurrent : it.concurrent.fails;
    test(`${item.name}: ${item.what}${item.pending === undefined ? "" : " [pending: the engine does not do this yet]"}`, async ({ expect }) => {
      const { tmp, reports } = prepareTmp();
      try {
        await runCase(item, tmp, reports, expect);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }, 180_000);
  }

  /** Runs one case in `<tmp>` and checks it with the test's own `expect` (the cases run concurrently). */
  async function runCase(item: BadInputCase, tmp: string, reports: string, expect: ExpectStatic): Promise<void> {
    const folder = item.folder ?? item.name;
    const absoluteSpec = item.generate?.(join(tmp, "case")) ?? join(PROJECT_ROOT, CASES_DIR, folder, "spec.yaml");
    item.prepare?.(tmp);
    const spec = item.generate === undefined ? `${CASES_DIR}/${folder}/spec.yaml` : absoluteSpec;
    const args = item.args?.({ spec, data: "", reports, absoluteSpec, tmp }) ?? ["run", spec, "--reports", reports];
    const before = snapshotTree(tmp);
    const historyFile = join(reports, "spec", "history.jsonl");
    const previousHistory = readFileSync(historyFile, "utf8");

    const result = await runCliAsync(args, item.cwdIsReports === true ? reports : PROJECT_ROOT);
    const normalize = (text: string): string => normalizePaths(text, { [PROJECT_ROOT]: "<root>", [tmp]: "<tmp>" });
    const paths: Paths = { spec: normalize(spec), data: `${CASES_DIR}/${folder}/data.csv`, reports: "<tmp>/reports" };

    // (a) the exact message, no stack trace; (b) the exit code.
    expect.soft(normalize(result.stderr), "stderr").toBe(item.stderr(paths));
    expect.soft(result.status, "exit code").toBe(item.exitCode);
    const after = snapshotTree(tmp);
    if (item.exitCode !== 0) {
      // (c) a failed run leaves everything as it was, byte for byte.
      expect.soft(after, "the temporary folder (reports/ and beside it) after the run").toEqual(before);
      expect.soft(result.stdout, "stdout").toBe("");
      return;
    }
    // (c) a run that continues replaces only its own report (and the list of studies).
    const changed = Object.keys({ ...before, ...after }).filter((path) => before[path] !== after[path]);
    expect.soft(changed.filter((path) => !path.startsWith("reports/spec/") && path !== "reports/index.html"), "changed outside reports/spec/").toEqual([]);
    const history = readFileSync(historyFile, "utf8");
    expect.soft(history.startsWith(previousHistory), "history.jsonl keeps the previous lines").toBe(true);
    expect.soft(history.slice(previousHistory.length), "history.jsonl: one line added").toMatch(/^\{[^\n]*\}\n$/);
    // (d) every warning printed is in results.json and in the report.
    const results = JSON.parse(readFileSync(join(reports, "spec", "results.json"), "utf8")) as ResultsLike;
    const html = readFileSync(join(reports, "spec", "index.html"), "utf8");
    const printed = normalize(result.stderr)
      .split("\n")
      .filter(Boolean)
      .map((line) => line.replace(`warning: ${paths.spec}: `, ""));
    expect.soft(results.warnings.map((entry) => entry.message), "results.json warnings").toEqual(printed);
    for (const message of printed) expect.soft(html, "the report lists the warning").toContain(escapeHtml(message));
    expect.soft(result.stdout, "stdout").toContain(`spec/index.html (${printed.length} warning(s))`);
    item.report?.({ results, html, index: readFileSync(join(reports, "index.html"), "utf8"), stdout: result.stdout });
  }

  // The harness itself: a valid spec run the same way does replace the previous report,
  // atomically, so the "untouched" checks above can fail.
  it("valid-control: a valid spec replaces the previous report, appends to its history and leaves nothing else but the studies index", () => {
    const { tmp, reports } = prepareTmp();
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
    const before = snapshotTree(tmp);
    const result = runCli(["run", `${CASES_DIR}/valid-control/spec.yaml`, "--reports", reports]);
    expect(result.status, result.stderr).toBe(0);
    const after = snapshotTree(tmp);
    expect(after["reports/spec/index.html"]).toBeDefined();
    expect(after["reports/spec/index.html"]).not.toBe(before["reports/spec/index.html"]);
    expect(after["reports/spec/results.json"]).not.toBe(before["reports/spec/results.json"]);
    expect(readFileSync(join(reports, "spec", "history.jsonl"), "utf8")).toMatch(new RegExp(`^${PREVIOUS_HISTORY.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\{.*\\}\\n$`));
    expect(after["reports/another-study/index.html"]).toBe(before["reports/another-study/index.html"]);
    expect(after[OUTSIDE_FILE]).toBe(before[OUTSIDE_FILE]);
    // Besides the report folders, only reports/index.html (the list of studies) is written.
    expect(Object.keys(after).filter((path) => !path.startsWith("reports/spec/") && !path.startsWith("reports/another-study/") && !(path in before))).toEqual(["reports/index.html"]);
  });
});
