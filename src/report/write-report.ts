/**
 * Writes a study's report folder atomically: every file goes into a temporary sibling
 * folder first, which then replaces `reports/<name>/` by rename. A run that fails
 * midway leaves the previous report exactly as it was.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { OutputError } from "../errors.js";
import { messages } from "../messages.js";

export interface ReportFile {
  /** Path inside the report folder, e.g. `charts/pre-post-means.vl.json`. */
  path: string;
  content: string;
}

export function writeReportFolder(targetDir: string, files: readonly ReportFile[]): void {
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

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? "report";
}
