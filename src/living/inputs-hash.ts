/**
 * The content hash of everything a study's results depend on: the spec's bytes, the data
 * file's bytes, and the engine itself (its code and its calibration table). A study whose
 * hash matches the one recorded in its last results.json cannot have changed, so `run`
 * skips it; any edit to the spec, the data or the engine's code reruns it.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NormalizedSpec } from "../spec/normalized-spec.js";

const CODE_DIR = fileURLToPath(new URL("..", import.meta.url));
const CALIBRATION = fileURLToPath(new URL("../../docs/calibration.json", import.meta.url));

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

/** `dataSha256`: the data file's hash, which the caller has already computed for provenance. */
export function inputsHash(spec: NormalizedSpec, dataSha256: string, engineVersion: string): string {
  return createHash("sha256").update(readFileSync(spec.specFile)).update(dataSha256).update(engineHash(engineVersion)).digest("hex");
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
