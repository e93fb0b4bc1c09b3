/**
 * The content hash of everything a study's results depend on: the bytes of the spec and
 * every file it inherits from, the bytes of every data file any of its cells reads, and
 * the engine itself (its code and its calibration table). A study whose hash matches the
 * one recorded in its last results.json cannot have changed, so `run` skips it; any edit
 * to a spec, a data file or the engine's code reruns it.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NormalizedSpec, StudySpec } from "../spec/normalized-spec.js";
import { sha256File } from "../util/hash.js";

const CODE_DIR = fileURLToPath(new URL("..", import.meta.url));
const CALIBRATION = fileURLToPath(new URL("../../docs/calibration.json", import.meta.url));

/** Bumped when the meaning of the hash changes, so old reports are rerun once. */
const HASH_FORMAT = "inputs-v2";

let engineFingerprint: string | undefined;

/** SHA-256 over the engine's own files (the compiled or source folder it runs from), computed once per process. */
export function engineHash(version: string): string {
  if (engineFingerprint === undefined) {
    const hash = createHash("sha256").update(version);
    for (const file of listFiles(CODE_DIR).filter((path) => /\.(js|ts)$/.test(path))) hash.update(file.slice(CODE_DIR.length)).update(readFileSync(file));
    try {
      hash.update(readFileSync(CALIBRATION));
    } catch {
      // No calibration table: the report just does not mention it.
    }
    engineFingerprint = hash.digest("hex");
  }
  return engineFingerprint;
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
  for (const cell of study.cells) {
    if (dataFiles.some((file) => file.path === cell.data.displayPath)) continue;
    dataFiles.push({ path: cell.data.displayPath, sha256: await dataFingerprint(cell) });
  }
  const engine = engineHash(engineVersion);
  const hash = createHash("sha256").update(HASH_FORMAT);
  for (const file of [...specFiles, ...dataFiles]) hash.update(`${file.sha256}\n`);
  hash.update(engine);
  return { hash: hash.digest("hex"), specFiles, dataFiles, engine };
}

/**
 * A data file's SHA-256; for a ClickHouse source, the row count and the sum of every
 * row's hash, computed on the server (the table cannot be read byte by byte from here).
 */
export async function dataFingerprint(spec: NormalizedSpec): Promise<string> {
  const clickhouse = spec.data.clickhouse;
  if (clickhouse === null) return sha256File(spec.data.path);
  const { openClickHouseIncidents } = await import("../data/clickhouse/open-source.js");
  return (await openClickHouseIncidents(spec, clickhouse)).fingerprint();
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
