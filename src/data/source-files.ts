/**
 * The files a data path stands for, found without DuckDB: the spec check and the
 * "unchanged since the last run" check need them before DuckDB (~0.7 s to load) is worth
 * starting, and the study then hands DuckDB this very list (incident-table.ts), so what
 * is read is always what was hashed. Follows DuckDB's glob rules (a test checks the two
 * expand every pattern alike): `*` and `?` within one path segment, `[abc]`, `[a-z]` and
 * `[!a]` classes, and `**` for any number of directories. Sorted like DuckDB's ORDER BY
 * on the full path (byte order of UTF-8, which is code point order).
 */
import { readdirSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { isDirectory, isFile } from "../util/file-kind.js";
import { isGlobPattern, sha256Sources } from "./source-reader.js";

/** Every file the path or glob names (a plain path: itself, if it is a file), sorted. */
export function listSourceFiles(pattern: string): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(pattern);
  if (!isGlobPattern(absolute)) return isFile(absolute) ? [absolute] : [];
  const segments = absolute.split(sep);
  // Everything before the first segment with a glob character is a plain folder.
  const firstGlob = segments.findIndex(isGlobPattern);
  const base = segments.slice(0, firstGlob).join(sep) || sep;
  const found = new Set<string>();
  walk(base, segments.slice(firstGlob), found);
  return [...found].sort(byCodePoint);
}

/**
 * The SHA-256 of the data a path or glob names (source-reader.ts, sha256Sources): a plain
 * file's own hash, as before globs existed, so recorded hashes stay valid; for a glob, over
 * each file's name relative to the glob's fixed folder and its hash, so moving the whole
 * folder changes nothing and adding, removing or changing a file changes the hash.
 */
export async function sha256SourcePattern(pattern: string): Promise<string> {
  const files = listSourceFiles(pattern);
  if (!isGlobPattern(pattern)) return sha256Sources(files);
  const absolute = isAbsolute(pattern) ? pattern : resolve(pattern);
  const segments = absolute.split(sep);
  const base = segments.slice(0, segments.findIndex(isGlobPattern)).join(sep) || sep;
  return sha256Sources(files, (file) => relative(base, file));
}

function walk(dir: string, rest: readonly string[], found: Set<string>): void {
  const [segment, ...tail] = rest;
  if (segment === undefined) return;
  if (segment === "**") {
    walk(dir, tail, found); // zero folders
    for (const entry of entries(dir)) if (entry.isDirectory()) walk(join(dir, entry.name), rest, found);
    return;
  }
  const matcher = segmentRegExp(segment);
  for (const entry of entries(dir)) {
    if (!matcher.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (tail.length === 0) {
      if (isFile(path)) found.add(path);
    } else if (entry.isDirectory() || isDirectory(path)) {
      walk(path, tail, found);
    }
  }
}

/** One path segment of a glob as a regular expression. */
function segmentRegExp(segment: string): RegExp {
  let source = "";
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index] as string;
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const close = segment.indexOf("]", index + 2);
      if (close === -1) {
        source += "\\[";
        continue;
      }
      let body = segment.slice(index + 1, close);
      const negated = body.startsWith("!");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      index = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}

function entries(dir: string): import("node:fs").Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function byCodePoint(a: string, b: string): number {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return Buffer.compare(x, y);
}
