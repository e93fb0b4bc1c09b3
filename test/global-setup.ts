/**
 * Every test's temporary files go under one folder that is removed when the run ends, so
 * a test run leaves nothing behind in the system's temp directory. (Tests use
 * os.tmpdir(), which reads TMPDIR; workers inherit it from this process.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "eventstudy-tests-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
