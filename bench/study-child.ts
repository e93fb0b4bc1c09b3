/**
 * One full study (spec -> report folder written, as `eventstudy run` does it), run by
 * `bench/scale.ts` in a fresh process so that the peak RSS it reports is this study's
 * alone. Prints one JSON line (prefixed with RESULT_PREFIX) on stdout.
 *
 * Usage: tsx bench/study-child.ts <spec.yaml> <reports dir>
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { RESULT_PREFIX, type ChildResult } from "./child-protocol.js";

const [specFile, reportsDir] = process.argv.slice(2);
if (specFile === undefined || reportsDir === undefined) throw new Error("usage: tsx bench/study-child.ts <spec.yaml> <reports dir>");

const loading = performance.now();
const { runStudy } = await import("../src/pipeline.js");
const { renderReportFiles } = await import("../src/run-studies.js");
const { writeReportFolder } = await import("../src/report/write-report.js");
const { defaultContext, silentLogger } = await import("../src/run-context.js");
// Loading the report modules lazily inside renderReportFiles would otherwise count vega's
// start-up against the first study's "report" stage.
await import("../src/report/charts/index.js");
await import("../src/report/render-svg.js");
const started = performance.now();
const cpuBefore = process.cpuUsage();

const run = await runStudy(specFile, defaultContext(process.cwd(), silentLogger));
const reportStarted = performance.now();
const files = await renderReportFiles(run);
writeReportFolder(resolve(reportsDir, run.spec.name), files);
const finished = performance.now();
const cpu = process.cpuUsage(cpuBefore);

const digest = createHash("sha256")
  .update(JSON.stringify({ comparisons: run.comparisons, rowsUsed: run.provenance.rowsUsed, rowsExcluded: run.provenance.rowsExcluded, coverage: run.coverage }))
  .digest("hex");
const result: ChildResult = {
  timings: [...run.timings, { stage: "charts (SVG) and report files", ms: finished - reportStarted }],
  moduleLoadMs: started - loading,
  studyMs: finished - started,
  studyCpuMs: (cpu.user + cpu.system) / 1000,
  rowsRead: run.provenance.rowsRead,
  rowsUsed: run.provenance.rowsUsed,
  // maxRSS is in kibibytes.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  resultsDigest: digest,
};
console.log(RESULT_PREFIX + JSON.stringify(result));
