/**
 * One writer per study at a time. Two `run`s of the same study (a cron job and a person,
 * or `watch` and a manual run) must not interleave "read the previous report, diff, write
 * the new one": each would lose the other's history line. The lock is a file created with
 * O_EXCL beside the report folder, holding the owner's pid, so a lock left by a crashed
 * process is recognised and taken over.
 *
 * Taking over is where waiters race: two of them read the dead pid, one deletes the lock
 * and creates its own, and the other, acting on what it read earlier, would delete that
 * new, live lock. So a lock is deleted only once it is proven to be the dead one:
 * 1. A lock holds its owner's pid and a random token: no two locks have the same content.
 * 2. A waiter that reads a lock whose pid is dead creates the claim file named after that
 *    content (O_EXCL): one waiter at a time per dead lock.
 * 3. Holding the claim, it reads the lock again. The same content is the same dead lock,
 *    and it cannot go away meanwhile (its owner is dead; any other taker needs the same
 *    claim), so it is deleted. Other content, or none, means another waiter took it over
 *    first: nothing is deleted.
 * 4. The claim is deleted; a late waiter that creates it again meets step 3's "other content".
 * A claim is itself a lock (its creator's pid and a token): one whose creator died between
 * steps 2 and 4 would stop every waiter until the timeout, so it is taken over by the same
 * steps, with a claim of its own.
 */
import { createHash, randomUUID } from "node:crypto";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { OutputError } from "../errors.js";
import { messages } from "../messages.js";
import { folderKey, makeFolders, outputErrorFor } from "../report/write-report.js";

const POLL_MS = 50;

export async function withStudyLock<T>(reportDir: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  // `.<name>.lock` as every engine has named it, while that fits in a file name (255
  // bytes): a run of an older engine and one of this must see each other's lock.
  const name = basename(reportDir);
  const lockFile = join(dirname(reportDir), `.${Buffer.byteLength(`.${name}.lock`) <= 255 ? name : folderKey(name)}.lock`);
  const mine = lockContent();
  const deadline = Date.now() + timeoutMs;
  // The loop waits only for another run's lock: a folder that cannot be made or a lock
  // that cannot be created (permission denied, a read-only or pseudo file system, a name
  // too long) is an output error at once, with nothing written.
  const acquire = (): boolean => {
    try {
      return tryAcquire(lockFile, mine);
    } catch (error) {
      throw outputErrorFor(reportDir, error);
    }
  };
  try {
    makeFolders(dirname(lockFile));
  } catch (error) {
    throw outputErrorFor(reportDir, error);
  }
  while (!acquire()) {
    if (Date.now() > deadline) throw new OutputError(messages.studyLocked(reportDir, lockFile, ownerOf(readLock(lockFile))));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    release(lockFile, mine);
  }
}

function tryAcquire(lockFile: string, mine: string): boolean {
  if (createExclusive(lockFile, mine)) return true;
  const seen = readLock(lockFile);
  if (seen === undefined || !ownerIsDead(seen)) return false;
  return takeOver(lockFile, seen) && createExclusive(lockFile, mine);
}

/**
 * Deletes the lock if it still holds `seen`, the content of a dead owner's lock (steps 2-4
 * above). A claim left by a waiter that died is taken over first, the same way: each level
 * needs a crash inside the previous one's few instructions, so the recursion ends.
 */
function takeOver(lockFile: string, seen: string): boolean {
  const claim = `${lockFile}.takeover-${createHash("sha256").update(seen).digest("hex").slice(0, 16)}`;
  const mine = lockContent();
  if (!createExclusive(claim, mine)) {
    const otherClaim = readLock(claim);
    if (otherClaim === undefined || !ownerIsDead(otherClaim)) return false;
    if (!takeOver(claim, otherClaim) || !createExclusive(claim, mine)) return false;
  }
  try {
    if (readLock(lockFile) !== seen) return false;
    rmSync(lockFile, { force: true });
    return true;
  } finally {
    release(claim, mine);
  }
}

/** A lock's (or claim's) content: the owner's pid and a token no other lock has. */
function lockContent(): string {
  return `${process.pid} ${randomUUID()}\n`;
}

/**
 * Only our own lock is deleted: if ours was deleted by hand (the timeout message suggests
 * it when no run is going on) and another run has taken the lock since, that one stays.
 */
function release(lockFile: string, mine: string): void {
  if (readLock(lockFile) === mine) rmSync(lockFile, { force: true });
}

/** Creates `file` holding `content`; false when it exists. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } catch (error) {
    // An empty lock names no owner and would never be taken over: do not leave it behind.
    closeSync(fd);
    rmSync(file, { force: true });
    throw error;
  }
  closeSync(fd);
  return true;
}

function readLock(lockFile: string): string | undefined {
  try {
    return readFileSync(lockFile, "utf8");
  } catch {
    return undefined;
  }
}

/** The pid at the start of a lock's content (an older engine wrote the pid alone). */
function ownerOf(content: string | undefined): number | undefined {
  const match = /^([1-9]\d*)(?:\s|$)/.exec(content ?? "");
  return match === null ? undefined : Number(match[1]);
}

function ownerIsDead(content: string): boolean {
  const owner = ownerOf(content);
  return owner !== undefined && !isAlive(owner);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
