// The reports folder through the real CLI: the engine replaces only what it wrote. A
// folder of the report's name that is not a report (the user's data/ under `--reports .`),
// a user's file inside a report folder, a reports/index.html the engine did not write: none
// is deleted or overwritten. Two specs that would share a report folder are refused before
// anything runs. File-system errors on the reports folder (permission denied, a pseudo file
// system, a name too long) are output errors (exit 4) in words, never "internal error" or a
// hang, and leave every previous report as it was.
//
// The tests run as root, which chmod does not stop: "permission denied" comes from /sys
// (mkdir: EPERM; a file in an existing folder: EACCES) and "not a writable file system"
// from /proc (where Node's recursive mkdir used to retry forever).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../src/messages.js";
import { buildCli, makeTempDir, normalizePaths, PROJECT_ROOT, runCli, snapshotTree, writeTree, type CliResult } from "./run-cli.js";

const CASE = join(PROJECT_ROOT, "test", "bad-inputs", "cases", "reports-is-a-file");
const SPEC = readFileSync(join(CASE, "spec.yaml"), "utf8");
const DATA = readFileSync(join(CASE, "data.csv"), "utf8");
/** The one warning every run of this data prints (row 5 has no amount). */
const WARNING = /^warning: [^\n]*unknown amount[^\n]*\n$/;
const LINUX_PSEUDO_FS = process.platform === "linux" && existsSync("/proc/self") && existsSync("/sys/kernel");

let tmp: string;
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A throwaway project: `analyses/<name>.yaml` for each name, each reading `analyses/data.csv`. */
function project(...specNames: string[]): string {
  tmp = makeTempDir("eventstudy-report-folders-");
  writeTree(tmp, { "analyses/data.csv": DATA, ...Object.fromEntries(specNames.map((name) => [`analyses/${name}.yaml`, SPEC])) });
  return tmp;
}

function run(args: readonly string[]): CliResult & { error: string } {
  const result = runCli(["run", ...args], { cwd: tmp, timeoutMs: 60_000 });
  return { ...result, error: normalizePaths(result.stderr, { [tmp]: "<tmp>" }) };
}

describe("the engine replaces only what it wrote", () => {
  beforeAll(() => buildCli(), 300_000);

  it("refuses to replace a folder of the report's name that is not a report (data/ under --reports .): exit 4, nothing written", () => {
    project("data");
    writeTree(tmp, { "data/hacks.csv": "date,amount\n2024-01-01,5\n", "data/raw/feed.json": "[]\n" });
    const before = snapshotTree(tmp);
    const result = run(["analyses/data.yaml", "--reports", "."]);
    expect(result.error).toBe(`error: ${messages.reportFolderNotAReport("<tmp>/data")}\n`);
    expect(result.status).toBe(4);
    expect(result.stdout).toBe("");
    expect(snapshotTree(tmp)).toEqual(before);
  });

  it("refuses to replace a file of the report's name: exit 4, the file untouched", () => {
    project("spec");
    writeTree(tmp, { "reports/spec": "my file\n" });
    const before = snapshotTree(tmp);
    const result = run(["analyses/spec.yaml"]);
    expect(result.error).toBe(`error: ${messages.reportFolderIsAFile("<tmp>/reports/spec")}\n`);
    expect(result.status).toBe(4);
    expect(snapshotTree(tmp)).toEqual(before);
  });

  it("keeps the user's files inside a report folder across runs, and replaces the engine's own (an older engine's folder, with history.jsonl only, included)", () => {
    project("spec");
    const oldHistory = '{"runAt":"2026-01-01T00:00:00.000Z","engineVersion":"0.0.9","inputsHash":"previous","specFiles":[],"dataFiles":[],"engine":"previous","cells":[]}\n';
    writeTree(tmp, {
      // As an older engine left it: no results.json, a chart this engine no longer writes.
      "reports/spec/history.jsonl": oldHistory,
      "reports/spec/index.html": "<p>old report</p>\n",
      "reports/spec/charts/retired-chart.vl.json": "{}\n",
      // The user's.
      "reports/spec/mynotes.txt": "my notes\n",
      "reports/spec/extra/figure.svg": "<svg/>\n",
      "reports/spec/.hidden": "dotfile\n",
    });
    const result = run(["analyses/spec.yaml"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(WARNING);
    const folder = join(tmp, "reports", "spec");
    expect(readFileSync(join(folder, "mynotes.txt"), "utf8")).toBe("my notes\n");
    expect(readFileSync(join(folder, "extra", "figure.svg"), "utf8")).toBe("<svg/>\n");
    expect(readFileSync(join(folder, ".hidden"), "utf8")).toBe("dotfile\n");
    expect(readFileSync(join(folder, "index.html"), "utf8")).not.toBe("<p>old report</p>\n");
    expect(existsSync(join(folder, "charts", "retired-chart.vl.json"))).toBe(false);
    expect(readFileSync(join(folder, "history.jsonl"), "utf8").startsWith(oldHistory)).toBe(true);
    // And again: still there after a second run.
    expect(run(["analyses/spec.yaml", "--force"]).status).toBe(0);
    expect(readFileSync(join(folder, "mynotes.txt"), "utf8")).toBe("my notes\n");
    expect(readdirSync(join(tmp, "reports")).sort()).toEqual(["index.html", "spec"]);
  });

  it("refuses to overwrite a reports/index.html it did not write: exit 4, nothing written; replaces its own (an older engine's included)", () => {
    project("spec");
    writeTree(tmp, { "reports/index.html": "<!doctype html><title>My site</title>\n" });
    const before = snapshotTree(tmp);
    const result = run(["analyses/spec.yaml"]);
    expect(result.error).toBe(
      "error: cannot write the list of studies to reports/index.html: that file was not written by eventstudy, and it would be overwritten. Choose another folder with --reports, or rename or move reports/index.html; nothing was written.\n",
    );
    expect(result.status).toBe(4);
    expect(snapshotTree(tmp)).toEqual(before);
    // An older engine's page (no generator mark) is the engine's own.
    writeTree(tmp, { "reports/index.html": '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<title>Event studies</title>\n<body><main>\n<h1>Event studies</h1>\n' });
    expect(run(["analyses/spec.yaml"]).status).toBe(0);
    const page = readFileSync(join(tmp, "reports", "index.html"), "utf8");
    expect(page).toContain('<meta name="generator" content="eventstudy reports index">');
    expect(page).toContain('href="spec/index.html"');
  });

  it("reports/index.html that is a folder: exit 4 naming it, nothing written, no temporary file left", () => {
    project("spec");
    mkdirSync(join(tmp, "reports", "index.html"), { recursive: true });
    const before = snapshotTree(tmp);
    const result = run(["analyses/spec.yaml"]);
    expect(result.error).toBe(
      "error: cannot write the list of studies to reports/index.html: it is a folder, not a file. Choose another folder with --reports, or rename or move that folder; nothing was written.\n",
    );
    expect(result.status).toBe(4);
    expect(snapshotTree(tmp)).toEqual(before);
  });
});

describe("two specs that would write one report folder", () => {
  beforeAll(() => buildCli(), 300_000);

  it("a/study.yaml and b/study.yaml: exit 64 naming both, before anything runs or is written", () => {
    project();
    writeTree(tmp, { "a/study.yaml": SPEC.replace("file: data.csv", "file: ../analyses/data.csv"), "b/study.yaml": SPEC.replace("file: data.csv", "file: ../analyses/data.csv") });
    const before = snapshotTree(tmp);
    const result = run(["a/study.yaml", "b/study.yaml"]);
    expect(result.error).toBe(`error: ${messages.specsShareReportFolder("a/study.yaml", "b/study.yaml", "reports/study")}\n`);
    expect(result.status).toBe(64);
    expect(result.stdout).toBe("");
    expect(snapshotTree(tmp)).toEqual(before);
  });

  it("one spec named twice: exit 64, nothing run", () => {
    project("spec");
    const before = snapshotTree(tmp);
    const result = run(["analyses/spec.yaml", "analyses/spec.yaml"]);
    expect(result.error).toBe(`error: ${messages.specNamedTwice("analyses/spec.yaml")}\n`);
    expect(result.status).toBe(64);
    expect(snapshotTree(tmp)).toEqual(before);
  });

  it("one spec named twice is exit 64 also when its report is up to date (the fast rerun path does not answer it)", () => {
    project("spec");
    expect(run(["analyses/spec.yaml"]).status).toBe(0);
    // Before: the fast path printed "unchanged" twice and exited 0; with --json, 64.
    const twice = run(["analyses/spec.yaml", "analyses/spec.yaml"]);
    expect(twice.error).toBe(`error: ${messages.specNamedTwice("analyses/spec.yaml")}\n`);
    expect(twice.status).toBe(64);
  });
});

describe("a report folder belongs to the spec that wrote it", () => {
  beforeAll(() => buildCli(), 300_000);

  /** a/study.yaml and b/study.yaml, each reading analyses/data.csv; `b` may differ in its title. */
  function twoStudies(bTitle?: string): void {
    project();
    const spec = SPEC.replace("file: data.csv", "file: ../analyses/data.csv");
    expect(spec).not.toBe(SPEC);
    writeTree(tmp, { "a/study.yaml": spec, "b/study.yaml": bTitle === undefined ? spec : `${spec}output: {title: ${bTitle}}\n` });
  }

  it("b/study.yaml run after a/study.yaml (still there) is refused, exit 4, a's report and history untouched; also when the two specs are the same text, with --force, and with --check", () => {
    twoStudies("Another study");
    expect(run(["a/study.yaml"]).status).toBe(0);
    const before = snapshotTree(tmp);
    const refused = `error: ${messages.reportOfAnotherSpec("<tmp>/reports/study", "a/study.yaml", "b/study.yaml")}\n`;
    for (const args of [["b/study.yaml"], ["b/study.yaml", "--force"], ["b/study.yaml", "--check"]]) {
      const result = run(args);
      expect(result.error, args.join(" ")).toBe(refused);
      expect(result.status, args.join(" ")).toBe(4);
      expect(snapshotTree(tmp)).toEqual(before);
    }
    // The same text: its inputs hash is a's, so the fast rerun path would have called b "unchanged".
    twoStudies();
    expect(run(["a/study.yaml"]).status).toBe(0);
    const same = run(["b/study.yaml"]);
    expect(same.error).toBe(refused);
    expect(same.status).toBe(4);
  });

  it("finds the spec that wrote a report from the report folder, whatever folder a later run starts from", () => {
    twoStudies();
    // p1 is tmp itself; p2 is a folder beside a/ and b/ with its own a/study.yaml.
    writeTree(tmp, { "p2/a/study.yaml": SPEC.replace("file: data.csv", "file: ../../analyses/data.csv") });
    expect(run(["a/study.yaml"]).status).toBe(0);
    const reports = join(tmp, "reports");
    const fromP2 = (args: string[]) => runCli(["run", ...args, "--reports", reports, "--force"], { cwd: join(tmp, "p2"), timeoutMs: 60_000 });
    // The same spec, named from p2 by its absolute path: not another spec (p2/a/study.yaml
    // is what "a/study.yaml" would mean from p2, and it used to be taken for the writer).
    expect(fromP2([join(tmp, "a", "study.yaml")]).status).toBe(0);
    // p2's own a/study.yaml is another spec: refused, naming the writer as seen from p2.
    const other = fromP2(["a/study.yaml"]);
    expect(other.status).toBe(4);
    expect(normalizePaths(other.stderr, { [tmp]: "<tmp>" })).toBe(`error: ${messages.reportOfAnotherSpec("<tmp>/reports/study", "../a/study.yaml", "a/study.yaml")}\n`);
  });

  it("a report written before specFromReport is checked by its specFile, from the folder the run starts in; one that records no spec at all is taken", () => {
    twoStudies("Another study");
    expect(run(["a/study.yaml"]).status).toBe(0);
    const resultsFile = join(tmp, "reports", "study", "results.json");
    const results = JSON.parse(readFileSync(resultsFile, "utf8")) as { provenance: Record<string, unknown> };
    expect(results.provenance.specFromReport).toBe("../../a/study.yaml");
    delete results.provenance.specFromReport;
    writeFileSync(resultsFile, JSON.stringify(results));
    expect(run(["b/study.yaml"]).status).toBe(4);
    delete results.provenance.specFile;
    writeFileSync(resultsFile, JSON.stringify(results));
    expect(run(["b/study.yaml"]).status).toBe(0);
  });

  it("a spec that was moved keeps its report and history; the same spec named by another path is the same spec", () => {
    twoStudies();
    expect(run(["a/study.yaml"]).status).toBe(0);
    expect(run(["./a/../a/study.yaml", "--force"]).status).toBe(0);
    rmSync(join(tmp, "a", "study.yaml"));
    const moved = run(["b/study.yaml", "--force"]);
    expect(moved.status, moved.stderr).toBe(0);
    expect(readFileSync(join(tmp, "reports", "study", "history.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(tmp, "reports", "study", "results.json"), "utf8")).provenance.specFile).toBe("b/study.yaml");
  });
});

describe("file-system errors on the reports folder are output errors in words (exit 4), never a bug or a hang", () => {
  beforeAll(() => buildCli(), 300_000);

  const fileSystemError = (dir: string, problem: string, code: string, path: string, fix: string): string =>
    `error: ${messages.outputFileSystem(dir, problem, code, path, fix)}\n`;

  it.runIf(LINUX_PSEUDO_FS)("--reports /sys/rep (mkdir: EPERM): permission denied", () => {
    project("spec");
    const result = run(["analyses/spec.yaml", "--reports", "/sys/rep"]);
    expect(result.error).toBe(fileSystemError("/sys/rep/spec", "operation not permitted", "EPERM", "/sys/rep", "Choose a folder you can write to with --reports"));
    expect(result.status).toBe(4);
  });

  it.runIf(LINUX_PSEUDO_FS)("--reports /sys/kernel (an existing folder where the lock file cannot be created: EACCES): permission denied", () => {
    project("spec");
    const result = run(["analyses/spec.yaml", "--reports", "/sys/kernel"]);
    expect(result.error).toBe(
      fileSystemError("/sys/kernel/spec", "permission denied", "EACCES", "/sys/kernel/.spec.lock", "Choose a folder you can write to with --reports, or change the folder's permissions"),
    );
    expect(result.status).toBe(4);
  });

  it.runIf(LINUX_PSEUDO_FS)("--reports /proc/rep: exit 4 within seconds (it used to retry mkdir forever)", () => {
    project("spec");
    const started = Date.now();
    const result = run(["analyses/spec.yaml", "--reports", "/proc/rep"]);
    expect(result.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.error).toBe(fileSystemError("/proc/rep/spec", "not a writable file system (nothing can be created there)", "ENOENT", "/proc/rep", "Choose a folder on a disk with --reports"));
    expect(result.status).toBe(4);
  });

  it("a --reports path with a 300-character name: name too long, and the other reports are untouched", () => {
    project("spec");
    writeTree(tmp, { "reports/other/results.json": "{}\n", "reports/other/history.jsonl": "{}\n" });
    const long = `reports/${"r".repeat(300)}`;
    const before = snapshotTree(tmp);
    const result = run(["analyses/spec.yaml", "--reports", long]);
    expect(result.error).toBe(
      fileSystemError(`<tmp>/${long}/spec`, "a name in the path is too long", "ENAMETOOLONG", `<tmp>/${long}/spec`, "Choose a shorter --reports path, or give the spec file a shorter name"),
    );
    expect(result.status).toBe(4);
    expect(snapshotTree(tmp)).toEqual(before);
  });

  it("a spec file name of 225 characters writes its report (the staging, retired and lock names beside it stay under 255 bytes) and leaves nothing hidden behind", () => {
    const name = "x".repeat(225);
    project(name);
    const first = run([`analyses/${name}.yaml`]);
    expect(first.status, first.stderr).toBe(0);
    const second = run([`analyses/${name}.yaml`, "--force"]);
    expect(second.status, second.stderr).toBe(0);
    expect(readdirSync(join(tmp, "reports")).sort()).toEqual(["index.html", name]);
    expect(readFileSync(join(tmp, "reports", name, "history.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  });
});
