/**
 * Writes a tiny study (spec + CSV) into a fresh temp folder and runs it, with the clock
 * pinned, so a test can check daily series and comparisons by eye (STYLE.md, 8).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbSession } from "../../src/data/duckdb-session.js";
import { runStudy, type StudyRun } from "../../src/pipeline.js";
import { silentLogger, type RunContext } from "../../src/run-context.js";

export const FIXED_NOW = new Date("2026-01-02T03:04:05.000Z");

export function testContext(projectRoot: string): RunContext {
  return { projectRoot, now: () => FIXED_NOW, logger: silentLogger, engineVersion: "test" };
}

export interface Fixture {
  dir: string;
  specFile: string;
}

/** `csv` is written as data.csv; `spec` is YAML text that may refer to it as `data.csv`. */
export function writeFixture(spec: string, csv: string, name = "study"): Fixture {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-test-"));
  writeFileSync(join(dir, "data.csv"), csv);
  const specFile = join(dir, `${name}.yaml`);
  writeFileSync(specFile, spec);
  return { dir, specFile };
}

/**
 * Writes `parquetFile` from the rows of `csvFile` read as text: each column as written
 * (`select` "*"), or as `select` makes them (`CAST(amount AS DOUBLE) AS amount, ...`), so a
 * test can compare a Parquet file with the CSV it came from. `rowGroupSize` as DuckDB's COPY.
 */
export async function csvToParquet(csvFile: string, parquetFile: string, options: { select?: string; rowGroupSize?: number } = {}): Promise<void> {
  const session = await DuckDbSession.open();
  try {
    const rowGroups = options.rowGroupSize === undefined ? "" : `, ROW_GROUP_SIZE ${options.rowGroupSize}`;
    await session.run(`COPY (SELECT ${options.select ?? "*"} FROM read_csv('${csvFile}', all_varchar = true)) TO '${parquetFile}' (FORMAT parquet${rowGroups})`);
  } finally {
    session.close();
  }
}

export async function runFixture(spec: string, csv: string): Promise<StudyRun> {
  const fixture = writeFixture(spec, csv);
  return runStudy(fixture.specFile, testContext(fixture.dir));
}

/** A minimal valid spec around `data.csv`; `extra` is appended YAML (later keys must not repeat). */
export function basicSpec(parts: { data?: string; groups?: string; windows?: string; coverage?: string; event?: string; extra?: string } = {}): string {
  return [
    "title: Test study",
    parts.data ?? "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}",
    parts.coverage ?? "coverage: {start: 2024-01-01, end: 2024-01-20}",
    parts.groups ?? "groups:\n  - name: A\n    where: {actor: a}\n  - name: Rest\n    otherwise: true",
    parts.event ?? "event: {date: 2024-01-11, label: the event}",
    parts.windows ?? "windows:\n  pre: {days: 10}\n  post: {days: 10}",
    parts.extra ?? "",
  ].join("\n");
}
