/**
 * Whether the data files stayed the same while a study read them. A study reads a file
 * more than once (a Parquet file read in place, at every question; a CSV again to compare
 * duplicate candidates), so a file replaced or appended to in the middle would give
 * numbers from one version and examples or provenance from another. The study records
 * each file's size, modification time and inode before the first read and checks them
 * after the last, and stops (nothing is written) if any changed.
 */
import { statSync } from "node:fs";

export interface FileIdentity {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export function fileIdentities(paths: readonly string[]): FileIdentity[] {
  return paths.map((path) => {
    const stats = statSync(path);
    return { path, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
  });
}

/** The first file whose size, modification time or inode differs now (or that is gone), if any. */
export function changedFile(recorded: readonly FileIdentity[]): string | undefined {
  for (const before of recorded) {
    try {
      const now = statSync(before.path);
      if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) return before.path;
    } catch {
      return before.path;
    }
  }
  return undefined;
}
