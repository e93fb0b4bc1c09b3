/**
 * Runs the compiled CLI (`node bin/eventstudy.js ...`) as a child process, and builds it
 * first when a test file asks, so CLI tests work from a fresh clone (dist/ is not
 * committed). Also snapshots a folder byte for byte, so a test can prove that a failed
 * run left the reports folder exactly as it was.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: the folder holding package.json and bin/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = join(PROJECT_ROOT, "bin", "eventstudy.js");

export interface CliResult {
  /** The exit code; null when the process was killed by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node bin/eventstudy.js ...args`, run in `cwd` (the project root unless told). */
export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Compiles src/ to dist/ with the project's own TypeScript (what `npm run build` does).
 * Throws with the compiler's output if the build fails.
 */
export function buildCli(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 300_000 });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0 || !existsSync(join(PROJECT_ROOT, "dist", "cli", "main.js"))) {
    throw new Error(`building the CLI failed (tsc exit ${String(result.status)}):\n${result.stdout}${result.stderr}`);
  }
}

/** A fresh, empty temporary folder. */
export function makeTempDir(prefix = "eventstudy-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (relative path -> content) under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/**
 * Every entry under `dir`, as relative path -> "sha256:<hex> (<size> bytes)" of the file's
 * bytes, or "<dir>" for a folder, sorted by path: equal snapshots mean the same tree,
 * byte for byte, hidden entries (staging folders) included.
 */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      const key = relative(dir, path).split("\\").join("/");
      if (entry.isDirectory()) {
        out[`${key}/`] = "<dir>";
        walk(path);
      } else {
        const bytes = readFileSync(path);
        out[key] = `sha256:${createHash("sha256").update(bytes).digest("hex")} (${bytes.length} bytes)`;
      }
    }
  };
  walk(dir);
  return out;
}

/** Replaces each absolute path in `replacements` (longest first) by its placeholder. */
export function normalizePaths(text: string, replacements: Record<string, string>): string {
  return Object.entries(replacements)
    .sort(([a], [b]) => b.length - a.length)
    .reduce((current, [path, placeholder]) => current.split(path).join(placeholder), text);
}
