// `data.file` as a glob through the real CLI: a feed that arrives as one file per month is
// read as one table (the same numbers as the same rows in one file), rerunning skips it
// while no file changes, a new month's file reruns it and says what moved, and a pattern
// that matches nothing is a data error at the spec line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCli, makeTempDir, runCli, writeTree } from "./run-cli.js";

function spec(dataFile: string): string {
  return `title: Monthly feed
data:
  file: "${dataFile}"
  columns: {date: date, amount: amount, name: name}
coverage: {start: 2024-01-01, end: 2024-02-29}
groups:
  - name: Lazarus
    where: {actor: lazarus}
  - name: Other
    otherwise: true
event: {date: 2024-01-31, label: the event}
windows:
  pre: {days: 30}
  post: {days: 30}
tests: {permutations: 199, bootstrap: {resamples: 199}}
robustness: {placebo: false, sensitivity_days: [10], influence_top_k: 1}
`;
}

const HEADER = "date,amount,name,actor\n";
const JANUARY = "2024-01-03,1000,Alpha,lazarus\n2024-01-09,250,Beta,\n2024-01-20,3000,Gamma,lazarus\n";
const FEBRUARY = "2024-02-02,400,Delta,\n2024-02-11,700,Epsilon,lazarus\n2024-02-27,90,Zeta,\n";

interface Results {
  provenance: { rowsRead: number; dataFile: string; dataSha256: string };
  results: Array<{ group: string; metric: string; pre: { mean: number }; post: { mean: number } }>;
}
const readResults = (dir: string, study: string): Results => JSON.parse(readFileSync(join(dir, "reports", study, "results.json"), "utf8")) as Results;
const means = (results: Results): string[] => results.results.map((item) => `${item.group} ${item.metric} ${item.pre.mean} ${item.post.mean}`);

beforeAll(() => buildCli(), 300_000);

describe("data.file as a glob", () => {
  it("names a bad row by its file and its row in that file, not by its place across all files", () => {
    const dir = makeTempDir("eventstudy-glob-rows-");
    writeTree(dir, {
      "analyses/feed.yaml": spec("data/feed/*.csv"),
      "data/feed/2024-01.csv": HEADER + JANUARY,
      // Row 2 of this file (row 5 of the two files together) has a date that is not one.
      "data/feed/2024-02.csv": HEADER + "2024-02-02,400,Delta,\n2024-13-45,700,Epsilon,lazarus\n2024-02-27,90,Zeta,\n",
    });
    const run = runCli(["run", "analyses/feed.yaml"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('row 2 of data/feed/2024-02.csv "Epsilon" (date "2024-13-45", amount "700")');
    expect(run.stderr).not.toMatch(/row 5\b/);
  });

  it("reads every matching file as one table, skips an unchanged rerun, reruns when a file is added", () => {
    const dir = makeTempDir("eventstudy-glob-");
    writeTree(dir, {
      "analyses/feed.yaml": spec("data/feed/*.csv"),
      "analyses/single.yaml": spec("data/all.csv"),
      "data/feed/2024-01.csv": HEADER + JANUARY,
      "data/all.csv": HEADER + JANUARY + FEBRUARY,
    });
    const first = runCli(["run", "analyses/feed.yaml"], { cwd: dir });
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(readResults(dir, "feed").provenance).toMatchObject({ rowsRead: 3, dataFile: "data/feed/*.csv" });

    expect(runCli(["run", "analyses/feed.yaml"], { cwd: dir }).stdout).toContain("analyses/feed.yaml: unchanged since the last run");

    writeFileSync(join(dir, "data", "feed", "2024-02.csv"), HEADER + FEBRUARY);
    const third = runCli(["run", "analyses/feed.yaml"], { cwd: dir });
    expect(third.status).toBe(0);
    expect(third.stdout).toContain("analyses/feed.yaml -> reports/feed/index.html");
    expect(third.stdout).toContain("post window: 3 incident(s) added");
    const feed = readResults(dir, "feed");
    expect(feed.provenance.rowsRead).toBe(6);

    // The two files together give exactly what one file with the same rows gives.
    expect(runCli(["run", "analyses/single.yaml"], { cwd: dir }).status).toBe(0);
    expect(means(feed)).toEqual(means(readResults(dir, "single")));
  }, 120_000);

  it("a pattern that matches no file is a data error naming the spec line and where it looked", () => {
    const dir = makeTempDir("eventstudy-glob-");
    writeTree(dir, { "analyses/feed.yaml": spec("data/feed/*.parquet"), "data/feed/2024-01.csv": HEADER + JANUARY });
    const result = runCli(["run", "analyses/feed.yaml"], { cwd: dir });
    expect(result.status).toBe(3);
    expect(result.stderr).toBe(
      'error: analyses/feed.yaml:3:9 data.file: the pattern "data/feed/*.parquet" matches no file (looked in analyses/data/feed/*.parquet and data/feed/*.parquet). ' +
        "A relative pattern is read beside the spec, then from the project root; * and ? match within one folder name, ** any number of folders.\n",
    );
  }, 60_000);
});
