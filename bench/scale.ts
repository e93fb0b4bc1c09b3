/**
 * `npm run bench:scale`: a full study (spec -> report folder) on synthetic incident files
 * of 1M and 10M rows (50M with --rows), as CSV and Parquet, each run in a fresh process
 * so its peak RSS is its own. Prints wall time per stage, rows/s and peak RSS, then
 * checks the shape the engine promises: data time linear in rows, statistics time
 * independent of rows, and identical results from CSV and Parquet of the same rows.
 *
 * Each file is studied twice: with the duplicate search (data.duplicates: drop, the
 * default) and without it (unchecked, what a telemetry study would use), as that search
 * is the costliest step of loading.
 *
 * Usage: tsx bench/scale.ts [--rows 1000000,10000000[,50000000]] [--formats csv,parquet,csv.gz] [--duplicates drop,unchecked] [--runs 3]
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, join } from "node:path";
import { RESULT_PREFIX, type ChildResult } from "./child-protocol.js";
import { BENCH_DATA_DIR, EVENT_DATE, generate, type BenchFormat, type GeneratedFile } from "./generate.js";

type DuplicatesSetting = "drop" | "unchecked";

interface Measured {
  file: GeneratedFile;
  duplicates: DuplicatesSetting;
  result: ChildResult;
  /** Wall time of the whole child process, start-up and module loading included. */
  processMs: number;
}

const REPORTS_DIR = join(BENCH_DATA_DIR, "reports");

/**
 * The bench study: Lazarus (whose synthetic rate halves at the event) against everyone
 * else, both metrics, every test (2,000 permutations and 1,000 bootstrap resamples
 * instead of the default 10,000 and 2,000), a DiD, placebo dates over the whole decade of
 * coverage. The statistics do the same work at every size.
 */
function writeSpec(file: GeneratedFile, duplicates: DuplicatesSetting): string {
  const specFile = join(BENCH_DATA_DIR, `bench-${file.rows}-${file.format.replace(".", "-")}${duplicates === "drop" ? "" : `-${duplicates}`}.yaml`);
  const yaml = [
    `title: Synthetic incidents, ${file.rows.toLocaleString("en-US")} rows (${file.format}, duplicates ${duplicates})`,
    "data:",
    `  file: ${basename(file.path)}`,
    "  columns: {date: date, amount: amount_usd, name: name}",
    `  duplicates: ${duplicates}`,
    "coverage: {start: 2016-01-01, end: 2025-12-31}",
    "groups:",
    "  - name: Lazarus",
    "    where: {actor: Lazarus}",
    "  - name: Other",
    "    otherwise: true",
    `event: {date: ${EVENT_DATE}, label: synthetic step in the Lazarus rate}`,
    "windows:",
    "  pre: {days: 180}",
    "  post: {days: 180}",
    "difference_in_differences: {treated: Lazarus, controls: [Other]}",
    "# Every test; fewer resamples than the defaults (10,000 / 2,000), as a quick look would use.",
    "tests: {permutations: 2000, bootstrap: {resamples: 1000}}",
    "",
  ].join("\n");
  writeFileSync(specFile, yaml);
  return specFile;
}

function runChild(specFile: string): { result: ChildResult; processMs: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ["--import", "tsx", "bench/study-child.ts", specFile, REPORTS_DIR], { encoding: "utf8", maxBuffer: 1 << 26 });
  const processMs = performance.now() - started;
  const line = child.stdout.split("\n").find((text) => text.startsWith(RESULT_PREFIX));
  if (child.status !== 0 || line === undefined) throw new Error(`study on ${specFile} failed (exit ${child.status}):\n${child.stderr}`);
  return { result: JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult, processMs };
}

/** The run with the median study time, so that every figure in a row comes from one run. */
function medianRun(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.result.studyMs - b.result.studyMs);
  return sorted[(sorted.length - 1) >> 1] as Measured;
}

const isStatistics = (stage: string): boolean => stage.startsWith("statistics");
const statisticsMs = (result: ChildResult): number => result.timings.filter((lap) => isStatistics(lap.stage)).reduce((sum, lap) => sum + lap.ms, 0);
/** Everything that reads rows: the stages before the statistics except the spec. */
const dataStages = new Set(["load file", "incident table and row checks", "daily aggregation", "largest incidents", "provenance (hashes)"]);
const dataMs = (result: ChildResult): number => result.timings.filter((lap) => dataStages.has(lap.stage)).reduce((sum, lap) => sum + lap.ms, 0);

function printTable(measured: Measured[]): void {
  // Stage columns in pipeline order; the statistics stages are summed into one column.
  const stages: string[] = [];
  for (const { result } of measured) {
    for (const lap of result.timings) {
      const name = isStatistics(lap.stage) ? "statistics" : lap.stage;
      if (!stages.includes(name)) stages.push(name);
    }
  }
  const stageMs = (result: ChildResult, stage: string): number =>
    result.timings.filter((lap) => (isStatistics(lap.stage) ? "statistics" : lap.stage) === stage).reduce((sum, lap) => sum + lap.ms, 0);
  const seconds = (ms: number): string => (ms / 1000).toFixed(2);
  console.log(`| rows | format | duplicates | file MB | ${stages.join(" | ")} | study total s | CPU s | rows/s | peak RSS MB | process s |`);
  console.log(`|${"---|".repeat(stages.length + 9)}`);
  for (const { file, duplicates, result, processMs } of measured) {
    const cells = [
      file.rows.toLocaleString("en-US"),
      file.format,
      duplicates,
      (file.bytes / 1e6).toFixed(0),
      ...stages.map((stage) => seconds(stageMs(result, stage))),
      seconds(result.studyMs),
      seconds(result.studyCpuMs),
      Math.round(file.rows / (result.studyMs / 1000)).toLocaleString("en-US"),
      (result.peakRssBytes / 2 ** 20).toFixed(0),
      seconds(processMs),
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log(
    "(stage times in seconds; study total = spec to report folder written; CPU = its user + system time on all threads; " +
      "process = the child's whole life, Node start-up and module loading included)",
  );
}

/** Linearity and independence, per format, between each size and the next. */
function printShape(measured: Measured[]): void {
  const perRow = (item: Measured): number => (dataMs(item.result) * 1e6) / item.file.rows; // ns per row
  const count = (rows: number): string => rows.toLocaleString("en-US");
  const settings = [...new Set(measured.map((item) => item.duplicates))];
  for (const format of new Set(measured.map((item) => item.file.format))) {
    for (const duplicates of settings) {
      const runs = measured.filter((item) => item.file.format === format && item.duplicates === duplicates).sort((a, b) => a.file.rows - b.file.rows);
      for (let index = 1; index < runs.length; index += 1) {
        const [small, large] = [runs[index - 1] as Measured, runs[index] as Measured];
        console.log(
          `${format}, duplicates ${duplicates}, ${count(small.file.rows)} -> ${count(large.file.rows)} rows: data stages ${perRow(small).toFixed(0)} -> ${perRow(large).toFixed(0)} ns/row ` +
            `(ratio ${(perRow(large) / perRow(small)).toFixed(2)}; 1 = linear, below 1 = fixed costs amortised); ` +
            `statistics ${statisticsMs(small.result).toFixed(0)} -> ${statisticsMs(large.result).toFixed(0)} ms (ratio ${(statisticsMs(large.result) / statisticsMs(small.result)).toFixed(2)}; 1 = independent of rows)`,
        );
      }
    }
  }
  for (const rows of new Set(measured.map((item) => item.file.rows))) {
    for (const duplicates of settings) {
      const same = measured.filter((item) => item.file.rows === rows && item.duplicates === duplicates);
      const digests = new Set(same.map((item) => item.result.resultsDigest));
      console.log(`${rows.toLocaleString("en-US")} rows, duplicates ${duplicates}: results ${digests.size === 1 ? "identical" : "DIFFER"} across ${same.map((item) => item.file.format).join(", ")}`);
      // CI runs this bench: the same rows in another format giving other results is a failure, not a figure.
      if (digests.size !== 1) process.exitCode = 1;
    }
  }
}

function parseArguments(argv: readonly string[]): { rows: number[]; formats: BenchFormat[]; duplicates: DuplicatesSetting[]; runs: number } {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const rows = (value("--rows") ?? "1000000,10000000").split(",").map(Number);
  const formats = (value("--formats") ?? "csv,parquet").split(",") as BenchFormat[];
  const duplicates = (value("--duplicates") ?? "drop,unchecked").split(",") as DuplicatesSetting[];
  const runs = Number(value("--runs") ?? 3);
  if (rows.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error("--rows: positive integers, e.g. --rows 1000000,10000000,50000000");
  if (formats.some((format) => !["csv", "csv.gz", "parquet"].includes(format))) throw new Error("--formats: csv, csv.gz or parquet");
  if (duplicates.some((setting) => setting !== "drop" && setting !== "unchecked")) throw new Error("--duplicates: drop, unchecked or both");
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs: a positive integer");
  return { rows, formats, duplicates, runs };
}

const { rows, formats, duplicates: settings, runs } = parseArguments(process.argv.slice(2));
const loadBefore = loadavg().map((value) => value.toFixed(1)).join(" ");
const measured: Measured[] = [];
for (const n of rows) {
  for (const format of formats) {
    const file = await generate(n, format);
    for (const duplicates of settings) {
      const specFile = writeSpec(file, duplicates);
      const samples: Measured[] = [];
      for (let index = 0; index < runs; index += 1) samples.push({ file, duplicates, ...runChild(specFile) });
      measured.push(medianRun(samples));
      process.stderr.write(`measured ${n} rows ${format}, duplicates ${duplicates}\n`);
    }
  }
}
// Other work on the machine slows every figure: say how busy it was.
const load = (): string => loadavg().map((value) => value.toFixed(1)).join(" ");
console.log(`Scale: a full study per file in a fresh process, median of ${runs} run(s), on ${process.arch} Node ${process.version}, ${cpus().length} cores`);
console.log(`load average (1, 5, 15 min) before: ${loadBefore}, after: ${load()}`);
printTable(measured);
printShape(measured);
