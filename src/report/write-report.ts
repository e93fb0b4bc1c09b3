/**
 * Writes a study's report folder atomically: every file goes into a temporary sibling
 * folder first, which then replaces `reports/<name>/` by rename. A run that fails
 * midway leaves the previous report exactly as it was.
 *
 * Only what the engine wrote is ever replaced: a folder of the report's name that is not
 * an eventstudy report (the user's `data/` under `--reports .`) is refused, and every
 * entry of the previous report that the engine does not write (the user's notes) is
 * copied into the new folder before the swap.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { EventStudyError, OutputError } from "../errors.js";
import { messages } from "../messages.js";
import { isDirectory, isFile } from "../util/file-kind.js";

export interface ReportFile {
  /** Path inside the report folder, e.g. `charts/pre-post-means.vl.json`. */
  path: string;
  content: string;
}

export interface WriteReportOptions {
  /**
   * The names the engine writes in a report folder and in each cell's sub-folder
   * (`index.html`, `results.json`, `charts`, ...): these entries of the previous report
   * are replaced. Every other entry is the user's and is carried over into the new folder.
   */
  engineEntries?: readonly string[];
  /**
   * The sub-folders that hold a cell's report (this run's cells, and the previous run's):
   * in them only the engine's entries are replaced. Any other sub-folder is the user's (a
   * copy of an older cell, a snapshot) and is carried over whole, whatever it holds.
   */
  cellFolders?: readonly string[];
}

export function writeReportFolder(targetDir: string, files: readonly ReportFile[], options: WriteReportOptions = {}): void {
  // Every file stays inside the report folder: no path from a spec or the data may climb out.
  const outside = files.find((file) => !isInsideFolder(file.path));
  if (outside !== undefined) throw new OutputError(messages.outputNotWritable(targetDir, `the file name ${JSON.stringify(outside.path)} would be outside the report folder`));
  const parent = dirname(targetDir);
  const unique = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const key = folderKey(baseName(targetDir));
  const staging = join(parent, `.${key}.staging-${unique}`);
  const retired = join(parent, `.${key}.retired-${unique}`);
  try {
    makeFolders(parent);
    const hadPrevious = checkReportFolder(targetDir);
    mkdirSync(staging);
    for (const file of files) {
      const path = join(staging, file.path);
      makeFolders(dirname(path));
      writeFileSync(path, file.content);
    }
    if (hadPrevious) carryOverUserEntries(targetDir, staging, new Set(options.engineEntries ?? []), new Set(options.cellFolders ?? []));
    if (hadPrevious) renameSync(targetDir, retired);
    try {
      renameSync(staging, targetDir);
    } catch (error) {
      if (hadPrevious) {
        try {
          renameSync(retired, targetDir);
        } catch (restoreError) {
          throw new OutputError(messages.previousReportMoved(targetDir, retired, `${(error as Error).message}; ${(restoreError as Error).message}`));
        }
      }
      throw error;
    }
    // The new report is in place: a retired folder that cannot be deleted is only clutter.
    if (hadPrevious) removeQuietly(retired);
  } catch (error) {
    // Cleaning up must never hide the error that stopped the write.
    removeQuietly(staging);
    throw outputErrorFor(targetDir, error);
  }
}

/**
 * Whether `reportDir` holds a previous report (true) or nothing (false); refuses anything
 * the engine did not write: a file, or a folder that is not an eventstudy report. A report
 * folder is one with a results.json or a history.jsonl (every engine that wrote report
 * folders wrote one of them); an empty folder is taken too, as it holds nothing to lose.
 */
export function checkReportFolder(reportDir: string): boolean {
  let stats: Stats;
  try {
    stats = statSync(reportDir);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return false;
    throw outputErrorFor(reportDir, error);
  }
  if (!stats.isDirectory()) throw new OutputError(messages.reportFolderIsAFile(reportDir));
  let entries: string[];
  try {
    entries = readdirSync(reportDir);
  } catch (error) {
    throw outputErrorFor(reportDir, error);
  }
  if (entries.length === 0) return true;
  if (!["results.json", "history.jsonl"].some((name) => entries.includes(name) && isFile(join(reportDir, name)))) {
    throw new OutputError(messages.reportFolderNotAReport(reportDir));
  }
  return true;
}

/**
 * Copies every entry of the previous report that the engine does not write into the
 * staging folder (a file the new report also has is left as the engine wrote it). In a
 * cell's sub-folder (`cellFolders`) only the user's entries are carried over, the same
 * way; any other sub-folder is the user's and is copied whole. A file that
 * vanished meanwhile is skipped; one that cannot be copied stops the write with nothing
 * replaced (the previous report, that file included, stays as it was).
 */
function carryOverUserEntries(previous: string, staging: string, engineEntries: ReadonlySet<string>, cellFolders: ReadonlySet<string> | null): void {
  if (engineEntries.size === 0) return;
  for (const entry of readdirSync(previous, { withFileTypes: true })) {
    if (engineEntries.has(entry.name)) continue;
    const from = join(previous, entry.name);
    const to = join(staging, entry.name);
    if (cellFolders !== null && entry.isDirectory() && cellFolders.has(entry.name)) {
      carryOverUserEntries(from, to, engineEntries, null);
      continue;
    }
    makeFolders(staging);
    try {
      cpSync(from, to, { recursive: true, force: false, errorOnExist: false, verbatimSymlinks: true, preserveTimestamps: true });
    } catch (error) {
      if (errnoCode(error) === "ENOENT" && !existsSync(from)) continue;
      throw new OutputError(messages.userEntryNotCopied(dirname(from), from, (error as Error).message));
    }
  }
}

/**
 * Refuses a reports folder that cannot hold report folders (it is a file, or a file sits
 * where one of its parent folders should be), before a study spends time running.
 */
export function checkReportsFolder(reportsDir: string): void {
  for (let folder = reportsDir; ; folder = dirname(folder)) {
    let isFile = false;
    try {
      isFile = !statSync(folder).isDirectory();
    } catch {
      // Missing: it will be created (if a parent is a file, that parent is found on the way up).
    }
    if (isFile) throw new OutputError(messages.reportsNotAFolder(reportsDir, folder));
    if (dirname(folder) === folder) return;
  }
}

/**
 * `mkdir -p`, one folder at a time from the nearest existing one. Node's own recursive
 * mkdirSync retries forever where mkdir fails with ENOENT although the parent exists (in
 * /proc); here each folder is tried once, and any error is thrown.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let current = resolve(folder); ; current = dirname(current)) {
    try {
      if (statSync(current).isDirectory()) break;
      // A file where a folder should be: mkdir says so (EEXIST) below, or ENOTDIR past it.
      missing.push(current);
      break;
    } catch (error) {
      if (errnoCode(error) !== "ENOENT" || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Another process made it meanwhile.
      if (errnoCode(error) === "EEXIST" && isDirectory(path)) continue;
      throw error;
    }
  }
}

/**
 * A folder name short enough to prefix and suffix: the staging, retired and lock names
 * beside a report folder add up to 40 bytes to its name, past the file system's 255 for
 * a long spec file name. A name over 180 bytes is replaced by a hash of it.
 */
export function folderKey(name: string): string {
  return Buffer.byteLength(name) <= 180 ? name : `long-name-${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

/** An OutputError for a failed write to `dir`, in words (permission denied, name too long, ...) and with the fix. */
export function outputErrorFor(dir: string, error: unknown): EventStudyError {
  if (error instanceof EventStudyError) return error;
  const code = errnoCode(error);
  if (code === undefined) return new OutputError(messages.outputNotWritable(dir, (error as Error).message ?? String(error)));
  const path = (error as NodeJS.ErrnoException).path ?? dir;
  const [problem, fix] = FILE_SYSTEM_PROBLEMS[code] ?? [(error as Error).message.replace(/^[A-Z]+: /, "").split(",")[0] ?? code, "Check that the folder is writable"];
  return new OutputError(messages.outputFileSystem(dir, problem, code, path, fix));
}

const OTHER_FOLDER = "choose another folder with --reports";
/** Fixes that hold wherever the write failed (a report here; the list of studies: reports-index.ts). */
export const IN_PLACE_FIXES = {
  freeSpace: "Free some space",
  checkDisk: "Check the disk",
  openFiles: "Close other programs or raise the limit (ulimit -n)",
} as const;
const FILE_SYSTEM_PROBLEMS: Record<string, [problem: string, fix: string]> = {
  EACCES: ["permission denied", `Choose a folder you can write to with --reports, or change the folder's permissions`],
  EPERM: ["operation not permitted", `Choose a folder you can write to with --reports`],
  EROFS: ["the file system is read-only", `Choose a folder on a writable file system with --reports`],
  ENAMETOOLONG: ["a name in the path is too long", `Choose a shorter --reports path, or give the spec file a shorter name`],
  ENOSPC: ["no space left on the device", `${IN_PLACE_FIXES.freeSpace}, or ${OTHER_FOLDER}`],
  EDQUOT: ["the disk quota is used up", `${IN_PLACE_FIXES.freeSpace}, or ${OTHER_FOLDER}`],
  ENOTDIR: ["a file is where a folder should be", `Move that file, or ${OTHER_FOLDER}`],
  EEXIST: ["a file is where a folder should be", `Move that file, or ${OTHER_FOLDER}`],
  // mkdir or open failing with "no such file" in a folder that exists: /proc and the like.
  ENOENT: ["not a writable file system (nothing can be created there)", `Choose a folder on a disk with --reports`],
  EISDIR: ["a folder is where a file should be", `Move that folder, or ${OTHER_FOLDER}`],
  EMFILE: ["too many open files", `${IN_PLACE_FIXES.openFiles}, then run again`],
  EIO: ["an input/output error from the device", `${IN_PLACE_FIXES.checkDisk}, or ${OTHER_FOLDER}`],
};

export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left behind: a hidden folder beside the report, never the report itself.
  }
}

/** A relative path with no `..` segment, so it resolves inside the folder it is joined to. */
function isInsideFolder(path: string): boolean {
  if (path === "" || isAbsolute(path) || path.includes("\0")) return false;
  return !normalize(path).split(sep).includes("..") && !path.split(/[\\/]/).includes("..");
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? "report";
}
