// The data build (src/data/build/) checked against an independent reading of the raw files:
// the expectations below come from the small RFC 4180 parser in this file and from the raw
// files' own dprk_flag / dprk_match columns, never from the build code or DuckDB. The raw
// row counts (538, 2,100, 285) are the ones data/raw/SOURCES.md states.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildData, type BuildDataResult } from "../../src/data/build/build-data.js";
import { summaryLine } from "../../src/data/build/file-profile.js";

const RAW_DIR = fileURLToPath(new URL("../../data/raw/", import.meta.url));
const COMMITTED_DIR = fileURLToPath(new URL("../../data/", import.meta.url));

const SOURCES = ["defillama", "slowmist", "blocksec"] as const;
type Source = (typeof SOURCES)[number];
const RAW_ROWS: Record<Source, number> = { defillama: 538, slowmist: 2100, blocksec: 285 };
const BUILT_FILES = ["README.md", ...SOURCES.map((source) => `incidents_${source}.csv`)];

/** RFC 4180: comma-separated, `"`-quoted fields with `""` for a quote, LF or CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

interface Table {
  header: string[];
  rows: Array<Record<string, string>>;
}

function readTable(file: string): Table {
  const [header, ...records] = parseCsv(readFileSync(file, "utf8"));
  if (header === undefined) throw new Error(`${file} is empty`);
  const rows = records.map((record) => {
    expect(record.length, `${file}: a record has ${record.length} fields, the header ${header.length}`).toBe(header.length);
    return Object.fromEntries(header.map((column, i) => [column, record[i] ?? ""]));
  });
  return { header, rows };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const field = (row: Record<string, string>, column: string): string => {
  const value = row[column];
  if (value === undefined) throw new Error(`no column ${column}`);
  return value;
};

/** The raw incident files and, independently joined, the attribution row each one names. */
const raw = Object.fromEntries(SOURCES.map((source) => [source, readTable(join(RAW_DIR, `incidents_${source}.csv`))])) as Record<Source, Table>;
const attributions = readTable(join(RAW_DIR, "dprk_attributions.csv"));
const attributionByKey = new Map(attributions.rows.map((row) => [`${field(row, "date")} ${field(row, "name")}`, row]));

function readDir(dir: string): Map<string, Buffer> {
  return new Map(BUILT_FILES.map((name) => [name, readFileSync(join(dir, name))]));
}

/** Names of the files whose bytes differ (Buffer.equals: a deep toEqual on 1 MB is slow). */
function differing(actual: Map<string, Buffer>, expected: Map<string, Buffer>): string[] {
  return BUILT_FILES.filter((name) => {
    const a = actual.get(name);
    const e = expected.get(name);
    return a === undefined || e === undefined || !a.equals(e);
  });
}

let outDir: string;
let result: BuildDataResult;
let firstBytes: Map<string, Buffer>;
let built: Record<Source, Table>;
const scratch: string[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "build-data-"));
  scratch.push(outDir);
  result = await buildData({ inputDir: RAW_DIR, outputDir: outDir });
  firstBytes = readDir(outDir);
  built = Object.fromEntries(SOURCES.map((source) => [source, readTable(join(outDir, `incidents_${source}.csv`))])) as Record<Source, Table>;
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe("npm run data:build (buildData)", () => {
  it("writes exactly the built files", () => {
    expect(readdirSync(outDir).sort()).toEqual([...BUILT_FILES].sort());
  });

  it.each(SOURCES)("%s: writes every raw data row once", (source) => {
    expect(raw[source].rows.length).toBe(RAW_ROWS[source]);
    expect(built[source].rows.length).toBe(RAW_ROWS[source]);
    expect(result.files.find((f) => f.profile.source === source)?.profile.rows).toBe(RAW_ROWS[source]);
    const sourceRows = built[source].rows.map((row) => Number(field(row, "source_row"))).sort((a, b) => a - b);
    expect(sourceRows).toEqual(Array.from({ length: RAW_ROWS[source] }, (_, i) => i + 1));
  });

  it.each(SOURCES)("%s: rows per attribution_status equal a count of the raw dprk_flag", (source) => {
    // dprk_flag "tay_listed" covers two statuses; empty means no attribution ("none").
    const collapse = (status: string): string => (status.startsWith("listed_by_tay") ? "tay_listed" : status);
    const fromFlag = countBy(raw[source].rows, (row) => field(row, "dprk_flag") || "none");
    const fromBuild = countBy(built[source].rows, (row) => collapse(field(row, "attribution_status")));
    expect(fromBuild).toEqual(fromFlag);
  });

  it.each(SOURCES)("%s: rows per attribution_status equal an independent join on dprk_match", (source) => {
    const expected = countBy(raw[source].rows, (row) => {
      const match = field(row, "dprk_match");
      if (match === "") return "none";
      const attribution = attributionByKey.get(match);
      if (attribution === undefined) throw new Error(`${source}: dprk_match ${match} has no attribution row`);
      return field(attribution, "attribution_status");
    });
    expect(countBy(built[source].rows, (row) => field(row, "attribution_status"))).toEqual(expected);
    const profile = result.files.find((f) => f.profile.source === source)?.profile;
    expect(Object.fromEntries(profile?.statusCounts.map((c) => [c.status, c.rows]) ?? [])).toEqual(expected);
    expect(profile?.attributed).toBe(raw[source].rows.filter((row) => field(row, "dprk_match") !== "").length);
  });

  it.each(SOURCES)("%s: keeps every raw column verbatim and adds the attribution columns", (source) => {
    const rawHeader = raw[source].header;
    expect(built[source].header).toEqual(["incident_id", "source_row", ...rawHeader, "attribution_status", "dprk_cluster", "attribution_source"]);
    for (const row of built[source].rows) {
      const sourceRow = Number(field(row, "source_row"));
      const original = raw[source].rows[sourceRow - 1];
      if (original === undefined) throw new Error(`${source}: source_row ${sourceRow} is not a raw row`);
      expect(field(row, "incident_id")).toBe(`${source}-${sourceRow}`);
      for (const column of rawHeader) expect(field(row, column), `${source} row ${sourceRow} ${column}`).toBe(field(original, column));
      const attribution = attributionByKey.get(field(original, "dprk_match"));
      expect(field(row, "dprk_cluster")).toBe(attribution === undefined ? "" : field(attribution, "dprk_cluster"));
      expect(field(row, "attribution_source")).toBe(attribution === undefined ? "" : field(attribution, "primary_attribution_source"));
    }
  });

  it("gives every row an incident_id unique across the three files", () => {
    const ids = SOURCES.flatMap((source) => built[source].rows.map((row) => field(row, "incident_id")));
    expect(ids.length).toBe(538 + 2100 + 285);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(SOURCES)("%s: sorts by date, then source_row", (source) => {
    const keys = built[source].rows.map((row) => [field(row, "date"), Number(field(row, "source_row"))] as const);
    const sorted = [...keys].sort(([d1, r1], [d2, r2]) => (d1 < d2 ? -1 : d1 > d2 ? 1 : r1 - r2));
    expect(keys).toEqual(sorted);
  });

  it("writes byte-identical files when run again, in the same folder or a new one", async () => {
    await buildData({ inputDir: RAW_DIR, outputDir: outDir });
    expect(differing(readDir(outDir), firstBytes)).toEqual([]);
    const second = mkdtempSync(join(tmpdir(), "build-data-"));
    scratch.push(second);
    await buildData({ inputDir: RAW_DIR, outputDir: second });
    expect(differing(readDir(second), firstBytes)).toEqual([]);
  });

  it("matches the committed data/ files (rerun npm run data:build if this fails)", () => {
    expect(differing(readDir(COMMITTED_DIR), firstBytes)).toEqual([]);
  });

  it("prints one summary line per file", () => {
    const blocksec = result.files.find((f) => f.profile.source === "blocksec");
    if (blocksec === undefined) throw new Error("no blocksec file");
    // Counts: the independent join above (9 + 2 + 3 attributed, 271 none).
    expect(summaryLine("data/incidents_blocksec.csv", blocksec.profile)).toBe(
      "data/incidents_blocksec.csv: 285 rows written, 14 with attribution (listed_by_tay 9, listed_by_tay_cluster_unclear 2, msmt_only_tay_rejects 3, none 271)",
    );
  });

  it("stops, naming the incident row, when a dprk_match finds no attribution row, and writes nothing", async () => {
    const inputDir = mkdtempSync(join(tmpdir(), "build-data-raw-"));
    scratch.push(inputDir);
    cpSync(RAW_DIR, inputDir, { recursive: true });
    const attributionFile = join(inputDir, "dprk_attributions.csv");
    const lines = readFileSync(attributionFile, "utf8").split("\n");
    const kept = lines.filter((line) => !line.startsWith("2022-04-14,Ronin Bridge,"));
    expect(lines.length - kept.length).toBe(1);
    writeFileSync(attributionFile, kept.join("\n"));
    const roninRow = raw.defillama.rows.findIndex((row) => field(row, "dprk_match") === "2022-04-14 Ronin Bridge") + 1;
    expect(roninRow).toBe(109);

    const failedOut = join(inputDir, "out");
    await expect(buildData({ inputDir, outputDir: failedOut })).rejects.toThrow(
      `${join(inputDir, "incidents_defillama.csv")}: 1 dprk_match value(s) do not find exactly one row of ${attributionFile} by date || ' ' || name:\n` +
        `  row 109 ("Ronin Bridge"): dprk_match "2022-04-14 Ronin Bridge" finds no attribution row\n` +
        `Correct dprk_match in the incident file, or add the attribution row to ${attributionFile}.`,
    );
    expect(existsSync(failedOut)).toBe(false);
  });
});
