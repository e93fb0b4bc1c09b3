/**
 * One writer per study at a time. Two `run`s of the same study (a cron job and a person,
 * or `watch` and a manual run) must not interleave "read the previous report, diff, write
 * the new one": each would lose the other's history line. The lock is a file created with
 * O_EXCL beside the report folder, holding the owner's pid, so a lock left by a crashed
 * process is recognised and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { OutputError } from "../errors.js";
import { messages } from "../messages.js";

const POLL_MS = 50;

export async function withStudyLock<T>(reportDir: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const lockFile = join(dirname(reportDir), `.${basename(reportDir)}.lock`);
  mkdirSync(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryAcquire(lockFile)) break;
    if (Date.now() > deadline) throw new OutputError(messages.studyLocked(reportDir, lockFile, ownerOf(lockFile)));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function tryAcquire(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, "wx");
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = ownerOf(lockFile);
    if (owner !== undefined && !isAlive(owner)) {
      // The owner died without cleaning up: take the lock over (one winner via O_EXCL again).
      rmSync(lockFile, { force: true });
    }
    return false;
  }
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
