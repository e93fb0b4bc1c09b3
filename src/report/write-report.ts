/**
 * Writes a study's report folder atomically: every file goes into a temporary sibling
 * folder first, which then replaces `reports/<name>/` by rename. A run that fails
 * midway leaves the previous report exactly as it was.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { OutputError } from "../errors.js";
import { messages } from "../messages.js";

export interface ReportFile {
  /** Path inside the report folder, e.g. `charts/pre-post-means.vl.json`. */
  path: string;
  content: string;
}

export function writeReportFolder(targetDir: string, files: readonly ReportFile[]): void {
  // Every file stays inside the report folder: no path from a spec or the data may climb out.
  const outside = files.find((file) => !isInsideFolder(file.path));
  if (outside !== undefined) throw new OutputError(messages.outputNotWritable(targetDir, `the file name ${JSON.stringify(outside.path)} would be outside the report folder`));
  const parent = dirname(targetDir);
  const unique = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const staging = join(parent, `.${baseName(targetDir)}.staging-${unique}`);
  const retired = join(parent, `.${baseName(targetDir)}.retired-${unique}`);
  try {
    mkdirSync(parent, { recursive: true });
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    const hadPrevious = existsSync(targetDir);
    if (hadPrevious) renameSync(targetDir, retired);
    try {
      renameSync(staging, targetDir);
    } catch (error) {
      if (hadPrevious) renameSync(retired, targetDir);
      throw error;
    }
    if (hadPrevious) rmSync(retired, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new OutputError(messages.outputNotWritable(targetDir, (error as Error).message));
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

/** A relative path with no `..` segment, so it resolves inside the folder it is joined to. */
function isInsideFolder(path: string): boolean {
  if (path === "" || isAbsolute(path) || path.includes("\0")) return false;
  return !normalize(path).split(sep).includes("..") && !path.split(/[\\/]/).includes("..");
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? "report";
}
