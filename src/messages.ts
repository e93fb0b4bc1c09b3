/**
 * Every user-facing sentence the engine prints, as functions, so that each names the
 * place, the value and the fix in one consistent voice, and tests can assert the exact
 * text. Spec messages are prefixed with `file:line:col path:` by `located`.
 */
import { formatDay, type DayNumber, type DayRange } from "./util/days.js";
import type { SpecPath, YamlSource } from "./spec/yaml-source.js";

export interface ValueDescription {
  text: string;
}

/** The pattern of event and variant identifiers (they name report folders). */
const IDENTIFIER_PATTERN = "^[a-z0-9][a-z0-9-]*$";
const list = (items: readonly unknown[]): string => items.map((item) => JSON.stringify(item)).join(", ");
const didYouMean = (suggestion: string | undefined): string => (suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`);

export function formatSpecPath(path: SpecPath): string {
  return path.reduce<string>((text, segment) => (typeof segment === "number" ? `${text}[${segment}]` : text === "" ? segment : `${text}.${segment}`), "");
}

/**
 * " (e.g. a; b)" after a count, or nothing when no example was found (ClickHouse does not
 * list the copies `keep` kept: a table has no row order to name the later one by).
 */
function forExample(examples: readonly string[]): string {
  return examples.length === 0 ? "" : ` (e.g. ${examples.join("; ")})`;
}

export const messages = {
  // ---- spec: file and YAML ------------------------------------------------------------
  located(source: YamlSource, path: SpecPath, text: string, atKey = false): string {
    const at = source.locate(path, { key: atKey });
    const shownPath = at.path ?? path;
    const where = shownPath.length === 0 ? "" : ` ${formatSpecPath(shownPath)}:`;
    return `${at.file ?? source.file}:${at.line}:${at.col}${where} ${text}`;
  },
  specFileMissing: (file: string) => `${file}: spec file not found. Check the path, or list the specs with: ls analyses/`,
  specUnreadable: (file: string, reason: string) => `${file}: cannot read the spec (${reason}). Check the file's permissions.`,
  specEmpty: (file: string) => `${file}:1:1 the spec is empty. Start from analyses/dprk-russia-treaty-2024.yaml.`,
  specNotMapping: (file: string, kind: string) =>
    `${file}:1:1 the spec must be a mapping of keys (title:, data:, groups:, ...), not ${kind}.`,
  specNotUtf8: (file: string, line: number, col: number, byte: number) =>
    `${file}:${line}:${col} the spec is not valid UTF-8 text (byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} here). Save it as UTF-8, e.g. iconv -f latin1 -t utf-8.`,
  specIsFolder: (file: string) => `${file}: is a folder, not a spec file. Name a .yaml file, e.g. analyses/my-study.yaml.`,
  specNotRegularFile: (file: string) => `${file}: not a regular file (a device, pipe or socket). A spec must be a YAML file on disk.`,
  specTooLarge: (file: string, bytes: number, limit: string) =>
    `${file}: the spec is ${bytes.toLocaleString("en-US")} bytes, over the limit of ${limit} bytes. A spec holds settings, not data: put long lists in the data file.`,
  specNameNotAFolder: (file: string, name: string) =>
    `${file}: the report folder is named after the spec file, and "${name}" cannot name a folder inside the reports folder (it is empty, ".", ".." or starts with a dot). Rename the spec file, e.g. to my-study.yaml.`,
  yamlSyntax: (file: string, line: number, col: number, detail: string) =>
    `${file}:${line}:${col} YAML syntax error: ${firstLine(detail)}. Fix the YAML at that place (indent with spaces, close every quote).`,
  yamlUnclosedQuote: (file: string, line: number, col: number, quote: string) =>
    `${file}:${line}:${col} YAML syntax error: the quote ${quote} opened here is never closed. Close it on the same line, e.g. title: ${quote}My study${quote}.`,
  yamlDuplicateKey: (file: string, line: number, col: number, key: string, firstLine: number) =>
    `${file}:${line}:${col} YAML syntax error: the key "${key}" appears twice in the same mapping${firstLine > 0 ? ` (first on line ${firstLine})` : ""}. Keep only one of them.`,
  yamlAliasWithoutAnchor: (file: string, line: number, col: number, name: string) =>
    `${file}:${line}:${col} YAML error: the alias *${name} has no anchor &${name} before it. Define the anchor first, or write the value out.`,
  yamlAliasInsideItself: (file: string, line: number, col: number, name: string) =>
    `${file}:${line}:${col} YAML error: the alias *${name} is inside the value anchored as &${name}, so that value would contain itself. Write the value out.`,
  yamlAliases: (file: string, line: number, col: number, max: number) =>
    `${file}:${line}:${col} the YAML aliases (*name) expand to more than ${max} copies, starting with this one. Write the values out instead of nesting aliases.`,

  // ---- spec: schema ---------------------------------------------------------------------
  unknownKey: (key: string, known: readonly string[], suggestion: string | undefined) =>
    `unknown key "${key}".${didYouMean(suggestion)} Allowed here: ${known.join(", ")}.`,
  missingKey: (key: string, description: string | undefined) =>
    `missing required key "${key}"${description === undefined ? "" : ` (${firstLine(description)})`}. Add it.`,
  wrongType: (value: ValueDescription, expected: readonly string[]) =>
    `${value.text} is the wrong type: expected ${expected.join(" or ")}.`,
  notOneOf: (value: ValueDescription, allowed: readonly unknown[], suggestion: string | undefined) =>
    `${value.text} is not allowed.${didYouMean(suggestion)} Use one of: ${list(allowed)}.`,
  noBranchMatches: (branches: readonly string[]) => `expected ${branches.join(", or ")}.`,
  emptyString: () => `must not be empty. Write a name.`,
  badPattern: (value: ValueDescription, pattern: string) =>
    pattern.includes("\\d{4}-\\d{2}-\\d{2}")
      ? `${value.text} is not a date written YYYY-MM-DD. Write it like 2024-06-19.`
      : pattern === IDENTIFIER_PATTERN
        ? `${value.text} is not an identifier: use lowercase letters, digits and dashes, e.g. "treaty". It names a folder of the report, so it cannot hold "/", "." or spaces.`
        : `${value.text} does not match the pattern ${pattern}.`,
  outOfRange: (value: number, relation: string, limit: number) => `${value} is out of range: it must be ${relation} ${limit}.`,
  tooFewItems: (count: number, minimum: number) => `has ${count} item(s); list at least ${minimum}.`,
  tooManyItems: (count: number, maximum: number) =>
    `has ${count} items, more than the limit of ${maximum}. Remove some, or split the study into several spec files.`,

  // ---- spec: meaning --------------------------------------------------------------------
  notACalendarDate: (text: string) => `"${text}" is not a real calendar date. Check the month and day.`,
  unknownTimeZone: (zone: string) => `"${zone}" is not a known IANA time zone. Use a name like "UTC", "Asia/Seoul" or "America/New_York".`,
  rangeReversed: (what: string, start: string, end: string) => `${what} ends (${end}) before it starts (${start}). Swap the dates.`,
  preWindowTooLate: (end: string, eventDay: DayNumber, gapBefore: number) =>
    `the pre window ends on ${end}, which is not before the event${gapBefore > 0 ? "'s gap" : ""}. End it on ${formatDay(eventDay - gapBefore - 1)} or earlier.`,
  postWindowTooEarly: (start: string, eventDay: DayNumber, gapAfter: number) =>
    `the post window starts on ${start}, before the event${gapAfter > 0 ? "'s gap ends" : ""}. Start it on ${formatDay(eventDay + gapAfter)} or later.`,
  fileAndClickHouse: () => `write data.file (a file) or data.clickhouse (a ClickHouse table or query), not both.`,
  noDataSource: () => `the spec names no data. Add data.file: data/incidents.csv, or data.clickhouse: {table: db.incidents, connection: clickhouse.json}.`,
  clickHouseTableOrQuery: () => `name exactly one of table: (e.g. db.incidents) or query: (a SELECT) for the ClickHouse source.`,
  extendsNotAPath: (value: unknown) =>
    `${JSON.stringify(value)} is not a file path. Write the spec to inherit from as a path relative to this file, e.g. extends: shared/defaults.yaml.`,
  extendsMissing: (file: string) => `the inherited spec ${file} does not exist. Check the path; it is relative to the file that names it.`,
  extendsCycle: (files: readonly string[]) =>
    `the specs inherit from each other in a circle (${files.join(" -> ")}). Remove one of these extends: keys.`,
  tooManyCells: (events: number, variants: number, limit: number) =>
    `${events} events x ${variants} variants make ${events * variants} studies to run, more than the limit of ${limit}. Split the events or the variants into several spec files.`,
  windowTooLong: (which: string, start: string, end: string, days: number, limit: number) =>
    `the ${which} window ${start}..${end} is ${days.toLocaleString("en-US")} days, more than the limit of ${limit.toLocaleString("en-US")} (100 years). Shorten it.`,
  coverageTooLong: (start: string, end: string, days: number, limit: number) =>
    `coverage ${start}..${end} is ${days.toLocaleString("en-US")} days, more than the limit of ${limit.toLocaleString("en-US")} (100 years). Declare the days the data is complete for.`,
  extendsTooDeep: (max: number) => `more than ${max} specs inherit from one another. Flatten the chain of extends: keys.`,
  eventAndEvents: () => `write event: (one event) or events: (a list), not both.`,
  noEvent: () => `the spec names no event. Add event: {date: YYYY-MM-DD, label: ...} or a list under events:.`,
  eventWithoutWindows: (label: string) =>
    `the event "${label}" has no windows. Add windows: {pre: {days: 90}, post: {days: 90}} under the event, or a top-level windows:.`,
  duplicateId: (kind: "event" | "variant", id: string) =>
    `two ${kind}s have the identifier "${id}" (from their ${kind === "event" ? "labels" : "names"} or id:). Give each ${kind} its own id: (lowercase letters, digits and dashes).`,
  duplicateGroupName: (name: string) => `the group name "${name}" is used twice. Give each group its own name.`,
  groupNeedsOneRule: (name: string) =>
    `group "${name}" needs exactly one rule: either "where:" with column conditions, or "otherwise: true" for every row no earlier group claimed.`,
  otherwiseNotLast: (name: string) =>
    `group "${name}" takes every remaining row, so groups after it would be empty. Move it to the end of the list.`,
  totalNameTaken: (name: string) => `the automatic total group is named "${name}", like one of the groups. Rename that group or set total: to another name.`,
  primaryNotInMethods: (primary: string, methods: readonly string[]) =>
    `"${primary}" is not among tests.methods (${methods.join(", ")}). Add it to tests.methods or choose one of those.`,
  countTestForLosses: (test: string) =>
    `"${test}" tests incident counts and cannot be the primary test of daily_loss. Use block_permutation or permutation.`,
  didUnknownGroup: (name: string, groups: readonly string[], suggestion: string | undefined) =>
    `"${name}" is not one of the groups (${groups.join(", ")}).${didYouMean(suggestion)}`,
  didTreatedIsControl: (name: string) => `"${name}" is the treated group; a group cannot be its own control. Remove it from controls.`,
  dataFileMissing: (file: string, tried: readonly string[]) =>
    `data file "${file}" not found (looked for ${tried.join(" and ")}). A relative path is read beside the spec, then from the project root.${/(^|[\\/])data[\\/]/.test(file) ? " To rebuild data/ from data/raw/, run: npm run data:build" : ""}`,
  dataGlobMatchesNothing: (pattern: string, tried: readonly string[]) =>
    `the pattern "${pattern}" matches no file (looked in ${tried.join(" and ")}). A relative pattern is read beside the spec, then from the project root; * and ? match within one folder name, ** any number of folders.`,
  unknownDataFormat: (file: string, extensions: readonly string[]) =>
    `cannot tell the format of "${file}" from its name. Set data.format to one of csv, tsv, json, ndjson, parquet (known extensions: ${extensions.join(" ")}).`,

  dataFileIsFolder: (file: string) => `"${file}" is a folder, not a data file. Name the file itself (CSV, TSV, JSON, NDJSON or Parquet).`,
  dataFileNotRegular: (file: string) => `"${file}" is not a regular file (a device, pipe or socket). Name a data file on disk.`,
  dataFileEmpty: (file: string) => `the data file "${file}" is empty (0 bytes). Check that it was downloaded or exported completely.`,

  // ---- data -----------------------------------------------------------------------------
  tooManyRaggedRows: (file: string, format: string, count: number, limit: number, lines: readonly number[]) =>
    `${file}: ${count.toLocaleString("en-US")} rows have more or fewer fields than the header (lines ${lines.join(", ")}, ...), more than the ${limit.toLocaleString("en-US")} the engine leaves out with a warning: the file does not read as ${format} with this header. Check the delimiter (data.format: csv or tsv) and that fields holding commas or line breaks are quoted.`,
  dataChangedDuringRun: (file: string) =>
    `${file}: the data file changed while the study was reading it (its size, modification time or inode differ from the first read), so its numbers could mix two versions; nothing was written. Run the study again once the file is complete (write a new file under another name and rename it over the old one).`,
  dataUnreadable: (file: string, format: string, reason: string) => {
    // DuckDB: "CSV Error on Line: 5 ... Invalid unicode (byte sequence mismatch) detected."
    const line = /Error on Line: (\d+)/.exec(reason)?.[1];
    if (/invalid unicode/i.test(reason)) {
      const where = line === undefined ? "it is" : `line ${line} (data row ${Number(line) - 1}) is`;
      return `${file}: ${where} not UTF-8 text (a byte such as Latin-1 "é" that UTF-8 does not allow). Save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv.`;
    }
    // DuckDB: "Error when sniffing file ... It was not possible to automatically detect the CSV parsing dialect".
    if ((format === "csv" || format === "tsv") && /Error when sniffing file/.test(reason)) {
      return `${file}: cannot make out its rows as ${format.toUpperCase()}: usually a quote that opens a field and never closes it (e.g. "Alpha Bridge,lazarus), or a line break inside an unquoted field. Close the quote or quote the whole field; a quote inside a quoted field is written twice ("").`;
    }
    return `${file}: cannot read it as ${format} (${firstLine(reason)}). Check data.format, or that the file is ${format}.`;
  },
  columnMissing: (role: string, column: string, dataFile: string, columns: readonly string[], suggestion: string | undefined) =>
    `the ${role} column "${column}" is not in ${dataFile}; its columns are ${columns.join(", ")}.${didYouMean(suggestion)}`,
  noUsableRows: (dataFile: string, rowsRead: number, reasons: readonly string[], hasFilters: boolean) =>
    rowsRead === 0
      ? `${dataFile}: it has no data rows (a CSV with only its header line, or an empty JSON array or table), so there is nothing to study. Add the incidents to it, or point the spec's data at the file or table that has them.`
      : `${dataFile}: none of its ${rowsRead} rows has a usable date and amount${hasFilters ? " after the filters" : ""}.${reasons.map((reason) => ` ${reason}`).join("")} ${
      hasFilters ? "Check data.columns and data.filters." : "Check data.columns: it must name the columns that hold the dates (YYYY-MM-DD or ISO 8601) and the amounts."
    }`,
  inferredCoverageTooLong: (dataFile: string, first: DayNumber, last: DayNumber, days: number, limit: number, outlierDay: DayNumber, rows: readonly string[]) =>
    `${dataFile}: its dates run from ${formatDay(first)} to ${formatDay(last)}, ${days.toLocaleString("en-US")} days, more than the ${limit.toLocaleString("en-US")} (100 years) coverage may span; a date that far out is usually a typo: ${formatDay(outlierDay)} is the date of ${rows.join(", ")}. Fix the date, or declare coverage: {start: YYYY-MM-DD, end: YYYY-MM-DD} in the spec (rows outside it are then left out with a warning).`,
  eventOutsideCoverage: (event: DayNumber, start: DayNumber, end: DayNumber, inferred: boolean) =>
    `the event (${formatDay(event)}) is outside the data's coverage ${formatDay(start)}..${formatDay(end)}${inferred ? " (inferred from the first and last incident)" : ""}. Choose an event inside it, or widen the spec's coverage (coverage: {start, end}) if the data covers more.`,
  windowOutsideCoverage: (which: string, window: { start: DayNumber; end: DayNumber }, start: DayNumber, end: DayNumber) =>
    `the ${which} window ${formatDay(window.start)}..${formatDay(window.end)} has no day inside the data's coverage ${formatDay(start)}..${formatDay(end)}. Move or shorten the window, or widen the spec's coverage (coverage: {start, end}) if the data covers more.`,

  // ---- warnings -------------------------------------------------------------------------
  rowsDropped: (count: number, reason: string, examples: readonly string[]) =>
    `${count} row(s) left out: ${reason}${forExample(examples)}.`,
  rowsKeptDuplicate: (count: number, examples: readonly string[]) =>
    `${count} exact duplicate row(s) kept because data.duplicates is "keep"${forExample(examples)}.`,
  unknownAmounts: (count: number, examples: readonly string[], zeroIsUnknown: boolean) =>
    `${count} incident(s) have an unknown amount${zeroIsUnknown ? " (empty or 0, since zero_amount_is_unknown is true)" : " (empty)"}: they count as incidents but add nothing to daily losses, so losses are a lower bound${forExample(examples)}.`,
  coverageInferred: (which: "start" | "end", day: DayNumber) =>
    `coverage.${which} inferred as ${formatDay(day)} (the ${which === "start" ? "first" : "last"} incident's date). Declare coverage.${which} in the spec if the data is complete for a different range: a day outside coverage is not a zero-loss day.`,
  windowClipped: (which: string, from: { start: DayNumber; end: DayNumber }, to: { start: DayNumber; end: DayNumber }) =>
    `the ${which} window ${formatDay(from.start)}..${formatDay(from.end)} was cut to ${formatDay(to.start)}..${formatDay(to.end)} to stay inside the data's coverage.`,
  groupMatchesNothing: (name: string) => `group "${name}" has no incidents in the data after filters; check its rule's column values.`,
  groupEmptyInWindows: (name: string, pre: DayRange, post: DayRange) =>
    `group "${name}" has no incidents in either window (pre ${formatDay(pre.start)} to ${formatDay(pre.end)}, post ${formatDay(post.start)} to ${formatDay(post.end)}), only outside them: there is nothing to compare, so its tests are not computed and its verdicts are undetermined. Check the event date and the windows, or whether the data covers this group in those years.`,
  studyEmptyInWindows: (pre: DayRange, post: DayRange) =>
    `no group has an incident in either window (pre ${formatDay(pre.start)} to ${formatDay(pre.end)}, post ${formatDay(post.start)} to ${formatDay(post.end)}): there is nothing to compare, so no test is computed and every verdict is undetermined. Check the event date and the windows against the dates in the data.`,
  groupNoLossInWindows: (name: string, incidents: number, unknown: number, countsStudied: boolean) =>
    `group "${name}" has no loss in either window (its ${incidents} incident(s) there have ${unknown === incidents ? "unknown amounts" : unknown === 0 ? "amounts of 0" : "amounts of 0 or unknown"}): there is no loss to compare, so its loss tests are not computed and its loss verdict is undetermined${countsStudied ? "; its incident counts are tested as usual" : ""}.`,
  relativeChangeUndefined: () => `undefined: the pre-window mean is 0, so a relative change has no baseline`,
  rowsWithTimeZone: (count: number, zone: string) => `${count} timestamp(s) were converted to calendar days in ${zone}.`,
  rowsOutsideCoverage: (count: number, start: DayNumber, end: DayNumber, examples: readonly string[]) =>
    `${count} row(s) are dated outside coverage ${formatDay(start)}..${formatDay(end)} and are in no window, placebo date or chart${forExample(examples)}. Widen coverage if the data is complete on those days.`,

  // ---- output ---------------------------------------------------------------------------
  studyLocked: (reportDir: string, lockFile: string, owner: number | undefined) =>
    `${reportDir}: another eventstudy run${owner === undefined ? "" : ` (pid ${owner})`} is writing this report and did not finish in time. Wait for it, or delete ${lockFile} if no run is going on.`,
  reportsNotAFolder: (reportsDir: string, file: string) =>
    `cannot write reports to ${reportsDir}: ${file === reportsDir ? "it" : file} is a file, not a folder. Name a folder with --reports (it is created if missing); nothing was written.`,
  reportsIndexNotUpdated: (reportsDir: string, reason: string, fix: string) =>
    `${reportsDir}/index.html (the list of studies) was not updated (${firstLine(reason)}); every study's own report was written. ${fix}, then run again to rebuild the list.`,
  outputNotWritable: (dir: string, reason: string) => `cannot write the report to ${dir} (${firstLine(reason)}). Check that the folder is writable; the previous report is untouched.`,
  userEntryNotCopied: (reportDir: string, entry: string, reason: string) =>
    `cannot update the report in ${reportDir}: ${entry} is not the engine's, and the new report keeps what you put in it, but it could not be copied (${reason}). Nothing was replaced. Make it readable, or move it out of the report folder.`,
  reportFolderNotAReport: (reportDir: string) =>
    `cannot write the report to ${reportDir}: a folder of that name is there and it is not an eventstudy report (it has no results.json or history.jsonl), so replacing it would delete it. Choose another folder with --reports, or rename or move ${reportDir}; nothing was written.`,
  reportOfAnotherSpec: (reportDir: string, recordedSpec: string, specFile: string) =>
    `cannot write the report of ${specFile} to ${reportDir}: that folder holds the report and history of another spec, ${recordedSpec}, which is still there (a report folder is named after its spec file). Rename one of the two spec files, or run ${specFile} with another --reports folder; nothing was run. (A spec that was moved or renamed keeps its report: its old path no longer exists.)`,
  reportFolderIsAFile: (reportDir: string) =>
    `cannot write the report to ${reportDir}: a file of that name is there, not a report folder. Choose another folder with --reports, or rename or move the file; nothing was written.`,
  outputFileSystem: (dir: string, problem: string, code: string, path: string, fix: string) =>
    `cannot write the report to ${dir}: ${problem} (${code} on ${path}). ${fix}; the previous report is untouched.`,
  previousReportMoved: (dir: string, retired: string, reason: string) =>
    `cannot write the report to ${dir} (${firstLine(reason)}), and the previous report could not be put back: it is in ${retired}. Rename that folder to ${dir} to restore it.`,
  reportsIndexNotOurs: (file: string, written: string) =>
    `cannot write the list of studies to ${file}: that file was not written by eventstudy, and it would be overwritten. Choose another folder with --reports, or rename or move ${file}; ${written}.`,
  reportsIndexIsAFolder: (file: string, written: string) =>
    `cannot write the list of studies to ${file}: it is a folder, not a file. Choose another folder with --reports, or rename or move that folder; ${written}.`,
  specsShareReportFolder: (first: string, second: string, reportDir: string) =>
    `${first} and ${second} would both write the report folder ${reportDir} (a report folder is named after its spec file). Rename one of the spec files, or run them one at a time with different --reports folders; nothing was run.`,
  specNamedTwice: (file: string) => `${file} is named twice on the command line. Name each spec once; nothing was run.`,
};

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").replace(/[.:]\s*$/, "");
}
