// Bad inputs through the real CLI: for each broken spec, data file or command line in
// test/cli/bad-inputs/<case>/, the run must print exactly one clear message (the place:
// file:line:col or the data file; the bad value; the fix), exit with the documented code
// (README.md and src/errors.ts: 2 invalid spec, 3 bad data, 64 usage) and leave the reports folder
// exactly as it was: no report written or replaced, no staging folder left behind.
//
// The expected messages are the ones the engine SHOULD print. Where that differs from
// what it printed when this file was written, the case says so in a comment ("engine
// prints ..."); such a test fails until the engine is fixed.
//
// Each case runs `node bin/eventstudy.js run test/cli/bad-inputs/<case>/spec.yaml
// --reports <tmp>` from the project root, where <tmp> already holds a previous report
// for the study (reports are named after the spec's base name, here "spec") and one for
// another study. Absolute paths in messages are written <root> (project root) and <tmp>.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCli, makeTempDir, normalizePaths, PROJECT_ROOT, runCli, snapshotTree, writeTree } from "./run-cli.js";

const CASES_DIR = "test/cli/bad-inputs";

/** A report from an earlier, successful run, which a failing run must not touch. */
const PREVIOUS_REPORTS: Record<string, string> = {
  "spec/index.html": "<!doctype html>\n<title>previous report</title>\n<p>written by an earlier run</p>\n",
  "spec/results.json": '{\n  "previous": true\n}\n',
  "spec/charts/pre-post-means.vl.json": '{"mark": "bar"}\n',
  "another-study/index.html": "<!doctype html>\n<title>another study</title>\n",
};

interface Paths {
  /** The case's spec, as given on the command line (relative to the project root). */
  spec: string;
  /** The case's data file, as the engine names it (relative to the project root). */
  data: string;
}

interface BadInputCase {
  /** The folder under test/cli/bad-inputs/. */
  name: string;
  /** What is wrong. */
  what: string;
  /** Command-line arguments; default `run <spec> --reports <tmp>`. */
  args?: (paths: Paths & { reports: string; absoluteSpec: string }) => string[];
  /** Run with the reports folder as the working directory (to catch writes to the default `reports/`). */
  cwdIsReports?: boolean;
  exitCode: number;
  /** The whole of stderr. */
  stderr: (paths: Paths) => string;
}

const YAML_FIX = "Fix the YAML at that place (indent with spaces, close every quote).";
const TOP_LEVEL_KEYS = "$schema, extends, title, description, data, coverage, groups, total, event, events, windows, variants, metrics, tests, difference_in_differences, robustness, output";
const DATA_KEYS = "file, format, columns, timezone, missing_amount, zero_amount_is_unknown, duplicates, filters";
const CSV_COLUMNS = "date, amount_usd, name, actor";

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

  // ---- schema: keys, types, ranges, patterns --------------------------------------------
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
    name: "wrong-type",
    what: 'windows.pre.days: "thirty"',
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:14:11 windows.pre.days: "thirty" is the wrong type: expected whole number.\n`,
  },
  {
    name: "out-of-range",
    what: "windows.pre.days: -30",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:14:11 windows.pre.days: -30 is out of range: it must be at least 1.\n`,
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
    name: "window-reversed",
    what: "windows.pre from 2024-01-10 to 2024-01-01",
    exitCode: 2,
    stderr: ({ spec }) => `error: ${spec}:13:33 windows.pre.end: windows.pre ends (2024-01-01) before it starts (2024-01-10). Swap the dates.\n`,
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

  // ---- data file and columns -------------------------------------------------------------
  {
    name: "missing-data-file",
    what: "data.file names a file that exists neither beside the spec nor in the project root",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:3:9 data.file: data file "incidents-missing.csv" not found (looked for ${CASES_DIR}/missing-data-file/incidents-missing.csv and incidents-missing.csv). A relative path is read beside the spec, then from the project root.\n`,
  },
  {
    name: "unknown-data-format",
    what: "data.file: data.txt, an extension that names no format",
    exitCode: 2,
    stderr: ({ spec }) =>
      `error: ${spec}:3:9 data.file: cannot tell the format of "data.txt" from its name. Set data.format to one of csv, tsv, json, ndjson, parquet (known extensions: .csv .tsv .json .ndjson .jsonl .parquet).\n`,
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

  // ---- coverage ---------------------------------------------------------------------------
  {
    name: "event-outside-coverage",
    what: "event on 2024-03-01, coverage 2024-01-01..2024-01-31",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:11:15 event.date: the event (2024-03-01) is outside the data's coverage 2024-01-01..2024-01-31. Choose an event inside it, or extend coverage: if the data covers more.\n`,
  },
  {
    name: "window-outside-coverage",
    what: "pre window 2023-11-01..2023-11-30, coverage from 2024-01-01: empty after clipping",
    exitCode: 3,
    stderr: ({ spec }) =>
      `error: ${spec}:13:8 windows.pre: the pre window 2023-11-01..2023-11-30 has no day inside the data's coverage 2024-01-01..2024-01-31. Move or shorten the window, or extend coverage: if the data covers more.\n`,
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
];

describe("CLI: bad inputs give one clear message, the right exit code and no report", () => {
  const tempDirs: string[] = [];

  beforeAll(() => {
    buildCli();
  }, 300_000);

  afterEach(() => {
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function prepareReports(): { reports: string; before: Record<string, string> } {
    const reports = makeTempDir("eventstudy-bad-inputs-");
    tempDirs.push(reports);
    writeTree(reports, PREVIOUS_REPORTS);
    return { reports, before: snapshotTree(reports) };
  }

  it("has at least 20 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((item) => item.name)).size).toBe(cases.length);
  });

  for (const item of cases) {
    it(`${item.name}: ${item.what}`, () => {
      const { reports, before } = prepareReports();
      const spec = `${CASES_DIR}/${item.name}/spec.yaml`;
      const paths = { spec, data: `${CASES_DIR}/${item.name}/data.csv` };
      const args = item.args?.({ ...paths, reports, absoluteSpec: join(PROJECT_ROOT, spec) }) ?? ["run", spec, "--reports", reports];

      const result = runCli(args, { cwd: item.cwdIsReports === true ? reports : PROJECT_ROOT });
      const stderr = normalizePaths(result.stderr, { [PROJECT_ROOT]: "<root>", [reports]: "<tmp>" });

      // (a) the exact message, (b) the exit code, (c) the reports folder untouched.
      expect.soft(stderr, "stderr").toBe(item.stderr(paths));
      expect.soft(result.status, "exit code").toBe(item.exitCode);
      expect.soft(snapshotTree(reports), "reports folder after the run").toEqual(before);
      expect.soft(result.stdout, "stdout").toBe("");
    });
  }

  // The harness itself: a valid spec run the same way does replace the previous report,
  // atomically, so the "untouched" checks above can fail.
  it("valid-control: a valid spec replaces the previous report and leaves nothing else but the studies index", () => {
    const { reports, before } = prepareReports();
    const result = runCli(["run", `${CASES_DIR}/valid-control/spec.yaml`, "--reports", reports]);
    expect(result.status, result.stderr).toBe(0);
    const after = snapshotTree(reports);
    expect(after["spec/index.html"]).toBeDefined();
    expect(after["spec/index.html"]).not.toBe(before["spec/index.html"]);
    expect(after["spec/results.json"]).not.toBe(before["spec/results.json"]);
    expect(after["another-study/index.html"]).toBe(before["another-study/index.html"]);
    // Besides the report folders, only reports/index.html (the list of studies) is written.
    expect(Object.keys(after).filter((path) => !path.startsWith("spec/") && !path.startsWith("another-study/"))).toEqual(["index.html"]);
  });
});
