/**
 * `reports/index.html`: every study in the reports folder with its title, verdicts and
 * last run time, rebuilt from each study's results.json after every run (so studies run
 * at different times all appear). Written to a temporary file and renamed into place, and
 * only over an index.html this engine wrote: the page names its generator.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { join } from "node:path";
import { EventStudyError, OutputError } from "../errors.js";
import { messages } from "../messages.js";
import { html, trustedHtml, type SafeHtml } from "./html.js";
import { errnoCode, IN_PLACE_FIXES } from "./write-report.js";
import type { ResultsJson } from "./results-json.js";
import { cellCountLabel, didLabel, METRIC_LABEL } from "../text/labels.js";

/** What marks the page as this engine's (an older engine's page is known by its title and heading). */
const GENERATOR = '<meta name="generator" content="eventstudy reports index">';

/**
 * Refuses to replace `reports/index.html` when the engine did not write it (a page of the
 * user's, e.g. under `--reports .`) or when it is a folder. Missing is fine.
 */
export function checkReportsIndex(reportsDir: string, when: "before the studies" | "after the studies" = "before the studies"): void {
  const target = join(reportsDir, "index.html");
  let stats: Stats;
  try {
    stats = statSync(target);
  } catch {
    // Missing (or the reports folder is missing, a file, or cannot be read: the study's
    // own write says so, naming its report folder).
    return;
  }
  const written = when === "before the studies" ? "nothing was written" : "the list was not updated; every study's own report was written";
  if (stats.isDirectory()) throw new OutputError(messages.reportsIndexIsAFolder(target, written));
  if (!stats.isFile() || !isOurIndex(target)) throw new OutputError(messages.reportsIndexNotOurs(target, written));
}

function isOurIndex(file: string): boolean {
  let head: string;
  try {
    // The marks are in the first lines: no need to read a large page of the user's.
    const fd = openSync(file, "r");
    try {
      const buffer = Buffer.alloc(4096);
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return head.includes(GENERATOR) || (head.includes("<title>Event studies</title>") && head.includes("<h1>Event studies</h1>"));
}

export function writeReportsIndex(reportsDir: string): void {
  // Checked again: the user may have put a page of their own there while the studies ran.
  checkReportsIndex(reportsDir, "after the studies");
  const folders = readdirSync(reportsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && existsSync(join(reportsDir, entry.name, "results.json")))
    .map((entry) => ({ folder: entry.name, results: readReportResults(join(reportsDir, entry.name, "results.json")) }))
    .sort((a, b) => a.folder.localeCompare(b.folder));
  // A results.json of another shape (another tool's, hand-edited) that slips past the field
  // check fails while its section is drawn: it joins the folders not listed, and the
  // others are still listed.
  const sections: SafeHtml[] = [];
  const foreign: string[] = [];
  for (const { folder, results } of folders) {
    try {
      if (results === undefined) throw new Error("not a report of this engine");
      sections.push(studySection(folder, results));
    } catch {
      foreign.push(folder);
    }
  }
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${trustedHtml(GENERATOR)}
<title>Event studies</title>
<style>${trustedHtml(STYLES)}</style></head>
<body><main>
<h1>Event studies</h1>
<p class="note">${sections.length} studies. Each links to its full report; below are the first two sentences of each verdict (the caveats and the numbers behind them are in the report).</p>
${foreign.length === 0 ? "" : html`<p class="note">Not listed: ${foreign.join(", ")}, whose results.json is not a report of this engine (another tool's, or hand-edited).</p>`}
${sections}
</main></body></html>
`;
  const target = join(reportsDir, "index.html");
  const staging = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(staging, page.text);
    renameSync(staging, target);
  } catch (error) {
    try {
      rmSync(staging, { force: true });
    } catch {
      // Cleaning up never hides the error that stopped the write.
    }
    // The caller names the list (reportsIndexNotUpdatedText); this is only the reason, which
    // names the file the system refused, and its code, which picks the fix.
    throw Object.assign(new Error((error instanceof Error ? error.message : String(error)).split("\n")[0]), { code: errnoCode(error) });
  }
}

/**
 * What to do when the list cannot be written, by the system's error code. Every study's
 * own report is already in place, so unlike a report's write (write-report.ts) no fix
 * sends the user to another --reports folder.
 */
const LIST_FIXES: Record<string, string> = {
  ENOSPC: IN_PLACE_FIXES.freeSpace,
  EDQUOT: IN_PLACE_FIXES.freeSpace,
  EMFILE: IN_PLACE_FIXES.openFiles,
  EIO: IN_PLACE_FIXES.checkDisk,
  EACCES: "Make the folder writable",
  EPERM: "Make the folder writable",
  EROFS: "Make the file system writable (it is mounted read-only)",
  // The reports folder went away during the run, or is not on a disk (/proc).
  ENOENT: "Check that the reports folder exists and is on a disk",
  ENOTDIR: "Check that the reports folder exists and is on a disk",
  EISDIR: "Move the folder named index.html out of the way",
};

/**
 * The warning for a list that could not be rebuilt, with the fix its error calls for. A
 * refusal of the engine's own (index.html became a file of the user's during the run)
 * already says what to do, and is passed on as it is.
 */
export function reportsIndexNotUpdatedText(reportsDir: string, error: unknown): string {
  if (error instanceof EventStudyError) return error.message;
  const fix = LIST_FIXES[errnoCode(error) ?? ""] ?? "Check that the folder is writable";
  return messages.reportsIndexNotUpdated(reportsDir, error instanceof Error ? error.message : String(error), fix);
}

function studySection(folder: string, results: ResultsJson): SafeHtml {
  return html`<section>
  <h2><a href="${encodeURIComponent(folder)}/index.html">${results.study.reportTitle}</a></h2>
  <p class="note">Event ${results.event.date} (${results.event.label}) · data ${results.provenance.dataFile} · last run ${results.provenance.runAt} · spec ${results.study.specFile}${
    results.cells === undefined ? "" : html` · the verdicts below are for ${results.cells[0]?.variant?.name ?? results.cells[0]?.event.label ?? "the main cell"}; the report compares all ${cellCountLabel(results.cells)}`
  }</p>
  <ul>${[...results.results, ...results.differenceInDifferences].map((item) => {
    const subject = "group" in item ? item.group : didLabel(item.treated, item.controls);
    return html`<li><span class="badge">${item.verdict?.level ?? "n/a"}</span> <strong>${subject}, ${METRIC_LABEL[item.metric]}</strong>: ${item.verdict?.text.split(". ").slice(0, 2).join(". ") ?? ""}.</li>`;
  })}</ul>
</section>`;
}

/**
 * A folder's results.json when this engine wrote it (the fields this page reads are there);
 * undefined for anything else in the reports folder, which the page leaves out rather than
 * failing the run that has just written its own report.
 */
function readReportResults(file: string): ResultsJson | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const results = value as Partial<Record<keyof ResultsJson, unknown>>;
    const study = results.study as { reportTitle?: unknown } | undefined;
    const event = results.event as { date?: unknown } | undefined;
    const provenance = results.provenance as { runAt?: unknown } | undefined;
    const wellFormed =
      typeof study?.reportTitle === "string" &&
      typeof event?.date === "string" &&
      typeof provenance?.runAt === "string" &&
      Array.isArray(results.results) &&
      Array.isArray(results.differenceInDifferences);
    return wellFormed ? (value as ResultsJson) : undefined;
  } catch {
    return undefined;
  }
}

const STYLES = `
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
h2 { font-size: 1.15rem; margin: 28px 0 4px; }
.note { color: #5f6368; font-size: 0.9rem; }
li { margin-bottom: 4px; }
.badge { display: inline-block; font-size: 0.75rem; text-transform: uppercase; padding: 1px 6px; border-radius: 3px; background: #eee; }
`;
