// A folder that exists but cannot be watched (no permission, the inotify limit) is left
// unwatched, as before the watch learned to re-watch folders made anew: the once-a-second
// check must not start a pass each time it finds it still unwatched. fs.watch is made to
// fail for that folder (the tests run as root, where permissions do not stop it).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTempDir } from "./run-cli.js";

const unwatchable = new Set<string>();
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return {
    ...actual,
    watch: ((path: string, ...rest: unknown[]) => {
      if (unwatchable.has(String(path))) throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${String(path)}'`), { code: "ENOSPC" });
      return (actual.watch as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof actual.watch,
  };
});
const { watchStudies } = await import("../../src/cli/watch.js");

describe("watch and a folder it cannot watch", () => {
  it("runs its first pass and no other while nothing changes", async () => {
    const dir = makeTempDir("eventstudy-watch-limit-");
    const [watched, blocked] = [join(dir, "analyses"), join(dir, "data")];
    mkdirSync(watched);
    mkdirSync(blocked);
    unwatchable.add(blocked);
    let passes = 0;
    const watcher = await watchStudies({
      initialFolders: [watched, blocked],
      specFiles: () => [],
      projectRoot: dir,
      debounceMs: 20,
      runPass: async () => {
        passes += 1;
      },
      log: () => undefined,
    });
    try {
      // Three and a half revive checks (one a second): before the fix, a pass after each.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(passes).toBe(1);
    } finally {
      watcher.close();
    }
  }, 20_000);
});
