// Living studies through the real CLI, in a throwaway project: run, run again (skips),
// append a row to one data file, run (reruns only the study that reads it and says what
// moved), `diff`, `run --check`, `run --json`; two runs of one study at once; `watch`.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { watchStudies } from "../../src/cli/watch.js";
import { defaultSpecFiles } from "../../src/run-studies.js";
import { LIVING_CSV, livingSpec } from "../helpers/living-study.js";
import { buildCli, makeTempDir, PROJECT_ROOT, runCli, snapshotTree, writeTree } from "./run-cli.js";

const CLI = join(PROJECT_ROOT, "bin", "eventstudy.js");

function project(): string {
  const dir = makeTempDir("eventstudy-living-");
  writeTree(dir, {
    "analyses/a.yaml": livingSpec("Study A", "data/a.csv"),
    "analyses/b.yaml": livingSpec("Study B", "data/b.csv"),
    "data/a.csv": LIVING_CSV,
    "data/b.csv": LIVING_CSV,
  });
  return dir;
}

const historyLines = (dir: string, study: string): number => readFileSync(join(dir, "reports", study, "history.jsonl"), "utf8").trim().split("\n").length;

beforeAll(() => buildCli(), 300_000);

/** Occurrences of `needle` in `text`. */
const count = (text: string, needle: string): number => text.split(needle).length - 1;

/**
 * `eventstudy watch <specs>` in `dir` (debounce 150 ms), its output so far, a wait for a
 * condition on it (failing with the output when the watch times out or exits first), and
 * a stop (Ctrl-C, then its close).
 */
function watchProcess(dir: string, specs: string[]) {
  const child = spawn(process.execPath, [CLI, "watch", ...specs, "--debounce", "150"], { cwd: dir });
  // Listened for at once: a watch that crashes has closed before the test stops it.
  const closed = new Promise((resolve) => child.on("close", resolve));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    stdout: (): string => stdout,
    stderr: (): string => stderr,
    async waitFor(check: () => boolean, what: string): Promise<void> {
      const deadline = Date.now() + 60_000;
      while (!check()) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`watch: ${child.exitCode === null ? "timed out waiting for" : `exited (${child.exitCode}) before`} ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(): Promise<void> {
      child.kill("SIGINT");
      await closed;
    },
  };
}

describe("living studies (CLI)", () => {
  it("run, run again (skips), append a row, run (reruns only the affected study and says what moved)", () => {
    const dir = project();
    const first = runCli(["run"], { cwd: dir });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("analyses/a.yaml -> reports/a/index.html");
    expect(first.stdout).toContain("analyses/b.yaml -> reports/b/index.html");
    expect(first.stdout).toContain("what moved: first recorded run: nothing to compare with yet");
    // Not a terminal: no progress line (no carriage returns) on stderr.
    expect(first.stderr).not.toContain("\r");
    expect(historyLines(dir, "a")).toBe(1);
    const before = snapshotTree(join(dir, "reports"));

    const second = runCli(["run"], { cwd: dir });
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(
      "analyses/a.yaml: unchanged since the last run (reports/a/index.html); --force reruns it\n" +
        "analyses/b.yaml: unchanged since the last run (reports/b/index.html); --force reruns it\n",
    );
    expect(snapshotTree(join(dir, "reports"))).toEqual(before);

    appendFileSync(join(dir, "data", "a.csv"), "2024-01-14,5000,New hack,lazarus\n");
    const third = runCli(["run"], { cwd: dir });
    expect(third.status).toBe(0);
    expect(third.stdout).toContain("analyses/a.yaml -> reports/a/index.html");
    expect(third.stdout).toContain("analyses/b.yaml: unchanged since the last run");
    expect(third.stdout).toMatch(/what moved: since the run of \S+: data data\/a\.csv changed\n/);
    expect(third.stdout).toContain("post window: 1 incident(s) added: 2024-01-14 New hack (Lazarus, $5.0k)");
    // By hand: Lazarus pre window (01-01..01-10) 1000 + 3000 over 10 days = $400/day; post
    // window 700 over 10 days = $70/day -> 5700 over 10 days = $570/day. Change 70 - 400 =
    // -330 -> 570 - 400 = +170; relative -330/400 = -82.5% -> 170/400 = +42.5%. (The p-values
    // that follow are permutation p-values, not hand-checkable here.)
    expect(third.stdout).toContain("Lazarus daily loss: post mean $70/day -> $570/day, change -$330/day -> $170/day, relative change -82.5% -> +42.5%, ");
    expect(third.stdout).toContain("All daily loss: post mean $81/day -> $581/day");
    // Nothing changed for Other (its rows did not change): counted, not listed.
    expect(third.stdout).not.toContain("    Other daily loss");
    expect(third.stdout).toContain("    2 other headline(s) unchanged\n");
    expect(historyLines(dir, "a")).toBe(2);
    expect(historyLines(dir, "b")).toBe(1);
    const report = readFileSync(join(dir, "reports", "a", "index.html"), "utf8");
    expect(report).toContain("What moved since the last run");
    expect(report).toContain("post window: 1 incident(s) added: 2024-01-14 New hack (Lazarus, $5.0k)");

    const diff = runCli(["diff", "a"], { cwd: dir });
    expect(diff.status).toBe(0);
    expect(diff.stdout).toContain("a: 2 run(s) recorded in history.jsonl; the last one:");
    expect(diff.stdout).toContain("  post window: 1 incident(s) added: 2024-01-14 New hack (Lazarus, $5.0k)");
    expect(runCli(["diff", "analyses/a.yaml", "--json"], { cwd: dir }).stdout).toContain('"previousRunAt"');
    const missing = runCli(["diff", "nope"], { cwd: dir });
    expect(missing.status).toBe(4);
    expect(missing.stderr).toMatch(/^error: nope: no run history in .*reports\/nope\. Run the study first/);
  }, 120_000);

  it("run --check exits 0 when every report is current and 5 when one is stale; --json is machine-readable", () => {
    const dir = project();
    expect(runCli(["run", "analyses/a.yaml"], { cwd: dir }).status).toBe(0);
    const fresh = runCli(["run", "--check", "analyses/a.yaml"], { cwd: dir });
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toBe("analyses/a.yaml: up to date\n");
    const neverRun = runCli(["run", "--check"], { cwd: dir });
    expect(neverRun.status).toBe(5);
    expect(neverRun.stdout).toContain("analyses/b.yaml: STALE");
    writeFileSync(join(dir, "analyses", "a.yaml"), livingSpec("Study A, renamed", "data/a.csv"));
    expect(runCli(["run", "--check", "analyses/a.yaml"], { cwd: dir }).status).toBe(5);

    const json = runCli(["run", "--json"], { cwd: dir });
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as { studies: Array<{ spec: string; status: string; cells: Array<{ headlines: Array<{ subject: string; metric: string }> }> }> };
    expect(parsed.studies.map((study) => [study.spec, study.status])).toEqual([
      ["analyses/a.yaml", "ran"],
      ["analyses/b.yaml", "ran"],
    ]);
    expect(parsed.studies[0]?.cells[0]?.headlines.map((headline) => `${headline.subject} ${headline.metric}`)).toContain("Lazarus daily_loss");
    const again = JSON.parse(runCli(["run", "--json"], { cwd: dir }).stdout) as { studies: Array<{ status: string }> };
    expect(again.studies.map((study) => study.status)).toEqual(["unchanged", "unchanged"]);
  }, 120_000);

  it("two runs of the same study at once both finish, and the report and history stay whole", async () => {
    const dir = project();
    expect(runCli(["run", "analyses/a.yaml"], { cwd: dir }).status).toBe(0);
    const runOnce = (): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI, "run", "--force", "analyses/a.yaml"], { cwd: dir });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([runOnce(), runOnce(), runOnce()]);
    expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
    expect(historyLines(dir, "a")).toBe(4);
    expect(() => JSON.parse(readFileSync(join(dir, "reports", "a", "results.json"), "utf8"))).not.toThrow();
    for (const line of readFileSync(join(dir, "reports", "a", "history.jsonl"), "utf8").trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    // No staging folder, retired folder or lock left behind.
    expect(readdirSync(join(dir, "reports")).sort()).toEqual(["a", "index.html"]);
  }, 120_000);

  it("watch reruns a study when its data changes, survives a broken spec, and reruns once it is fixed", async () => {
    const dir = project();
    const watch = watchProcess(dir, ["analyses/a.yaml"]);
    const { child, waitFor } = watch;
    try {
      await waitFor(() => count(watch.stderr(), "watching") >= 1, "the first pass");
      expect(count(watch.stdout(), "analyses/a.yaml -> ")).toBe(1);

      appendFileSync(join(dir, "data", "a.csv"), "2024-01-14,5000,New hack,lazarus\n");
      await waitFor(() => count(watch.stdout(), "analyses/a.yaml -> ") === 2, "a rerun after the data changed");
      expect(watch.stdout()).toContain("post window: 1 incident(s) added: 2024-01-14 New hack (Lazarus, $5.0k)");

      writeFileSync(join(dir, "analyses", "a.yaml"), livingSpec("Study A", "data/a.csv").replace("windows:", "windws:"));
      await waitFor(() => watch.stderr().includes('unknown key "windws"'), "the broken spec's error");
      expect(child.exitCode).toBeNull();

      writeFileSync(join(dir, "analyses", "a.yaml"), livingSpec("Study A, fixed", "data/a.csv"));
      await waitFor(() => count(watch.stdout(), "analyses/a.yaml -> ") === 3, "a rerun after the fix");
    } finally {
      await watch.stop();
    }
    expect(existsSync(join(dir, "reports", "a", "index.html"))).toBe(true);
    expect(historyLines(dir, "a")).toBe(3);
  }, 120_000);

  it("watch goes on when the specs' folder is removed while watching (an error, not an unhandled rejection), and runs again once it is back", async () => {
    const dir = project();
    // No spec named: every pass lists analyses/ again, which fails once the folder is gone.
    const watch = watchProcess(dir, []);
    const { child, waitFor } = watch;
    const missing =
      "error: analyses: not found (removed while watching?), so nothing ran. Restore it, or name the spec files to watch (eventstudy watch analyses/<name>.yaml); the watch goes on and runs again at the next change.\n";
    try {
      await waitFor(() => count(watch.stderr(), "watching") >= 1, "the first pass");
      expect(count(watch.stdout(), "analyses/a.yaml -> ")).toBe(1);

      rmSync(join(dir, "analyses"), { recursive: true });
      // The error and the line after it are two writes: wait for both (the second may arrive in a later chunk).
      await waitFor(() => watch.stderr().includes(missing) && watch.stderr().slice(watch.stderr().indexOf(missing) + missing.length).includes("\n"), "the missing folder's error and the line after it");
      // The error is followed by the watch going on, and nothing else went to stderr.
      expect(watch.stderr().slice(watch.stderr().indexOf(missing))).toMatch(/^error: analyses: not found [^\n]+\nwatching \d+ folder\(s\) for changes; Ctrl-C stops\n/);
      expect(watch.stderr()).not.toContain("nhandled");
      expect(child.exitCode).toBeNull();

      // The folder is back (watched again within a second) and a new row is in the watched data folder: study a runs again.
      mkdirSync(join(dir, "analyses"));
      writeFileSync(join(dir, "analyses", "a.yaml"), livingSpec("Study A", "data/a.csv"));
      appendFileSync(join(dir, "data", "a.csv"), "2024-01-14,5000,New hack,lazarus\n");
      await waitFor(() => count(watch.stdout(), "analyses/a.yaml -> ") === 2, "a rerun once the folder is back");
      expect(watch.stdout()).toContain("post window: 1 incident(s) added: 2024-01-14 New hack (Lazarus, $5.0k)");
    } finally {
      await watch.stop();
    }
    expect(historyLines(dir, "a")).toBe(2);
  }, 120_000);

  it("watch prints an error of its first pass as a user error and keeps watching", async () => {
    const dir = makeTempDir("eventstudy-watch-");
    mkdirSync(join(dir, "data"));
    const log: string[] = [];
    let passes = 0;
    const watcher = await watchStudies({
      initialFolders: [join(dir, "data")],
      // The real listing of analyses/, which does not exist here.
      specFiles: () => defaultSpecFiles(dir),
      projectRoot: dir,
      debounceMs: 10,
      runPass: async () => {
        passes += 1;
      },
      log: (message) => log.push(message),
    });
    watcher.close();
    expect(passes).toBe(0);
    expect(log).toEqual([
      "error: analyses: not found (removed while watching?), so nothing ran. Restore it, or name the spec files to watch (eventstudy watch analyses/<name>.yaml); the watch goes on and runs again at the next change.",
      "watching 1 folder(s) for changes; Ctrl-C stops",
    ]);
  });

  it("watch watches a folder again once it is removed and made anew (a watch follows the folder it started on)", async () => {
    const dir = makeTempDir("eventstudy-watch-");
    const analyses = join(dir, "analyses");
    mkdirSync(analyses);
    let passes = 0;
    const watcher = await watchStudies({
      initialFolders: [analyses],
      specFiles: () => [],
      projectRoot: dir,
      debounceMs: 20,
      runPass: async () => {
        passes += 1;
      },
      log: () => undefined,
    });
    const settle = async (): Promise<number> => {
      // Quiet for 1.5 s (longer than the debounce and one revive check): every pass due has run.
      let seen = -1;
      while (seen !== passes) {
        seen = passes;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      }
      return passes;
    };
    const waitForPassAfter = async (count: number, what: string): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (passes <= count) {
        if (Date.now() > deadline) throw new Error(`no pass after ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      expect(passes).toBe(1);
      rmSync(analyses, { recursive: true });
      mkdirSync(analyses);
      // Made anew: watched again, and a pass runs for whatever it now holds.
      await waitForPassAfter(1, "the folder came back");
      const before = await settle();
      // A change inside the new folder is seen (before the fix the watch stayed on the removed one).
      writeFileSync(join(analyses, "new.yaml"), "title: x\n");
      await waitForPassAfter(before, "a file was written in the new folder");
    } finally {
      watcher.close();
    }
  }, 60_000);

  it("a spec edit that adds a group is reported as a new headline by run, the report, changes.json and diff --json", () => {
    const dir = project();
    expect(runCli(["run", "analyses/a.yaml"], { cwd: dir }).status).toBe(0);
    // A third group carved out of "Other": Other's numbers change, "Beta" is new.
    writeFileSync(join(dir, "analyses", "a.yaml"), livingSpec("Study A", "data/a.csv").replace("  - name: Other\n", "  - name: Beta\n    where: {name: Beta}\n  - name: Other\n"));
    const second = runCli(["run", "analyses/a.yaml"], { cwd: dir });
    expect(second.status).toBe(0);
    const added = /\n {4}(Beta daily loss: new headline: pre mean \$20\/day, post mean \$0\/day, change -\$20\/day, relative change -100\.0%, p [^\n]+, evidence [^\n]+)\n/.exec(second.stdout);
    expect(added, second.stdout).not.toBeNull();
    expect(second.stdout).not.toContain("headline numbers unchanged");
    expect(readFileSync(join(dir, "reports", "a", "index.html"), "utf8")).toContain(`<li>${added![1]!}</li>`);
    const changes = JSON.parse(readFileSync(join(dir, "reports", "a", "changes.json"), "utf8")) as { cells: Array<{ addedHeadlines: Array<{ subject: string; metric: string; after: { preMean: number; postMean: number } }>; removedHeadlines: unknown[] }> };
    expect(changes.cells[0]!.addedHeadlines.map((headline) => [headline.subject, headline.metric, headline.after.preMean, headline.after.postMean])).toEqual([
      ["Beta", "daily_loss", 20, 0],
      ["Beta", "daily_incidents", 0.1, 0],
    ]);
    expect(changes.cells[0]!.removedHeadlines).toEqual([]);
    const diffJson = runCli(["diff", "a", "--json"], { cwd: dir });
    expect(diffJson.status).toBe(0);
    expect(JSON.parse(diffJson.stdout)).toEqual(changes);
  }, 120_000);
});
