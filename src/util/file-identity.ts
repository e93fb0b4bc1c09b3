/**
 * A file's identity and change state as one string: device, inode, size and modification
 * time. Two uses: the SHA-256 cache (hash.ts) keys a file by it, so a changed file is
 * hashed again; and a study records it for each data file before the first read and
 * compares it after the last (incident-source.ts). A study reads a file more than once (a
 * Parquet file read in place, at every question; a CSV again to compare duplicate
 * candidates), so a file replaced or appended to in the middle would give numbers from one
 * version and examples or provenance from another.
 */
import { statSync } from "node:fs";

/** The identity of `path` now; throws as statSync does for a path that is not there. */
export function fileIdentity(path: string): string {
  const stat = statSync(path);
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

export interface RecordedFile {
  path: string;
  identity: string;
}

export function recordFiles(paths: readonly string[]): RecordedFile[] {
  return paths.map((path) => ({ path, identity: fileIdentity(path) }));
}

/** The first recorded file that changed (or is gone) since, if any. */
export function changedFile(recorded: readonly RecordedFile[]): string | undefined {
  for (const file of recorded) {
    try {
      if (fileIdentity(file.path) !== file.identity) return file.path;
    } catch {
      return file.path;
    }
  }
  return undefined;
}
