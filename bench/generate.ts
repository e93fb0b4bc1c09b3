/**
 * Synthetic incident data for the scale benchmark, written by DuckDB itself
 * (`COPY (SELECT ... FROM range(N)) TO ...`) so 10M rows take seconds, not minutes.
 *
 * Every column of row i is a pure function of (seed, k), where k is i except for the rows
 * that repeat their predecessor (k = i - 1): those are exact duplicates, as a re-ingested
 * record would be. Randomness comes from a hash of (seed, k, salt), not `random()`, so the
 * files are identical on every run and with any number of threads.
 *
 * What the data looks like, and why:
 * - 2016-01-01..2025-12-31 (3,653 days), like a decade of telemetry;
 * - 40 actors with skewed frequencies (actor index = floor(40 u^3): the first takes ~29%),
 *   `Lazarus` third (~5%) — dozens of groups for the group rules;
 * - Lazarus's incident rate halves from EVENT_DATE on, everyone else's is flat, so the
 *   study has a real change to find (and a DiD against the others);
 * - Pareto amounts (tail index 1.1, minimum $1,000): one incident can dwarf a window;
 * - ~3% empty amounts, ~1 in 100k unparseable ("$5M", "1,000"), ~1 in 1M negative,
 *   ~1 in 200k missing dates, ~1 in 2,000 exact duplicates: every row check fires.
 *
 * Parquet gets typed columns, as a typed export has them (id BIGINT, date DATE, amount
 * DOUBLE with NaN where the CSV has "$5M" or "1,000": the engine refuses both as "not a
 * plain number"): the same rows, so CSV and Parquet studies of one size must give
 * identical results (bench/scale.ts checks it).
 *
 * Usage: tsx bench/generate.ts [--rows 1000000,10000000] [--formats csv,parquet,csv.gz] [--seed 7]
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDbSession } from "../src/data/duckdb-session.js";
import { quoteLiteral } from "../src/data/sql.js";

export const BENCH_DATA_DIR = resolve("bench/data");
/** The day the synthetic Lazarus rate halves; the bench specs put their event here. */
export const EVENT_DATE = "2024-06-19";
export const ACTORS = [
  "Unattributed", "Scattered Spider", "Lazarus", "APT28", "APT29", "FIN7", "Conti", "LockBit", "BlackCat",
  "Cl0p", "REvil", "Sandworm", "Turla", "Kimsuky", "APT41", "Evil Corp", "TA505", "Wizard Spider",
  "Carbanak", "DarkSide", "Hive", "Vice Society", "Royal", "Play", "Akira", "Black Basta", "Medusa",
  "BianLian", "Rhysida", "8Base", "NoEscape", "Cuba", "Ragnar Locker", "Maze", "Egregor", "Babuk",
  "Andariel", "BlueNoroff", "TraderTraitor", "Other",
] as const;
const CHAINS = ["ethereum", "bsc", "polygon", "arbitrum", "optimism", "solana", "avalanche", "tron", "base", "bitcoin", "fantom", "cosmos"];

/** Bumped whenever the SQL below changes what it writes, so old files are regenerated. */
const GENERATOR_VERSION = 2;
const FIRST_DAY = "2016-01-01";
const DAYS = 3653; // 2016-01-01..2025-12-31
/** Lazarus's post-event incidents per day relative to pre-event. */
const LAZARUS_RATE_RATIO = 0.5;

export type BenchFormat = "csv" | "csv.gz" | "parquet";

export interface GeneratedFile {
  rows: number;
  format: BenchFormat;
  path: string;
  bytes: number;
}

/** The rows as a SELECT over range(rows), with every column as the writer should see it. */
function selectSql(rows: number, seed: number, format: BenchFormat): string {
  // One 64-bit hash per (seed, row, salt). Not DuckDB's multi-argument hash(a, b, c): it
  // combines the arguments' hashes so simply that two salts give correlated values (the
  // first version drew every Lazarus day before the event). A single integer through the
  // full mixer is independent enough; k < 2^32 and salt < 8 keep the keys distinct.
  const h = (row: string, salt: number): string => `hash(${seed}::UBIGINT * 34359738368 + ${row} * 8 + ${salt})`;
  // u(salt): a uniform in (0, 1) from the top 53 bits of the hash.
  const u = (salt: number): string => `((${h("k", salt)} >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
  const eventOffset = `(DATE '${EVENT_DATE}' - DATE '${FIRST_DAY}')`;
  const actors = `[${ACTORS.map((actor) => quoteLiteral(actor)).join(", ")}]`;
  const chains = `[${CHAINS.map((chain) => quoteLiteral(chain)).join(", ")}]`;
  const lazarus = ACTORS.indexOf("Lazarus") + 1;
  // For Lazarus, a post-event day with probability post*r / (pre + post*r): a density that
  // drops by the factor r at the event; for every other actor, a uniform day.
  const postShare = `(${DAYS} - ${eventOffset}) * ${LAZARUS_RATE_RATIO} / (${eventOffset} + (${DAYS} - ${eventOffset}) * ${LAZARUS_RATE_RATIO})`;
  const amount = "round(1000 * pow(u_amount, -1 / 1.1), 2)";
  // CSV: text, with the strings a hand-kept list has. Parquet: a DOUBLE, as a typed export
  // has it, where those strings became NaN (which the engine refuses as "not a plain
  // number" too): both give the same study.
  const textAmount = `CASE WHEN quirk BETWEEN 5 AND 9 THEN '$5M' WHEN quirk BETWEEN 10 AND 14 THEN '1,000' WHEN quirk = 15 THEN '-100'
                           WHEN quirk >= 970000 THEN NULL ELSE CAST(${amount} AS VARCHAR) END`;
  const typedAmount = `CASE WHEN quirk BETWEEN 5 AND 14 THEN 'NaN'::DOUBLE WHEN quirk = 15 THEN -100::DOUBLE
                            WHEN quirk >= 970000 THEN NULL ELSE ${amount} END`;
  return `
    WITH keys AS (
      -- ~1 in 2,000 rows repeats the row before it, whole: an exact duplicate.
      SELECT i, CASE WHEN i > 0 AND ${h("i", 0)} % 2000 = 0 THEN i - 1 ELSE i END AS k FROM range(${rows}) t(i)
    ), drawn AS (
      SELECT i, k, 1 + floor(${ACTORS.length} * pow(${u(1)}, 3))::INTEGER AS actor_index,
             ${u(2)} AS u_day, ${u(3)} AS u_post, ${u(4)} AS u_amount, ${h("k", 5)} % 1000000 AS quirk
      FROM keys
    )
    SELECT k + 1 AS id,
           CASE WHEN quirk < 5 THEN NULL
                WHEN actor_index = ${lazarus} AND u_post < ${postShare}
                  THEN DATE '${EVENT_DATE}' + floor(u_day * (${DAYS} - ${eventOffset}))::INTEGER
                WHEN actor_index = ${lazarus}
                  THEN DATE '${FIRST_DAY}' + floor(u_day * ${eventOffset})::INTEGER
                ELSE DATE '${FIRST_DAY}' + floor(u_day * ${DAYS})::INTEGER END AS date,
           ${format === "parquet" ? typedAmount : textAmount} AS amount_usd,
           'incident ' || (k + 1) AS name,
           ${actors}[actor_index] AS actor,
           ${chains}[1 + (${h("k", 6)} % ${CHAINS.length})::INTEGER] AS chain
    FROM drawn`;
}

function fileName(rows: number, seed: number, format: BenchFormat): string {
  return `incidents-${rows}-seed${seed}.${format}`;
}

/** Writes the file unless a file from the same parameters is already there. */
export async function generate(rows: number, format: BenchFormat, seed = 7, dir = BENCH_DATA_DIR): Promise<GeneratedFile> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName(rows, seed, format));
  const stampPath = `${path}.params.json`;
  const stamp = JSON.stringify({ generator: GENERATOR_VERSION, rows, seed, format });
  if (existsSync(path) && existsSync(stampPath) && readFileSync(stampPath, "utf8") === stamp) {
    return { rows, format, path, bytes: statSync(path).size };
  }
  // Written under a temporary name and renamed, so an interrupted run never leaves a
  // half-written file that a later run would take for a finished one.
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const options = format === "parquet" ? "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880" : `FORMAT csv, HEADER true${format === "csv.gz" ? ", COMPRESSION gzip" : ""}`;
  const session = await DuckDbSession.open();
  try {
    await session.run(`COPY (${selectSql(rows, seed, format)}) TO ${quoteLiteral(partial)} (${options})`);
  } finally {
    session.close();
  }
  renameSync(partial, path);
  writeFileSync(stampPath, stamp);
  return { rows, format, path, bytes: statSync(path).size };
}

function parseArguments(argv: readonly string[]): { rows: number[]; formats: BenchFormat[]; seed: number } {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const rows = (value("--rows") ?? "1000000,10000000").split(",").map(Number);
  const formats = (value("--formats") ?? "csv,parquet").split(",") as BenchFormat[];
  const seed = Number(value("--seed") ?? 7);
  if (rows.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--rows: positive integers, e.g. --rows 1000000,10000000`);
  if (formats.some((format) => !["csv", "csv.gz", "parquet"].includes(format))) throw new Error(`--formats: csv, csv.gz or parquet`);
  return { rows, formats, seed };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { rows, formats, seed } = parseArguments(process.argv.slice(2));
  for (const n of rows) {
    for (const format of formats) {
      const started = performance.now();
      const file = await generate(n, format, seed);
      console.log(`${file.path}: ${(file.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
}
