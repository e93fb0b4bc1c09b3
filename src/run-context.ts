/**
 * Everything a run takes from the outside world, in one place, so tests can pin it: the
 * clock, where the project is, and where messages go (STYLE.md, 9).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface RunContext {
  /** The project root: relative data paths and `reports/` are resolved from here. */
  projectRoot: string;
  now(): Date;
  logger: Logger;
  engineVersion: string;
}

export const ENGINE_VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8")) as { version: string }
).version;

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

export function defaultContext(projectRoot: string, logger: Logger): RunContext {
  return { projectRoot, now: () => new Date(), logger, engineVersion: ENGINE_VERSION };
}
