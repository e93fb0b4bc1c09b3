/**
 * The command line: parses flags, calls the library, prints, and sets the exit code.
 * Results go to stdout, warnings, progress and errors to stderr. User errors print their
 * message only; anything else is a bug and prints its stack trace with --debug.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname, join, relative, resolve } from "node:path";
import { EventStudyError, ExitCode, type ExitCodeValue } from "../errors.js";
import { messages } from "../messages.js";
import type { DataFormat } from "../spec/normalized-spec.js";
import { defaultContext, ENGINE_VERSION, type Logger } from "../run-context.js";
import { cellCountLabel } from "../text/labels.js";
import { oneLine } from "../text/one-line.js";
import { closestMatch } from "../util/did-you-mean.js";
import { checkStudy, defaultSpecFiles, runAndWrite, validateSpecFile, type StudyOutcome } from "../run-studies.js";
import { failureText, outcomeJson, outcomeLines, warningLines } from "./print-outcome.js";
import { terminalProgress } from "./progress.js";
import { tryFastRerun } from "./fast-rerun.js";

const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
};

function worst(outcomes: ReadonlyArray<{ exitCode: ExitCodeValue }>): ExitCodeValue {
  return outcomes.reduce<ExitCodeValue>((code, outcome) => (code === ExitCode.ok ? outcome.exitCode : code), ExitCode.ok);
}

const COMMANDS = ["run", "validate", "diff", "watch", "init", "data"];

const REPORTS_OPTION = { type: "string", default: "reports", describe: "Folder that receives one report folder per study" } as const;

/**
 * `--reports` with no folder: last on the line or before another option (yargs then gives
 * it its default, so the report would go to reports/ without a word), or an empty name
 * (`--reports=`, `--reports ""`).
 */
function reportsWithoutFolder(argv: readonly string[]): boolean {
  return argv.some((arg, index) => {
    if (arg.startsWith("--reports=")) return arg.slice("--reports=".length).trim() === "";
    const next = argv[index + 1];
    return arg === "--reports" && (next === undefined || next.startsWith("-") || next.trim() === "");
  });
}

/** A wrong command line: printed with a pointer to --help, exit 64, nothing run. */
class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const projectRoot = process.cwd();
  const context = defaultContext(projectRoot, stderrLogger);
  let exitCode: number = ExitCode.ok;

  const command = argv.find((arg) => !arg.startsWith("-"));
  if (command !== undefined && argv[0] === command && !COMMANDS.includes(command)) {
    process.stderr.write(`error: ${usageMessages.unknownCommand(command, COMMANDS, closestMatch(command, COMMANDS))}\nRun eventstudy --help for usage.\n`);
    return ExitCode.usage;
  }
  if (command !== undefined && ["run", "diff", "watch"].includes(command) && reportsWithoutFolder(argv)) {
    process.stderr.write(`error: ${usageMessages.reportsNeedsFolder()}\nRun eventstudy --help for usage.\n`);
    return ExitCode.usage;
  }
  try {
    await parser(argv, projectRoot, context, (code) => {
      exitCode = code;
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${explainUsageError(error.message, command)}\nRun eventstudy --help for usage.\n`);
    return ExitCode.usage;
  }
  return exitCode;
}

const OPTIONS = ["reports", "force", "check", "json", "debug", "output", "format", "debounce", "help", "version"];

/** What each command needs named, for yargs' "Not enough non-option arguments: got 0, need at least 1". */
const MISSING_ARGUMENT: Record<string, string> = {
  validate: "validate needs the spec files to check, e.g. eventstudy validate analyses/my-study.yaml.",
  diff: "diff needs the study: its spec file or its folder name in reports/, e.g. eventstudy diff my-study.",
  init: "init needs the data file to inspect, e.g. eventstudy init data/hacks.csv.",
  data: "data needs its action: eventstudy data build.",
};

/**
 * yargs says "Unknown argument: reprots" or "Not enough non-option arguments: got 0, need
 * at least 1"; say which option was probably meant, or what the command needs.
 */
function explainUsageError(message: string, command: string | undefined): string {
  if (/^Not enough non-option arguments/.test(message) && command !== undefined && MISSING_ARGUMENT[command] !== undefined) return MISSING_ARGUMENT[command];
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown === null) return message;
  return (unknown[1] ?? "")
    .split(", ")
    .map((name) => usageMessages.unknownOption(name, closestMatch(name, OPTIONS)))
    .join(" ");
}

const usageMessages = {
  unknownOption: (name: string, suggestion: string | undefined) =>
    `unknown option "--${name}".${suggestion === undefined ? "" : ` Did you mean "--${suggestion}"?`}`,
  unknownCommand: (command: string, commands: readonly string[], suggestion: string | undefined) =>
    `unknown command "${command}".${suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`} The commands are: ${commands.join(", ")}.`,
  validateInferredCoverage: () =>
    "coverage is inferred from the data's dates, which only run reads: whether the event and windows fall inside it is checked then (declare coverage: {start, end} to have validate check it).",
  reportsNeedsFolder: () => "--reports needs a folder after it, e.g. --reports reports.",
  initExists: (file: string) => `${file} already exists. Choose another name with --output, or overwrite it with --force.`,
  initDataMissing: (file: string) => `${file}: data file not found. Check the path (relative to ${process.cwd()}).`,
  initUnknownFormat: (file: string, extensions: readonly string[]) =>
    `cannot tell the format of "${file}" from its name. Name it with --format (csv, tsv, json, ndjson or parquet), or give the file one of the extensions ${extensions.join(" ")} (each may end in .gz).`,
};

type Context = ReturnType<typeof defaultContext>;

/**
 * A study's report folder is named after its spec file: a/study.yaml and b/study.yaml
 * would write one folder (the second replacing the first, both appending to one history),
 * and one spec named twice would run twice. The message names both and the fix.
 */
function reportFolderClash(specs: readonly string[], reportsDir: string): string | undefined {
  const seen = new Map<string, string>();
  const paths = new Set<string>();
  for (const spec of specs) {
    if (paths.has(resolve(spec))) return messages.specNamedTwice(spec);
    paths.add(resolve(spec));
    const name = basename(spec, extname(spec));
    const first = seen.get(name);
    if (first !== undefined) return messages.specsShareReportFolder(first, spec, join(reportsDir, name));
    seen.set(name, spec);
  }
  return undefined;
}

/** Runs studies one after another; prints each as it finishes (or collects JSON). */
async function runStudies(specs: string[], projectRoot: string, context: Context, options: { reports: string; force: boolean; json: boolean; debug: boolean }): Promise<ExitCodeValue> {
  // Refused before anything runs or is written: two specs that would write one report
  // folder, and a reports/index.html the engine did not write (or a folder of that name).
  const clash = reportFolderClash(specs, options.reports);
  if (clash !== undefined) {
    process.stderr.write(`error: ${clash}\n`);
    return ExitCode.usage;
  }
  const { checkReportsIndex, reportsIndexNotUpdatedText, writeReportsIndex } = await import("../report/reports-index.js");
  try {
    checkReportsIndex(options.reports);
  } catch (error) {
    if (!(error instanceof EventStudyError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const progress = terminalProgress();
  const outcomes: StudyOutcome[] = [];
  for (const [index, specFile] of specs.entries()) {
    const outcome = await runAndWrite(specFile, context, options.reports, {
      force: options.force,
      onProgress: (message) => progress.update(`[${index + 1}/${specs.length}] ${message}`),
    });
    progress.clear();
    outcomes.push(outcome);
    if (outcome.error !== undefined) {
      process.stderr.write(failureText(outcome, options.debug));
      continue;
    }
    for (const line of warningLines(specFile, outcome.runs ?? [])) stderrLogger.warn(line);
    if (!options.json) for (const line of outcomeLines(outcome, projectRoot)) process.stdout.write(`${line}\n`);
  }
  if (outcomes.some((outcome) => outcome.runs !== undefined)) {
    try {
      writeReportsIndex(options.reports);
    } catch (error) {
      // Every study's report is already in place: a list that cannot be rebuilt is not a failed run.
      stderrLogger.warn(oneLine(reportsIndexNotUpdatedText(options.reports, error)));
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ engineVersion: ENGINE_VERSION, studies: outcomes.map((outcome) => outcomeJson(outcome, projectRoot)) }, null, 2)}\n`);
  return worst(outcomes);
}

async function parser(argv: string[], projectRoot: string, context: Context, setExitCode: (code: number) => void): Promise<unknown> {
  // Loaded here, not at the top: an all-unchanged rerun never needs it (fast-rerun.ts).
  const { default: yargs } = await import("yargs");
  // A user error prints its message and sets the exit code; anything else is a bug and goes on up.
  const printUserError = (error: unknown): void => {
    if (!(error instanceof EventStudyError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    setExitCode(error.exitCode);
  };
  const specsOrDefault = (specs: string[] | undefined): string[] => (specs !== undefined && specs.length > 0 ? specs : defaultSpecFiles(projectRoot));
  return yargs(argv)
    .scriptName("eventstudy")
    .usage("$0 <command> [options]\n\nEvent studies of attack data: did an event change the daily losses and incident rate of each actor group?")
    .option("debug", { type: "boolean", default: false, describe: "Print stack traces for errors" })
    .command(
      "run [specs..]",
      "Run studies and write reports/<spec-name>/ (index.html, results.json, history.jsonl, charts/); unchanged studies are skipped",
      (command) =>
        command
          .positional("specs", { type: "string", array: true, describe: "Spec files (default: every .yaml in analyses/)" })
          .option("reports", REPORTS_OPTION)
          .option("force", { type: "boolean", default: false, describe: "Rerun studies whose spec, data and engine have not changed" })
          .option("check", { type: "boolean", default: false, describe: `Run nothing; exit ${ExitCode.stale} if any report is older than its spec, data or engine` })
          .option("json", { type: "boolean", default: false, describe: "Print machine-readable results to stdout (human lines are left out)" }),
      async (args) => {
        const specs = specsOrDefault(args.specs);
        if (args.check) {
          const outcomes = [];
          for (const specFile of specs) outcomes.push(await checkStudy(specFile, context, args.reports));
          for (const outcome of outcomes) {
            if (outcome.error !== undefined) process.stderr.write(failureText(outcome, args.debug));
            else if (!args.json) process.stdout.write(`${outcome.specFile}: ${outcome.stale === true ? "STALE: its spec, data or engine changed since the report was written; eventstudy run updates it" : "up to date"}\n`);
          }
          if (args.json) process.stdout.write(`${JSON.stringify({ engineVersion: ENGINE_VERSION, studies: outcomes.map((outcome) => outcomeJson(outcome, projectRoot)) }, null, 2)}\n`);
          const failed = worst(outcomes);
          setExitCode(failed !== ExitCode.ok ? failed : outcomes.some((outcome) => outcome.stale === true) ? ExitCode.stale : ExitCode.ok);
          return;
        }
        setExitCode(await runStudies(specs, projectRoot, context, { reports: args.reports, force: args.force, json: args.json, debug: args.debug }));
      },
    )
    .command(
      "validate <specs..>",
      "Check spec files without running them: the spec, each data file's columns, and the event and windows against a declared coverage",
      (command) => command.positional("specs", { type: "string", array: true, demandOption: true, describe: "Spec files to check" }),
      async (args) => {
        const outcomes = [];
        for (const specFile of args.specs as string[]) outcomes.push(await validateSpecFile(specFile, context));
        for (const outcome of outcomes) {
          if (outcome.exitCode === ExitCode.ok) {
            const cells = outcome.study?.cells.length ?? 1;
            process.stdout.write(`${outcome.specFile}: valid${cells > 1 ? ` (${cellCountLabel(outcome.study?.cells.map((cell) => cell.cell) ?? [])}: ${outcome.study?.cells.map((cell) => cell.cell.id).join(", ")})` : ""}\n`);
            // Said, not implied: validate reads no rows, so an inferred coverage is unknown to it.
            if (outcome.study?.cells.some((cell) => cell.coverage.start === null || cell.coverage.end === null)) {
              process.stdout.write(`  ${usageMessages.validateInferredCoverage()}\n`);
            }
          } else process.stderr.write(failureText(outcome, args.debug));
        }
        setExitCode(worst(outcomes));
      },
    )
    .command(
      "diff <study>",
      "Print what moved at a study's last run (incidents added or removed, each headline number before -> after)",
      (command) =>
        command
          .positional("study", { type: "string", demandOption: true, describe: "The study: its spec file or its folder name in the reports folder" })
          .option("reports", { ...REPORTS_OPTION, describe: "The reports folder" })
          .option("json", { type: "boolean", default: false, describe: "Print the changes as JSON" }),
      async (args) => {
        const { diffLines, lastChanges } = await import("./diff.js");
        try {
          if (args.json) process.stdout.write(`${JSON.stringify(lastChanges(args.study, args.reports).moved, null, 2)}\n`);
          else for (const line of diffLines(args.study, args.reports)) process.stdout.write(`${line}\n`);
        } catch (error) {
          printUserError(error);
        }
      },
    )
    .command(
      "watch [specs..]",
      "Rerun the affected studies whenever a spec or data file changes (Ctrl-C stops)",
      (command) =>
        command
          .positional("specs", { type: "string", array: true, describe: "Spec files (default: every .yaml in analyses/, re-listed on each change)" })
          .option("reports", REPORTS_OPTION)
          .option("debounce", { type: "number", default: 300, describe: "Milliseconds to wait for more changes before rerunning" }),
      async (args) => {
        const { watchStudies } = await import("./watch.js");
        const specs = (): string[] => specsOrDefault(args.specs);
        const initialFolders = [...new Set([...specs().map((file) => resolve(file, "..")), join(projectRoot, "analyses"), join(projectRoot, "data")])];
        const watcher = await watchStudies({
          initialFolders,
          specFiles: specs,
          projectRoot,
          debounceMs: args.debounce,
          runPass: async (files) => {
            await runStudies(files, projectRoot, context, { reports: args.reports, force: false, json: false, debug: args.debug });
          },
          log: (message) => process.stderr.write(`${message}\n`),
        });
        await new Promise<void>((resolveStop) => {
          const stop = (): void => {
            watcher.close();
            resolveStop();
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      },
    )
    .command(
      "init <data>",
      "Inspect a data file and write a commented starter spec (analyses/<file-name>.yaml) that validates",
      (command) =>
        command
          .positional("data", { type: "string", demandOption: true, describe: "The data file (CSV, TSV, JSON, NDJSON or Parquet)" })
          .option("output", { type: "string", describe: "Where to write the spec (default analyses/<data file name>.yaml)" })
          .option("format", { type: "string", choices: ["csv", "tsv", "json", "ndjson", "parquet"], describe: "The data format, when the extension does not say" })
          .option("force", { type: "boolean", default: false, describe: "Overwrite an existing spec" }),
      async (args) => {
        const { profileDataFile, starterSpec } = await import("./init-spec.js");
        const { inferDataFormat, KNOWN_EXTENSIONS } = await import("../data/source-reader.js");
        const { loadStudySpec } = await import("../spec/load-spec.js");
        const dataPath = resolve(args.data);
        const shown = relative(projectRoot, dataPath) || dataPath;
        // data/hacks.csv.gz -> analyses/hacks.yaml: the name without .gz and the format's extension.
        const stem = basename(args.data).replace(/\.gz$/i, "");
        const output = args.output ?? join("analyses", `${basename(stem, extname(stem))}.yaml`);
        try {
          if (!existsSync(dataPath)) throw new EventStudyError(usageMessages.initDataMissing(args.data), ExitCode.badData);
          if (existsSync(output) && !args.force) throw new EventStudyError(usageMessages.initExists(output), ExitCode.output);
          const format = (args.format as DataFormat | undefined) ?? inferDataFormat(args.data);
          if (format === undefined) throw new EventStudyError(usageMessages.initUnknownFormat(args.data, KNOWN_EXTENSIONS), ExitCode.usage);
          const profile = await profileDataFile(dataPath, format, shown);
          const text = starterSpec(profile, shown, context.now().toISOString().slice(0, 10));
          mkdirSync(resolve(output, ".."), { recursive: true });
          const staging = `${output}.${process.pid}.tmp`;
          writeFileSync(staging, text);
          // Only a spec that validates is put in place.
          try {
            loadStudySpec(staging, projectRoot);
            renameSync(staging, output);
          } catch (error) {
            rmSync(staging, { force: true });
            throw error;
          }
          process.stdout.write(`${output}: written (${profile.rows} rows, dates ${profile.date?.first} to ${profile.date?.last}); edit the TODOs, then: eventstudy run ${output}\n`);
        } catch (error) {
          printUserError(error);
        }
      },
    )
    .command(
      "data <action>",
      "data build: rebuild data/ from data/raw/ (then `run` reruns exactly the studies whose data changed)",
      (command) => command.positional("action", { type: "string", choices: ["build"], demandOption: true }),
      async () => {
        const { buildData } = await import("../data/build/build-data.js");
        const { summaryLine } = await import("../data/build/file-profile.js");
        try {
          const result = await buildData({ inputDir: join("data", "raw"), outputDir: "data" });
          for (const file of result.files) process.stdout.write(`${summaryLine(file.path, file.profile)}\n`);
          process.stdout.write(`${result.readmePath}: written\n`);
        } catch (error) {
          printUserError(error);
        }
      },
    )
    .demandCommand(1, `Name a command: ${COMMANDS.join(", ")} (see --help).`)
    .strict()
    .version(ENGINE_VERSION)
    .help()
    .alias("h", "help")
    .fail((message, error) => {
      // Throwing here stops yargs before any command handler runs.
      if (error !== undefined && error !== null) throw error;
      throw new UsageError(message);
    })
    .parseAsync();
}

const argv = process.argv.slice(2);
process.exitCode = (await tryFastRerun(argv, defaultContext(process.cwd(), stderrLogger))) ?? (await main(argv));
