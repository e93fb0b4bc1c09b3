// What a full disk, a read-only file system, a failing device or too many open files do to
// a report's write and to the list of studies: each error is said in words with its fix,
// and nothing is lost (the previous report stays whole, no staging folder is left). These
// errors cannot be caused on demand from a test, so `writeFileSync` is replaced by one that
// fails with the given code for the files whose path contains a given text, after writing
// the first half of the content (as a full disk does), so a file the cleanup missed shows.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The error code to fail with (none: every write goes through), its words, and which files fail. */
const failing: { code: string | undefined; message: string; pathContains: string } = { code: undefined, message: "", pathContains: "" };

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const writeFileSync = (...args: Parameters<typeof fs.writeFileSync>): void => {
    const [path] = args;
    if (failing.code !== undefined && String(path).includes(failing.pathContains)) {
      const content = String(args[1]);
      fs.writeFileSync(path, content.slice(0, content.length >> 1));
      throw Object.assign(new Error(`${failing.code}: ${failing.message}, write '${String(path)}'`), { code: failing.code, path: String(path) });
    }
    fs.writeFileSync(...args);
  };
  return { ...fs, writeFileSync, default: { ...fs, writeFileSync } };
});

const { OutputError } = await import("../../src/errors.js");
const { writeReportFolder } = await import("../../src/report/write-report.js");
const { reportsIndexNotUpdatedText, writeReportsIndex } = await import("../../src/report/reports-index.js");

const made: string[] = [];
afterEach(() => {
  Object.assign(failing, { code: undefined });
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function reportsFolder(): string {
  const reports = mkdtempSync(join(tmpdir(), "eventstudy-fs-errors-"));
  made.push(reports);
  return reports;
}

// The code, the system's words for it (as Node gives them), and the problem and fix the
// report's error says (write-report.ts, FILE_SYSTEM_PROBLEMS).
const REPORT_CASES = [
  ["ENOSPC", "no space left on device", "no space left on the device", "Free some space, or choose another folder with --reports"],
  ["EDQUOT", "disk quota exceeded", "the disk quota is used up", "Free some space, or choose another folder with --reports"],
  ["EROFS", "read-only file system", "the file system is read-only", "Choose a folder on a writable file system with --reports"],
  ["EIO", "i/o error", "an input/output error from the device", "Check the disk, or choose another folder with --reports"],
  ["EMFILE", "too many open files", "too many open files", "Close other programs or raise the limit (ulimit -n), then run again"],
] as const;

describe("a report's write failing with a file-system error", () => {
  for (const [code, systemWords, problem, fix] of REPORT_CASES) {
    it(`${code}: says "${problem}" and the fix, exit 4; the previous report is untouched and no staging folder is left`, () => {
      const reports = reportsFolder();
      const target = join(reports, "study");
      mkdirSync(target);
      writeFileSync(join(target, "results.json"), "the previous results");
      writeFileSync(join(target, "index.html"), "the previous page");
      // The first file is written, the second fails: a write that breaks off halfway.
      Object.assign(failing, { code, message: systemWords, pathContains: "index.html" });
      let thrown: unknown;
      try {
        writeReportFolder(target, [
          { path: "results.json", content: "new results" },
          { path: "index.html", content: "new page" },
        ]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OutputError);
      expect((thrown as InstanceType<typeof OutputError>).exitCode).toBe(4);
      const staging = readdirSync(reports).find((name) => name.includes(".staging-"));
      expect(staging).toBeUndefined();
      const failedFile = join(reports, `.study.staging-`);
      expect((thrown as Error).message).toMatch(
        new RegExp(`^${escape(`cannot write the report to ${target}: ${problem} (${code} on ${failedFile}`)}[^/]+/index\\.html${escape(`). ${fix}; the previous report is untouched.`)}$`),
      );
      expect(readFileSync(join(target, "results.json"), "utf8")).toBe("the previous results");
      expect(readFileSync(join(target, "index.html"), "utf8")).toBe("the previous page");
      expect(readdirSync(reports)).toEqual(["study"]);
    });
  }
});

// The list's fixes never send the user to another --reports folder: every report is written.
const LIST_CASES = [
  ["ENOSPC", "no space left on device", "Free some space"],
  ["EDQUOT", "disk quota exceeded", "Free some space"],
  ["EIO", "i/o error", "Check the disk"],
  ["EMFILE", "too many open files", "Close other programs or raise the limit (ulimit -n)"],
  ["EACCES", "permission denied", "Make the folder writable"],
  ["EROFS", "read-only file system", "Make the file system writable (it is mounted read-only)"],
  ["ENOTDIR", "not a directory", "Check that the reports folder exists and is on a disk"],
  ["EBUSY", "resource busy or locked", "Check that the folder is writable"],
] as const;

describe("the list of studies failing with a file-system error", () => {
  for (const [code, systemWords, fix] of LIST_CASES) {
    it(`${code}: the warning gives the reason and "${fix}"; the previous list stays and no temporary file is left`, () => {
      const reports = reportsFolder();
      writeReportsIndex(reports);
      const previous = readFileSync(join(reports, "index.html"), "utf8");
      Object.assign(failing, { code, message: systemWords, pathContains: "index.html." });
      let thrown: unknown;
      try {
        writeReportsIndex(reports);
      } catch (error) {
        thrown = error;
      }
      const reason = (thrown as Error).message;
      expect(reason).toMatch(new RegExp(`^${escape(`${code}: ${systemWords}, write '${join(reports, "index.html.")}`)}\\d+\\.tmp'$`));
      expect(reportsIndexNotUpdatedText(reports, thrown)).toBe(
        `${reports}/index.html (the list of studies) was not updated (${reason}); every study's own report was written. ${fix}, then run again to rebuild the list.`,
      );
      expect(readFileSync(join(reports, "index.html"), "utf8")).toBe(previous);
      expect(readdirSync(reports)).toEqual(["index.html"]);
      expect(existsSync(join(reports, `index.html.${process.pid}.tmp`))).toBe(false);
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
