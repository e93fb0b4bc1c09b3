// The study lock: a dead owner's lock is taken over, a live owner's is waited for, and a
// waiter acting on what it read earlier never deletes a lock that another waiter took
// over meanwhile. The race is made deterministic by running the other waiter's takeover
// inside the first waiter's read of the dead lock (node:fs is wrapped for that).
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { withStudyLock } from "../../src/living/study-lock.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});
const realFs = await vi.importActual<typeof import("node:fs")>("node:fs");

/** Above any pid_max (Linux allows at most 2^22): never a live process. */
const DEAD_PID = 2 ** 31 - 2;
/** A process that is alive for the whole test: the one that started this test worker. */
const LIVE_PID = process.ppid;

function reportsFolder(): { reports: string; reportDir: string; lockFile: string } {
  const reports = mkdtempSync(join(tmpdir(), "eventstudy-lock-"));
  return { reports, reportDir: join(reports, "s"), lockFile: join(reports, ".s.lock") };
}

const lockedMessage = (reportDir: string, lockFile: string, pid: number): string =>
  `${reportDir}: another eventstudy run (pid ${pid}) is writing this report and did not finish in time. Wait for it, or delete ${lockFile} if no run is going on.`;

/** Runs `race` once, inside the first read of `lockFile`: after the content is read, before the reader acts on it. */
function onFirstReadOf(lockFile: string, race: () => void): { ran: () => boolean } {
  let raced = false;
  vi.mocked(readFileSync).mockImplementation(((path: Parameters<typeof realFs.readFileSync>[0], options?: unknown) => {
    const content = realFs.readFileSync(path, options as BufferEncoding);
    if (path === lockFile && !raced) {
      raced = true;
      race();
    }
    return content;
  }) as typeof readFileSync);
  return { ran: () => raced };
}

afterEach(() => {
  vi.mocked(readFileSync).mockImplementation(realFs.readFileSync);
});

describe("withStudyLock", () => {
  it("takes over the lock of a dead process (as an older engine wrote it: the pid alone) and leaves no file behind", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    writeFileSync(lockFile, String(DEAD_PID));
    expect(() => process.kill(DEAD_PID, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    const during: string[] = [];
    expect(await withStudyLock(reportDir, 5_000, async () => (during.push(...readdirSync(reports)), "ran"))).toBe("ran");
    expect(during).toEqual([".s.lock"]);
    expect(readdirSync(reports)).toEqual([]);
  });

  it("waits for a live owner and gives up with a message naming it and the lock file", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    const live = `${LIVE_PID} another-run\n`;
    writeFileSync(lockFile, live);
    await expect(withStudyLock(reportDir, 200, async () => "ran")).rejects.toThrow(lockedMessage(reportDir, lockFile, LIVE_PID));
    expect(readFileSync(lockFile, "utf8")).toBe(live);
    expect(readdirSync(reports)).toEqual([".s.lock"]);
  });

  it("never deletes the live lock another process took over after this waiter read the dead pid", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    writeFileSync(lockFile, `${DEAD_PID} crashed-run\n`);
    const live = `${LIVE_PID} the-other-process\n`;
    // The other process deletes the dead lock and creates its own, live one.
    const race = onFirstReadOf(lockFile, () => {
      realFs.rmSync(lockFile);
      realFs.writeFileSync(lockFile, live);
    });
    await expect(withStudyLock(reportDir, 300, async () => "ran")).rejects.toThrow(lockedMessage(reportDir, lockFile, LIVE_PID));
    expect(race.ran()).toBe(true);
    expect(readFileSync(lockFile, "utf8")).toBe(live);
    // No takeover claim left behind either.
    expect(readdirSync(reports)).toEqual([".s.lock"]);
  });

  it("waiters that read the dead pid before another took the lock over never delete the live lock: one holder at a time", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    writeFileSync(lockFile, `${DEAD_PID} crashed-run\n`);
    const events: string[] = [];
    let holders = 0;
    const lockState = (): string => (realFs.existsSync(lockFile) ? "present" : "gone");
    const waiter = (name: string): Promise<string> =>
      withStudyLock(reportDir, 5_000, async () => {
        holders += 1;
        events.push(`${name} in: ${holders} holding, lock ${lockState()}`);
        // Long enough for the others to poll a few times (every 50 ms).
        await new Promise((resolve) => setTimeout(resolve, 200));
        events.push(`${name} out: lock ${lockState()}`);
        holders -= 1;
        return name;
      });
    // "second" and "third" start inside "first"'s read of the dead lock, and each runs
    // synchronously up to its first await: both act before "first" acts on the dead pid it
    // read. (The engine before this fix: "second" deleted the dead lock, "third" created its
    // own, and "first" deleted that live one.)
    const others: Array<Promise<string>> = [];
    onFirstReadOf(lockFile, () => others.push(waiter("second"), waiter("third")));
    const first = waiter("first");
    expect((await Promise.all([first, ...others])).sort()).toEqual(["first", "second", "third"]);
    expect(events.map((event) => event.replace(/^\w+ /, ""))).toEqual([
      "in: 1 holding, lock present",
      "out: lock present",
      "in: 1 holding, lock present",
      "out: lock present",
      "in: 1 holding, lock present",
      "out: lock present",
    ]);
    // The waiter that took the lock over held it first; the two others followed, one at a time.
    expect(events[0]).toBe("second in: 1 holding, lock present");
    expect(readdirSync(reports)).toEqual([]);
  });

  /** The claim file a waiter creates to take over a lock holding `content` (named in the module's steps 2-4). */
  const claimFor = (lockFile: string, content: string): string => `${lockFile}.takeover-${createHash("sha256").update(content).digest("hex").slice(0, 16)}`;

  it("takes over a dead lock even when a waiter died holding its takeover claim, and leaves no file behind", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    const deadLock = `${DEAD_PID} crashed-run\n`;
    writeFileSync(lockFile, deadLock);
    // A waiter that crashed between creating the claim and deleting it.
    writeFileSync(claimFor(lockFile, deadLock), `${DEAD_PID} crashed-waiter\n`);
    expect(readdirSync(reports).map((name) => join(reports, name)).sort()).toEqual([lockFile, claimFor(lockFile, deadLock)]);
    expect(await withStudyLock(reportDir, 2_000, async () => readFileSync(lockFile, "utf8"))).toMatch(new RegExp(`^${process.pid} [0-9a-f-]{36}\n$`));
    expect(readdirSync(reports)).toEqual([]);
  });

  it("leaves a live waiter's takeover claim alone: it waits, and times out naming the lock's owner", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    const deadLock = `${DEAD_PID} crashed-run\n`;
    writeFileSync(lockFile, deadLock);
    const liveClaim = `${LIVE_PID} a-waiter-taking-over\n`;
    writeFileSync(claimFor(lockFile, deadLock), liveClaim);
    await expect(withStudyLock(reportDir, 200, async () => "ran")).rejects.toThrow(lockedMessage(reportDir, lockFile, DEAD_PID));
    expect(readFileSync(lockFile, "utf8")).toBe(deadLock);
    expect(readFileSync(claimFor(lockFile, deadLock), "utf8")).toBe(liveClaim);
    expect(readdirSync(reports).length).toBe(2);
  });

  it("at the end deletes its own lock only, not one another run created after its own was deleted by hand", async () => {
    const { reports, reportDir, lockFile } = reportsFolder();
    const other = `${LIVE_PID} a-later-run\n`;
    await withStudyLock(reportDir, 5_000, async () => {
      rmSync(lockFile);
      writeFileSync(lockFile, other);
    });
    expect(readFileSync(lockFile, "utf8")).toBe(other);
    expect(readdirSync(reports)).toEqual([".s.lock"]);
  });
});
