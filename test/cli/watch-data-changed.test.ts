// `watch` when a data file changes while a pass is reading it (a feed appending rows): that
// pass's study stops with exit 3 and writes nothing, and the change itself starts another
// pass, which reads the whole new file. The append has to land between the study's first
// look at the file and its last read, which a test cannot time from outside, so
// `recordFiles` (the first look) is wrapped to append a row right after it, once.
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTempDir, writeTree } from "./run-cli.js";

/** The data file (the end of its path) to append `row` to after its next first look, once. */
const appendAfterFirstLook: { file: string | undefined; row: string } = { file: undefined, row: "" };

vi.mock("../../src/util/file-identity.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/util/file-identity.js")>();
  return {
    ...actual,
    recordFiles: (paths: readonly string[]) => {
      const recorded = actual.recordFiles(paths);
      const { file, row } = appendAfterFirstLook;
      const target = file === undefined ? undefined : paths.find((path) => path.endsWith(file));
      if (target !== undefined) {
        appendAfterFirstLook.file = undefined;
        appendFileSync(target, row);
      }
      return recorded;
    },
  };
});

const { watchStudies } = await import("../../src/cli/watch.js");
const { runAndWrite } = await import("../../src/run-studies.js");
const { testContext } = await import("../helpers/study-fixture.js");
const { messages } = await import("../../src/messages.js");
const { LIVING_CSV, livingSpec } = await import("../helpers/living-study.js");

describe("watch and a data file that changes during a pass", () => {
  it("the pass that saw the change fails with exit 3 and writes nothing; the change starts another pass, which reads every row", async () => {
    const dir = makeTempDir("eventstudy-watch-changed-");
    writeTree(dir, { "analyses/feed.yaml": livingSpec("Feed", "data/feed.csv"), "data/feed.csv": LIVING_CSV });
    const specFile = join(dir, "analyses", "feed.yaml");
    const reports = join(dir, "reports");
    const outcomes: Array<Awaited<ReturnType<typeof runAndWrite>>> = [];
    const watcher = await watchStudies({
      initialFolders: [join(dir, "analyses"), join(dir, "data")],
      specFiles: () => [specFile],
      projectRoot: dir,
      debounceMs: 50,
      runPass: async (files) => {
        for (const file of files) {
          const outcome = await runAndWrite(file, testContext(dir), reports);
          outcomes.push(outcome);
          // The pass that saw the change outlasts the debounce (50 ms), as a real study on a
          // growing file would: the append's events must find it still running, which is
          // what schedules the next pass (a pass over by then would start one anyway).
          if (outcome.exitCode === 3) await new Promise((resolve) => setTimeout(resolve, 400));
        }
      },
      log: () => undefined,
    });
    const history = (): string[] => readFileSync(join(reports, "feed", "history.jsonl"), "utf8").trim().split("\n");
    const waitForOutcomes = async (count: number): Promise<void> => {
      const deadline = Date.now() + 30_000;
      while (outcomes.length < count) {
        if (Date.now() > deadline) throw new Error(`${outcomes.length} pass(es) ran, expected ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.run?.provenance.rowsRead).toBe(7);
      expect(history()).toHaveLength(1);
      const reportAfterFirstPass = readFileSync(join(reports, "feed", "results.json"), "utf8");

      // A row is appended (a pass starts), and during that pass another one arrives.
      Object.assign(appendAfterFirstLook, { file: "feed.csv", row: "2024-01-17,40,Theta,\n" });
      appendFileSync(join(dir, "data", "feed.csv"), "2024-01-16,60,Iota,lazarus\n");
      await waitForOutcomes(2);
      const failed = outcomes[1];
      expect(failed?.exitCode).toBe(3);
      expect((failed?.error as Error | undefined)?.message).toBe(messages.dataChangedDuringRun("data/feed.csv"));
      // Nothing was written by the failed pass: the first pass's report and history stand.
      expect(readFileSync(join(reports, "feed", "results.json"), "utf8")).toBe(reportAfterFirstPass);
      expect(history()).toHaveLength(1);

      // The append during the pass was itself a change: one more pass, on the whole file.
      await waitForOutcomes(3);
      const rerun = outcomes[2];
      expect(rerun?.exitCode).toBe(0);
      expect(rerun?.run?.provenance.rowsRead).toBe(9);
      expect(history()).toHaveLength(2);
    } finally {
      watcher.close();
    }
  }, 60_000);
});
