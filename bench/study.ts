/**
 * `npm run bench`: wall time per stage of a full study on the shipped sample (2 groups and
 * the total x 2 metrics, 10,000 permutations, 2,000 bootstrap resamples, every placebo
 * date, the 5-length sensitivity grid, influence of the 5 largest incidents, DiD), plus
 * rendering the report. Prints the median of several runs after one warm-up.
 */
import { runStudy } from "../src/pipeline.js";
import { defaultContext, silentLogger } from "../src/run-context.js";
import { renderReportFiles } from "../src/run-studies.js";

const spec = process.argv[2] ?? "analyses/dprk-russia-treaty-2024.yaml";
const runs = Number(process.argv[3] ?? 5);
const context = defaultContext(process.cwd(), silentLogger);

const samples = new Map<string, number[]>();
for (let index = 0; index <= runs; index += 1) {
  const started = performance.now();
  const run = await runStudy(spec, context);
  const studied = performance.now();
  await renderReportFiles(run);
  const rendered = performance.now();
  if (index === 0) continue; // warm-up: module loading and JIT
  const record = (stage: string, ms: number): void => {
    samples.set(stage, [...(samples.get(stage) ?? []), ms]);
  };
  for (const lap of run.timings) record(lap.stage, lap.ms);
  record("charts (SVG) and report files", rendered - studied);
  record("statistics total", run.timings.filter((lap) => lap.stage.startsWith("statistics")).reduce((sum, lap) => sum + lap.ms, 0));
  record("whole study", rendered - started);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
console.log(`${spec}: median of ${runs} runs after a warm-up, on ${process.arch} Node ${process.version}`);
console.log("| stage | ms |\n|---|---|");
for (const [stage, values] of samples) console.log(`| ${stage} | ${median(values).toFixed(0)} |`);
