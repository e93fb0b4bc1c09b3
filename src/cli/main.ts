/**
 * The command line: parses flags, calls the library, prints, and sets the exit code.
 * Results go to stdout, warnings and errors to stderr. User errors print their message
 * only; anything else is a bug and prints its stack trace with --debug.
 */
import { relative } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { EventStudyError, ExitCode, type ExitCodeValue } from "../errors.js";
import { defaultContext, ENGINE_VERSION, type Logger } from "../run-context.js";
import { closestMatch } from "../util/did-you-mean.js";
import { writeReportsIndex } from "../report/reports-index.js";
import { defaultSpecFiles, runAndWrite, validateSpecFile, type StudyOutcome } from "../run-studies.js";

const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
};

function printFailure(outcome: StudyOutcome, debug: boolean): void {
  const error = outcome.error;
  if (error instanceof EventStudyError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (debug && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    return;
  }
  process.stderr.write(`error: ${outcome.specFile}: internal error: ${(error as Error)?.message ?? String(error)}\n`);
  process.stderr.write(debug ? `${(error as Error)?.stack ?? ""}\n` : "(this is a bug in eventstudy; run with --debug for the stack trace)\n");
}

function worst(outcomes: readonly StudyOutcome[]): ExitCodeValue {
  return outcomes.reduce<ExitCodeValue>((code, outcome) => (code === ExitCode.ok ? outcome.exitCode : code), ExitCode.ok);
}

const COMMANDS = ["run", "validate"];

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
  try {
    await parser(argv, projectRoot, context, (code) => {
      exitCode = code;
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${explainUsageError(error.message)}\nRun eventstudy --help for usage.\n`);
    return ExitCode.usage;
  }
  return exitCode;
}

const OPTIONS = ["reports", "force", "debug", "help", "version"];

/** yargs says "Unknown argument: reprots"; say which option it was probably meant to be. */
function explainUsageError(message: string): string {
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
};

function parser(argv: string[], projectRoot: string, context: ReturnType<typeof defaultContext>, setExitCode: (code: number) => void): Promise<unknown> {
  return yargs(argv)
    .scriptName("eventstudy")
    .usage("$0 <command> [options]\n\nEvent studies of attack data: did an event change the daily losses and incident rate of each actor group?")
    .option("debug", { type: "boolean", default: false, describe: "Print stack traces for errors" })
    .command(
      "run [specs..]",
      "Run studies and write reports/<spec-name>/ (index.html, results.json, charts/)",
      (command) =>
        command
          .positional("specs", { type: "string", array: true, describe: "Spec files (default: every .yaml in analyses/)" })
          .option("reports", { type: "string", default: "reports", describe: "Folder that receives one report folder per study" })
          .option("force", { type: "boolean", default: false, describe: "Rerun studies whose spec, data and engine have not changed" }),
      async (args) => {
        const specs = args.specs !== undefined && args.specs.length > 0 ? args.specs : defaultSpecFiles(projectRoot);
        const outcomes: StudyOutcome[] = [];
        for (const specFile of specs) {
          const outcome = await runAndWrite(specFile, context, args.reports, args.force);
          outcomes.push(outcome);
          if (outcome.unchanged === true && outcome.reportDir !== undefined) {
            process.stdout.write(`${specFile}: unchanged since the last run (${relative(projectRoot, outcome.reportDir)}/index.html); --force reruns it\n`);
            continue;
          }
          if (outcome.exitCode !== ExitCode.ok || outcome.run === undefined || outcome.reportDir === undefined) {
            printFailure(outcome, args.debug);
            continue;
          }
          for (const warning of outcome.run.warnings) stderrLogger.warn(`${specFile}: ${warning.message}`);
          process.stdout.write(`${specFile} -> ${relative(projectRoot, outcome.reportDir)}/index.html (${outcome.run.warnings.length} warning(s))\n`);
          for (const line of headlineLines(outcome)) process.stdout.write(`  ${line}\n`);
        }
        if (outcomes.some((outcome) => outcome.reportDir !== undefined)) writeReportsIndex(args.reports);
        setExitCode(worst(outcomes));
      },
    )
    .command(
      "validate <specs..>",
      "Check spec files without running them",
      (command) => command.positional("specs", { type: "string", array: true, demandOption: true, describe: "Spec files to check" }),
      (args) => {
        const outcomes = (args.specs as string[]).map((specFile) => validateSpecFile(specFile, context));
        for (const outcome of outcomes) {
          if (outcome.exitCode === ExitCode.ok) process.stdout.write(`${outcome.specFile}: valid\n`);
          else printFailure(outcome, args.debug);
        }
        setExitCode(worst(outcomes));
      },
    )
    .demandCommand(1, "Name a command: run or validate (see --help).")
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

/** One line per group x metric (and DiD): the change, the primary p-value, the evidence level. */
function headlineLines(outcome: StudyOutcome): string[] {
  const run = outcome.run;
  if (run === undefined) return [];
  const line = (subject: string, metric: string, relative: number | null, absolute: number, tests: ReadonlyArray<{ method: string; pValue: number | null; adjustedPValue: number | null }>, level: string | undefined, primaryMethod: string): string => {
    const primary = tests.find((test) => test.method === primaryMethod);
    const change = relative === null ? `${absolute.toPrecision(4)}/day` : `${relative > 0 ? "+" : ""}${(relative * 100).toFixed(1)}%`;
    const p = (value: number | null | undefined): string => (value === null || value === undefined ? "n/a" : value.toPrecision(3));
    return `${subject} ${metric}: ${change}; ${primaryMethod} p=${p(primary?.pValue)} (adjusted ${p(primary?.adjustedPValue)}); evidence: ${level ?? "n/a"}`;
  };
  return [
    ...run.analysis.comparisons.map((item) => line(item.group, item.metric, item.change.relative, item.change.absolute, item.tests, item.verdict?.level, run.spec.tests.primary[item.metric])),
    ...run.analysis.did.map((item) => line(`${item.treated} vs ${item.controls.join("+")} (DiD)`, item.metric, null, item.estimate, item.tests, item.verdict?.level, run.spec.tests.primary[item.metric])),
  ];
}

process.exitCode = await main(hideBin(process.argv));
