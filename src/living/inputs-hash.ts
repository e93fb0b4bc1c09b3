/**
 * The content hash of everything a study's results depend on: the bytes of the spec and
 * every file it inherits from, the bytes of every data file any of its cells reads, and
 * the engine itself (its code and its calibration table). A study whose hash matches the
 * one recorded in its last results.json cannot have changed, so `run` skips it; any edit
 * to a spec, a data file or the engine's code reruns it.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NormalizedSpec, StudySpec } from "../spec/normalized-spec.js";
import { sha256SourcePattern } from "../data/source-files.js";
import { sha256File } from "../util/hash.js";

const CODE_DIR = fileURLToPath(new URL("..", import.meta.url));
const CALIBRATION = fileURLToPath(new URL("../../docs/calibration.json", import.meta.url));

/** Bumped when the meaning of the hash changes, so old reports are rerun once. */
const HASH_FORMAT = "inputs-v2";

let engineFingerprint: string | undefined;

/**
 * SHA-256 over the engine's own files (the compiled or source folder it runs from) and its
 * calibration table, computed once per process. Reading ~120 files costs ~35 ms, a tenth
 * of an unchanged rerun's budget, so the result is cached in the temp folder under a
 * signature of every file's path, size and modification time: a changed file changes the
 * signature and the bytes are hashed again, so the cache can only save time, never hide an edit.
 */
export function engineHash(version: string): string {
  if (engineFingerprint !== undefined) return engineFingerprint;
  const files = listFiles(CODE_DIR).filter((file) => /\.(js|ts)$/.test(file.path));
  const calibration = statOrUndefined(CALIBRATION);
  const signature = createHash("sha256")
    .update(`${HASH_FORMAT}\n${version}\n${CODE_DIR}\n`)
    .update(files.map((file) => `${file.path}\t${file.size}\t${file.mtimeMs}`).join("\n"))
    .update(calibration === undefined ? "\nno calibration" : `\n${calibration.size}\t${calibration.mtimeMs}`)
    .digest("hex");
  const cached = readEngineCache();
  if (cached?.signature === signature) return (engineFingerprint = cached.fingerprint);
  const hash = createHash("sha256").update(version);
  for (const file of files) hash.update(file.path.slice(CODE_DIR.length)).update(readFileSync(file.path));
  if (calibration !== undefined) hash.update(readFileSync(CALIBRATION));
  engineFingerprint = hash.digest("hex");
  writeEngineCache({ signature, fingerprint: engineFingerprint });
  return engineFingerprint;
}

/** One cache file per user and engine folder: two checkouts, or two users, never share one. */
const ENGINE_CACHE = join(tmpdir(), `eventstudy-engine-${process.getuid?.() ?? "user"}-${createHash("sha256").update(CODE_DIR).digest("hex").slice(0, 16)}.json`);

function readEngineCache(): { signature: string; fingerprint: string } | undefined {
  try {
    const value = JSON.parse(readFileSync(ENGINE_CACHE, "utf8")) as { signature?: unknown; fingerprint?: unknown };
    return typeof value.signature === "string" && typeof value.fingerprint === "string" ? { signature: value.signature, fingerprint: value.fingerprint } : undefined;
  } catch {
    return undefined;
  }
}

function writeEngineCache(entry: { signature: string; fingerprint: string }): void {
  // Written whole then renamed: a reader sees the old cache or the new one, never half of it.
  const staging = `${ENGINE_CACHE}.${process.pid}.tmp`;
  try {
    writeFileSync(staging, JSON.stringify(entry));
    renameSync(staging, ENGINE_CACHE);
  } catch {
    // A read-only temp folder only costs the next run the ~35 ms of hashing.
    rmSync(staging, { force: true });
  }
}

function statOrUndefined(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export interface StudyInputs {
  /** The combined hash recorded in results.json. */
  hash: string;
  /** Each spec file's SHA-256 (the spec, then what it inherits from). */
  specFiles: Array<{ path: string; sha256: string }>;
  /** Each distinct data file's SHA-256, in cell order. */
  dataFiles: Array<{ path: string; sha256: string }>;
  engine: string;
}

export async function studyInputs(study: StudySpec, engineVersion: string): Promise<StudyInputs> {
  const specFiles = await Promise.all(study.specFiles.map(async (path) => ({ path, sha256: await sha256File(path) })));
  const dataFiles: StudyInputs["dataFiles"] = [];
  const firstCell = new Map<string, NormalizedSpec>();
  for (const cell of study.cells) {
    // A variant can change data.file but not data.clickhouse, so a label names one source:
    // the cells that share it share its fingerprint, which their runs then reuse.
    const first = firstCell.get(cell.data.displayPath);
    if (first !== undefined) {
      shareFingerprint(first, cell);
      continue;
    }
    firstCell.set(cell.data.displayPath, cell);
    dataFiles.push({ path: cell.data.displayPath, sha256: await dataFingerprint(cell) });
  }
  const engine = engineHash(engineVersion);
  const hash = createHash("sha256").update(HASH_FORMAT);
  for (const file of [...specFiles, ...dataFiles]) hash.update(`${file.sha256}\n`);
  hash.update(engine);
  return { hash: hash.digest("hex"), specFiles, dataFiles, engine };
}

/**
 * ClickHouse fingerprints by cell. A run asks for a cell's fingerprint twice (for the
 * inputs hash, and for the provenance of the cell's results), and each asking is a pass
 * over the whole table on the server; keyed by the cell object, the second asking gets
 * the first answer. Every run loads its spec afresh, so an answer never outlives its run.
 * (A file's hash needs no such map: util/hash.ts keeps it per file identity and change
 * time, which also sees a file edited between the two askings.)
 */
const clickHouseFingerprints = new WeakMap<NormalizedSpec, Promise<string>>();

function shareFingerprint(from: NormalizedSpec, to: NormalizedSpec): void {
  const known = clickHouseFingerprints.get(from);
  if (known !== undefined) clickHouseFingerprints.set(to, known);
}

/**
 * A data file's SHA-256; for a ClickHouse source, the row count and the sum of every
 * row's hash, computed on the server (the table cannot be read byte by byte from here),
 * once per run (see clickHouseFingerprints).
 */
export async function dataFingerprint(spec: NormalizedSpec): Promise<string> {
  const clickhouse = spec.data.clickhouse;
  // A glob's hash covers every file it matches, with their names: adding a file reruns the study.
  if (clickhouse === null) return sha256SourcePattern(spec.data.path);
  let fingerprint = clickHouseFingerprints.get(spec);
  if (fingerprint === undefined) {
    // Remembered before anything is awaited, so a second asking in the meantime waits for this one.
    fingerprint = import("../data/clickhouse/open-source.js").then(({ clickHouseSourceFingerprint }) => clickHouseSourceFingerprint(spec, clickhouse));
    clickHouseFingerprints.set(spec, fingerprint);
    // A failed asking is not remembered: the next one tries the server again.
    fingerprint.catch(() => clickHouseFingerprints.delete(spec));
  }
  return fingerprint;
}

function listFiles(dir: string): Array<{ path: string; size: number; mtimeMs: number }> {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const stat = statSync(path);
      return stat.isDirectory() ? listFiles(path) : [{ path, size: stat.size, mtimeMs: stat.mtimeMs }];
    });
}
