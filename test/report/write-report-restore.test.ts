// The one failure writeReportFolder cannot undo: the new report cannot be moved into place
// and the previous one cannot be moved back. The error must say where the previous report
// now is and how to restore it. Two renames failing in a row cannot be caused on a real file
// system from a test, so `renameSync` is replaced by one that refuses exactly those two.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const refused = { staging: false, restore: false };

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const renameSync = (from: string, to: string): void => {
    if (refused.staging && from.includes(".staging-")) throw new Error("EXDEV: the new report could not be moved (simulated)");
    if (refused.restore && from.includes(".retired-")) throw new Error("EBUSY: the previous report could not be moved back (simulated)");
    fs.renameSync(from, to);
  };
  return { ...fs, renameSync, default: { ...fs, renameSync } };
});

const { OutputError } = await import("../../src/errors.js");
const { writeReportFolder } = await import("../../src/report/write-report.js");

const made: string[] = [];
afterEach(() => {
  refused.staging = false;
  refused.restore = false;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A reports folder holding one previous report, `s`, whose results.json says "the previous results". */
function previousReport(): { reports: string; target: string } {
  const reports = mkdtempSync(join(tmpdir(), "eventstudy-restore-"));
  made.push(reports);
  const target = join(reports, "s");
  mkdirSync(target);
  writeFileSync(join(target, "results.json"), "the previous results");
  return { reports, target };
}

describe("writeReportFolder when the previous report cannot be put back", () => {
  it("names the folder the previous report is in and how to restore it (exit 4), and leaves it there whole", () => {
    const { reports, target } = previousReport();
    refused.staging = true;
    refused.restore = true;
    let thrown: unknown;
    try {
      writeReportFolder(target, [{ path: "results.json", content: "new" }], { engineEntries: ["results.json"] });
    } catch (error) {
      thrown = error;
    }
    const retired = readdirSync(reports).filter((name) => name.startsWith(".s.retired-"));
    expect(retired).toHaveLength(1);
    const retiredPath = join(reports, retired[0] as string);
    expect(readFileSync(join(retiredPath, "results.json"), "utf8")).toBe("the previous results");
    expect(thrown).toBeInstanceOf(OutputError);
    expect((thrown as InstanceType<typeof OutputError>).exitCode).toBe(4);
    expect((thrown as Error).message).toBe(
      `cannot write the report to ${target} (EXDEV: the new report could not be moved (simulated); EBUSY: the previous report could not be moved back (simulated)), and the previous report could not be put back: it is in ${retiredPath}. Rename that folder to ${target} to restore it.`,
    );
  });

  it("puts the previous report back when only the new one cannot be moved into place", () => {
    const { reports, target } = previousReport();
    refused.staging = true;
    expect(() => writeReportFolder(target, [{ path: "results.json", content: "new" }], { engineEntries: ["results.json"] })).toThrow(OutputError);
    expect(readdirSync(reports)).toEqual(["s"]);
    expect(readFileSync(join(target, "results.json"), "utf8")).toBe("the previous results");
  });
});
