// `eventstudy init <data>` writes a commented starter spec that validates and runs, built
// from what is in the file; it never overwrites a spec without --force.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCli, makeTempDir, PROJECT_ROOT, runCli, writeTree } from "./run-cli.js";

const CSV = `when,loss_usd,victim,actor,link
2024-01-02,1000,Alpha,lazarus,https://example.org/a
2024-01-04,200,Beta,other,https://example.org/b
2024-01-06,3000,Gamma,lazarus,
2024-01-09,50,Delta,other,
2024-01-12,700,Epsilon,lazarus,
2024-01-15,90,Zeta,other,
2024-01-18,20,Eta,unknown,
`;

beforeAll(() => buildCli(), 300_000);

describe("eventstudy init", () => {
  it("finds the date, amount, name, url and group columns and writes a spec that validates and runs", () => {
    const dir = makeTempDir("eventstudy-init-");
    writeTree(dir, { "data/hacks.csv": CSV });
    const result = runCli(["init", "data/hacks.csv"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("analyses/hacks.yaml: written (7 rows, dates 2024-01-02 to 2024-01-18); edit the TODOs, then: eventstudy run analyses/hacks.yaml\n");
    const spec = readFileSync(join(dir, "analyses", "hacks.yaml"), "utf8");
    for (const line of [
      '  file: "data/hacks.csv"',
      '    date: "when"',
      '    amount: "loss_usd"',
      '    name: "victim"',
      '    url: "link"',
      "  start: 2024-01-02",
      "  end: 2024-01-18",
      "  # Values of actor: lazarus (3), other (3), unknown (1).",
      '  - name: "lazarus"  # TODO: the actor group the question is about',
      '      "actor": "lazarus"',
      "  date: 2024-01-10  # TODO: the event's date (this is the middle of the data)",
      "  pre: {days: 8}",
    ]) {
      expect(spec.split("\n")).toContain(line);
    }
    expect(runCli(["validate", "analyses/hacks.yaml"], { cwd: dir }).stdout).toBe("analyses/hacks.yaml: valid\n");
    const run = runCli(["run", "analyses/hacks.yaml"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, "reports", "hacks", "index.html"))).toBe(true);

    const again = runCli(["init", "data/hacks.csv"], { cwd: dir });
    expect(again.status).toBe(4);
    expect(again.stderr).toBe("error: analyses/hacks.yaml already exists. Choose another name with --output, or overwrite it with --force.\n");
    expect(runCli(["init", "data/hacks.csv", "--force"], { cwd: dir }).status).toBe(0);
  }, 120_000);

  it("writes a valid spec for the shipped DeFiLlama data", () => {
    const dir = makeTempDir("eventstudy-init-");
    copyFileSync(join(PROJECT_ROOT, "data", "incidents_defillama.csv"), join(dir, "incidents.csv"));
    const result = runCli(["init", "incidents.csv", "--output", "study.yaml"], { cwd: dir });
    expect(result.status).toBe(0);
    const spec = readFileSync(join(dir, "study.yaml"), "utf8");
    expect(spec).toContain('    date: "date"');
    expect(spec).toContain('    amount: "amount_usd"');
    expect(spec).toContain("  start: 2016-06-17");
    expect(runCli(["validate", "study.yaml"], { cwd: dir }).status).toBe(0);
  }, 120_000);

  it("finds a column of web addresses by its content when its name does not say (SlowMist's 'reference'), and writes the default seed", () => {
    const dir = makeTempDir("eventstudy-init-");
    copyFileSync(join(PROJECT_ROOT, "data", "incidents_slowmist.csv"), join(dir, "incidents.csv"));
    const result = runCli(["init", "incidents.csv", "--output", "study.yaml"], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    const spec = readFileSync(join(dir, "study.yaml"), "utf8").split("\n");
    expect(spec).toContain('    url: "reference"');
    expect(spec).toContain("  seed: 20240619  # the default; any whole number gives reproducible resamples");
    expect(runCli(["validate", "study.yaml"], { cwd: dir }).status).toBe(0);
  }, 120_000);

  it("refuses a file without a date column, naming the columns", () => {
    const dir = makeTempDir("eventstudy-init-");
    writeTree(dir, { "x.csv": "name,amount\na,1\nb,2\n" });
    const result = runCli(["init", "x.csv"], { cwd: dir });
    expect(result.status).toBe(3);
    expect(result.stderr).toBe(
      "error: x.csv: no column reads as dates (YYYY-MM-DD or ISO 8601 timestamps); columns are name (varchar), amount (varchar). A study needs one: convert the dates, then run init again.\n",
    );
    expect(existsSync(join(dir, "analyses"))).toBe(false);
  }, 60_000);

  it("refuses a file without an amount column, naming the columns, and a file that is not its format", () => {
    const dir = makeTempDir("eventstudy-init-");
    writeTree(dir, { "no-amount.csv": "date,victim\n2024-01-02,Alpha\n2024-01-03,Beta\n", "broken.json": '{"a": [1, 2\n' });
    const noAmount = runCli(["init", "no-amount.csv"], { cwd: dir });
    expect(noAmount.status).toBe(3);
    expect(noAmount.stderr).toBe(
      "error: no-amount.csv: no column reads as plain numbers for the loss amount; columns are date (varchar), victim (varchar). Write amounts without currency signs or commas, then run init again.\n",
    );
    const broken = runCli(["init", "broken.json"], { cwd: dir });
    expect(broken.status).toBe(3);
    // The middle is DuckDB's own first line, which may be worded differently in another DuckDB version.
    expect(broken.stderr).toMatch(/^error: broken\.json: cannot be read as json \(.*JSON.*\)\. Check the file, or name its format with --format\.\n$/);
    expect(existsSync(join(dir, "analyses"))).toBe(false);
  }, 60_000);

  it("names a missing data file, and a file whose format its name does not tell, with the fix", () => {
    const dir = makeTempDir("eventstudy-init-");
    writeTree(dir, { "hacks.txt": CSV });
    const missing = runCli(["init", "nope.csv"], { cwd: dir });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toBe(`error: nope.csv: data file not found. Check the path (relative to ${dir}).\n`);
    const unknown = runCli(["init", "hacks.txt"], { cwd: dir });
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toBe(
      'error: cannot tell the format of "hacks.txt" from its name. Name it with --format (csv, tsv, json, ndjson or parquet), or give the file one of the extensions .csv .tsv .json .ndjson .jsonl .parquet (each may end in .gz).\n',
    );
    expect(runCli(["init", "hacks.txt", "--format", "csv"], { cwd: dir }).status).toBe(0);
    // The spec is named after the file without its extension, even where the extension's text recurs in the name.
    writeTree(dir, { "my.csvdata.csv": CSV });
    expect(runCli(["init", "my.csvdata.csv"], { cwd: dir }).status).toBe(0);
    expect(existsSync(join(dir, "analyses", "my.csvdata.yaml"))).toBe(true);
    // The name does not tell the format, so the spec says it.
    expect(readFileSync(join(dir, "analyses", "hacks.yaml"), "utf8")).toContain("\n  file: \"hacks.txt\"\n  format: csv\n");
  }, 60_000);
});
