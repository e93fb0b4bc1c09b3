// writeReportFolder replaces only what the engine wrote, and a failed write says why in
// words (an OutputError, exit 4) with the previous report untouched: the cleanup after a
// failure never throws an error of its own in place of the first one.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OutputError } from "../../src/errors.js";
import { messages } from "../../src/messages.js";
import { checkReportFolder, folderKey, makeFolders, writeReportFolder } from "../../src/report/write-report.js";
import { makeTempDir as makeCliTempDir, snapshotTree, writeTree } from "../cli/run-cli.js";

const ENGINE = ["index.html", "results.json", "charts", "history.jsonl"];

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function makeTempDir(prefix: string): string {
  const dir = makeCliTempDir(prefix);
  made.push(dir);
  return dir;
}

describe("writeReportFolder", () => {
  it("a file name too long for the file system (ENAMETOOLONG, also in the cleanup): an OutputError saying so, the previous report untouched, no staging folder left", () => {
    const reports = makeTempDir("eventstudy-write-report-");
    writeTree(reports, { "s/results.json": "{}\n", "s/history.jsonl": "{}\n" });
    const before = snapshotTree(reports);
    const target = join(reports, "s");
    const tooLong = `${"n".repeat(300)}.json`;
    let thrown: unknown;
    try {
      writeReportFolder(target, [{ path: "index.html", content: "new" }, { path: tooLong, content: "x" }], { engineEntries: ENGINE });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OutputError);
    expect((thrown as Error).message).toMatch(/^cannot write the report to .*: a name in the path is too long \(ENAMETOOLONG on .*\)\. Choose a shorter --reports path, or give the spec file a shorter name; the previous report is untouched\.$/);
    expect(snapshotTree(reports)).toEqual(before);
  });

  it("refuses a folder that is not a report, takes an empty one and a report folder", () => {
    const reports = makeTempDir("eventstudy-write-report-");
    writeTree(reports, { "data/hacks.csv": "date,amount\n", "old/history.jsonl": "{}\n", "new/results.json": "{}\n" });
    mkdirSync(join(reports, "empty"));
    expect(() => checkReportFolder(join(reports, "data"))).toThrow(new OutputError(messages.reportFolderNotAReport(join(reports, "data"))));
    expect(checkReportFolder(join(reports, "empty"))).toBe(true);
    expect(checkReportFolder(join(reports, "old"))).toBe(true);
    expect(checkReportFolder(join(reports, "new"))).toBe(true);
    expect(checkReportFolder(join(reports, "missing"))).toBe(false);
    const before = snapshotTree(reports);
    expect(() => writeReportFolder(join(reports, "data"), [{ path: "index.html", content: "x" }], { engineEntries: ENGINE })).toThrow(
      new OutputError(messages.reportFolderNotAReport(join(reports, "data"))),
    );
    expect(snapshotTree(reports)).toEqual(before);
  });

  it("carries the user's entries over, in the report folder and in a cell's sub-folder, and drops the engine's old ones", () => {
    const reports = makeTempDir("eventstudy-write-report-");
    writeTree(reports, {
      "s/results.json": "old",
      "s/history.jsonl": "old\n",
      "s/charts/gone.vl.json": "{}",
      "s/notes.md": "mine",
      "s/treaty/index.html": "old cell",
      "s/treaty/charts/a.vl.json": "{}",
      "s/treaty/cell-notes.md": "mine too",
      "s/removed-variant/results.json": "old cell",
      "s/removed-variant/charts/a.vl.json": "{}",
    });
    writeReportFolder(join(reports, "s"), [{ path: "results.json", content: "new" }, { path: "history.jsonl", content: "old\nnew\n" }, { path: "treaty/index.html", content: "new cell" }], {
      engineEntries: ENGINE,
      // treaty is a cell now; removed-variant was one at the previous run.
      cellFolders: ["treaty", "removed-variant"],
    });
    expect(Object.keys(snapshotTree(join(reports, "s")))).toEqual(["history.jsonl", "notes.md", "results.json", "treaty/", "treaty/cell-notes.md", "treaty/index.html"]);
    expect(readFileSync(join(reports, "s", "results.json"), "utf8")).toBe("new");
    expect(readFileSync(join(reports, "s", "treaty", "index.html"), "utf8")).toBe("new cell");
    expect(readdirSync(reports)).toEqual(["s"]);
  });

  it("keeps whole a sub-folder that is no cell of this run or the last, even one that looks like a report (a copy the user keeps)", () => {
    const reports = makeTempDir("eventstudy-write-report-");
    writeTree(reports, {
      "s/results.json": "old",
      "s/treaty-before-fix/index.html": "a copy of an older cell",
      "s/treaty-before-fix/results.json": "its results",
      "s/treaty-before-fix/charts/a.vl.json": "{}",
    });
    writeReportFolder(join(reports, "s"), [{ path: "results.json", content: "new" }, { path: "treaty/index.html", content: "new cell" }], { engineEntries: ENGINE, cellFolders: ["treaty"] });
    // Before: any sub-folder with charts/ and an index.html was taken for a cell, and emptied.
    expect(Object.keys(snapshotTree(join(reports, "s", "treaty-before-fix")))).toEqual(["charts/", "charts/a.vl.json", "index.html", "results.json"]);
    expect(readFileSync(join(reports, "s", "treaty-before-fix", "index.html"), "utf8")).toBe("a copy of an older cell");
    expect(readFileSync(join(reports, "s", "treaty-before-fix", "results.json"), "utf8")).toBe("its results");
  });

  it("a user file that cannot be copied stops the write with nothing replaced, naming the file", () => {
    const reports = makeTempDir("eventstudy-write-report-");
    writeTree(reports, { "s/results.json": "old" });
    // A pipe in the report folder: cpSync cannot copy it.
    execFileSync("mkfifo", [join(reports, "s", "my.pipe")]);
    // The whole message but cpSync's own reason, which is the system's words.
    const [before, after] = messages.userEntryNotCopied(join(reports, "s"), join(reports, "s", "my.pipe"), "\0").split("\0") as [string, string];
    const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expect(() => writeReportFolder(join(reports, "s"), [{ path: "results.json", content: "new" }], { engineEntries: ENGINE })).toThrow(new RegExp(`^${literal(before)}.+${literal(after)}$`));
    expect(after).toBe("). Nothing was replaced. Make it readable, or move it out of the report folder.");
    expect(readFileSync(join(reports, "s", "results.json"), "utf8")).toBe("old");
    expect(readdirSync(reports)).toEqual(["s"]);
  });

  it("folderKey keeps a short name and hashes a long one, so prefixed and suffixed names stay under 255 bytes", () => {
    expect(folderKey("dprk-russia-treaty-2024")).toBe("dprk-russia-treaty-2024");
    expect(folderKey("x".repeat(250))).toMatch(/^long-name-[0-9a-f]{16}$/);
  });

  it.runIf(process.platform === "linux" && existsSync("/proc/self"))("makeFolders under /proc fails at once (Node's recursive mkdirSync retries forever there)", () => {
    expect(() => makeFolders("/proc/eventstudy-test/a/b")).toThrow(expect.objectContaining({ code: "ENOENT", syscall: "mkdir", path: "/proc/eventstudy-test" }));
  });
});
