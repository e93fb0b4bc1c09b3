// A 1 GB data file (issue 7): the study runs to the end through the real CLI, and the
// process's peak memory stays under a bound far below the file's size, so the file is
// streamed, not loaded whole. Generated at test time (never committed) and removed after.
//
// About 40 s on the 2-core machine (5 s to write the file with DuckDB, ~21 s for the study,
// the rest building the CLI), so it runs in `npm test`; EVENTSTUDY_LARGE=0 skips it, and
// `npm run test:large` runs it alone. LARGE_FILE_BYTES changes the size (e.g. 200000000).
//
// Peak memory: the CLI runs with a preloaded hook that writes process.resourceUsage().maxRSS
// (the kernel's high-water mark of resident memory, DuckDB's native memory included) when
// the process exits; /proc/<pid>/status VmHWM is sampled while it runs as a cross-check.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, makeTempDir, PROJECT_ROOT } from "../cli/run-cli.js";

const ENABLED = process.env.EVENTSTUDY_LARGE !== "0";
const TARGET_BYTES = Number(process.env.LARGE_FILE_BYTES ?? 1024 ** 3);
/** The documented bound (README, Limits): peak resident memory of the whole process. */
const PEAK_RSS_BOUND_BYTES = 1.5 * 1024 ** 3;
const ACTORS = ["lazarus", "apt38", "kimsuky", "andariel", "unattributed", "other", "unknown"];
const DAYS = 3653; // 2016-01-01..2025-12-31
/** The shortest row the generator writes ("2016-01-01,,Incident 0,other,exploit ... #0"), so `bytes / ROW_BYTES_AT_LEAST` rows are enough. */
const ROW_BYTES_AT_LEAST = 100;

/**
 * Writes at least `bytes` of CSV with DuckDB (`COPY (SELECT ... FROM range(n))`, seconds
 * rather than the minutes a JavaScript loop takes): every row distinct (no duplicates to
 * find), dates spread over ten years, 2% empty amounts and a few "$5M" so the row checks
 * have work, and a description column like a scraped list's, so a row is ~110 bytes.
 */
async function writeLargeCsv(path: string, bytes: number): Promise<{ rows: number; bytes: number }> {
  const rows = Math.ceil(bytes / ROW_BYTES_AT_LEAST);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const actors = `[${ACTORS.map((actor) => `'${actor}'`).join(", ")}]`;
    await connection.run(
      `COPY (
         SELECT strftime(DATE '2016-01-01' + CAST((i * 7919) % ${DAYS} AS INTEGER), '%Y-%m-%d') AS date,
                CASE WHEN i % 100003 = 0 THEN '$5M' WHEN i % 50 = 0 THEN NULL ELSE CAST((i * 2654435761) % 9999991 AS VARCHAR) END AS amount_usd,
                'Incident ' || i AS name,
                ${actors}[i % ${ACTORS.length} + 1] AS actor,
                'exploit of a bridge contract; funds moved through mixers #' || i AS description
         FROM range(${rows}) t(i)
       ) TO '${path.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { rows, bytes: statSync(path).size };
}

const SPEC = `title: A 1 GB data file
data:
  file: incidents.csv
  columns: {date: date, amount: amount_usd, name: name}
coverage: {start: 2016-01-01, end: 2025-12-31}
groups:
  - name: Lazarus
    where: {actor: [lazarus, apt38]}
  - name: Other
    otherwise: true
event: {date: 2024-06-19, label: the event}
windows:
  pre: {days: 180}
  post: {days: 180}
tests: {permutations: 999, bootstrap: {resamples: 999}}
robustness: {placebo: false}
`;

/** Runs the CLI, sampling VmHWM; resolves with the exit code, stderr, maxRSS (bytes) and the highest VmHWM seen. */
function runMeasured(args: string[], rssFile: string): Promise<{ status: number | null; stderr: string; maxRss: number; vmHwm: number; seconds: number }> {
  const hook = `data:text/javascript,${encodeURIComponent(
    `import { writeFileSync } from "node:fs"; process.on("exit", () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));`,
  )}`;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", hook, join(PROJECT_ROOT, "bin", "eventstudy.js"), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: "1" } });
  let stderr = "";
  let vmHwm = 0;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.resume();
  const sampler = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (match !== null) vmHwm = Math.max(vmHwm, Number(match[1]) * 1024);
    } catch {
      // The process has exited (or /proc is not there).
    }
  }, 200);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => {
      clearInterval(sampler);
      let maxRss = 0;
      try {
        maxRss = Number(readFileSync(rssFile, "utf8"));
      } catch {
        // The hook did not run (the process was killed).
      }
      resolve({ status, stderr, maxRss, vmHwm, seconds: (performance.now() - started) / 1000 });
    });
  });
}

describe.skipIf(!ENABLED)("a 1 GB data file is streamed, not loaded into memory (EVENTSTUDY_LARGE=0 skips)", () => {
  const dir = makeTempDir("eventstudy-large-");

  beforeAll(() => buildCli(), 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`runs a study on a ${(TARGET_BYTES / 1024 ** 3).toFixed(2)} GiB CSV with peak memory under ${PEAK_RSS_BOUND_BYTES / 1024 ** 3} GiB`, async () => {
    const generationStarted = performance.now();
    const file = await writeLargeCsv(join(dir, "incidents.csv"), TARGET_BYTES);
    const generationSeconds = (performance.now() - generationStarted) / 1000;
    writeFileSync(join(dir, "spec.yaml"), SPEC);

    const result = await runMeasured(["run", join(dir, "spec.yaml"), "--reports", join(dir, "reports")], join(dir, "max-rss"));
    const gib = (value: number): string => `${(value / 1024 ** 3).toFixed(2)} GiB`;
    process.stderr.write(
      `large file: ${gib(file.bytes)}, ${file.rows.toLocaleString("en-US")} rows, written in ${generationSeconds.toFixed(1)} s; ` +
        `study: exit ${result.status} in ${result.seconds.toFixed(1)} s, peak RSS ${gib(result.maxRss)} (maxRSS), ${gib(result.vmHwm)} (VmHWM sampled)\n`,
    );

    expect(result.status, result.stderr).toBe(0);
    // The bad amounts were seen and reported, row by row, as in a small file.
    expect(result.stderr).toMatch(/row\(s\) left out: the amount is not a plain number/);
    const results = JSON.parse(readFileSync(join(dir, "reports", "spec", "results.json"), "utf8")) as { provenance: { rowsRead: number } };
    expect(results.provenance.rowsRead).toBe(file.rows);
    expect(file.bytes).toBeGreaterThanOrEqual(TARGET_BYTES);
    expect(result.maxRss).toBeGreaterThan(0);
    expect(result.maxRss).toBeLessThan(PEAK_RSS_BOUND_BYTES);
    expect(result.vmHwm).toBeLessThan(PEAK_RSS_BOUND_BYTES);
  }, 1_800_000);
});
