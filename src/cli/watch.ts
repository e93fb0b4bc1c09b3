/**
 * `eventstudy watch`: reruns the studies whose inputs changed whenever a spec or a data
 * file changes. Changes are debounced (an editor's save is several events; a data build
 * rewrites several files), and every pass is an ordinary `run` without --force, so the
 * content hashes decide which studies really rerun. A spec that is broken mid-edit prints
 * its error and the watch goes on; so does any other error of a pass.
 */
import { statSync, watch, type FSWatcher } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { listSourceFiles } from "../data/source-files.js";
import { isGlobPattern } from "../data/source-reader.js";
import { EventStudyError } from "../errors.js";
import { loadStudySpec } from "../spec/load-spec.js";

export interface WatchOptions {
  /** The folders to watch at the start (the specs' folder, the data folder). */
  initialFolders: string[];
  /** Spec files to run each pass (re-listed every pass, so a new spec is picked up). */
  specFiles: () => string[];
  projectRoot: string;
  debounceMs: number;
  /** One pass: run the studies, print what happened. */
  runPass: (specFiles: string[]) => Promise<void>;
  log: (message: string) => void;
}

/** How often the watched folders are checked for having been removed or replaced. */
const REVIVE_MS = 1_000;

export async function watchStudies(options: WatchOptions): Promise<{ close(): void }> {
  /** Each watched folder's watcher, and which folder it watches (`folderIdentity`). */
  const watchers = new Map<string, { watcher: FSWatcher; identity: string }>();
  /** Every folder ever watched: one removed is watched again once it is back. */
  const wanted = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const unwatch = (folder: string): void => {
    watchers.get(folder)?.watcher.close();
    watchers.delete(folder);
  };

  const watchFolder = (folder: string): void => {
    wanted.add(folder);
    if (watchers.has(folder)) return;
    try {
      const identity = folderIdentity(folder);
      if (identity === undefined) return;
      const watcher = watch(folder, () => schedule());
      watcher.on("error", () => unwatch(folder));
      watchers.set(folder, { watcher, identity });
    } catch {
      // A folder that does not exist (yet) is simply not watched; `revive` looks for it.
    }
  };

  /**
   * A watch follows the folder it was started on: once that folder is removed it never fires
   * again, even when a folder of the same name is back. So each wanted folder that is gone
   * is unwatched, and one that is back (another folder: `folderIdentity`) is watched and a
   * pass runs, as its files may be new.
   */
  const revive = setInterval(() => {
    for (const folder of wanted) {
      const identity = folderIdentity(folder);
      const watched = watchers.get(folder);
      if (watched !== undefined && watched.identity === identity) continue;
      if (watched !== undefined) unwatch(folder);
      if (identity === undefined) continue;
      watchFolder(folder);
      // Only a folder now watched is news: one that cannot be watched (no permission, the
      // inotify limit) would otherwise start a pass every second.
      if (watchers.has(folder)) schedule();
    }
  }, REVIVE_MS);

  /** Every folder holding an input of a spec that loads: inherited specs and data files. */
  const inputFolders = (specFiles: string[]): string[] =>
    specFiles.flatMap((specFile) => {
      try {
        const study = loadStudySpec(specFile, options.projectRoot);
        return [...study.specFiles.map((file) => dirname(resolve(file))), ...study.cells.filter((cell) => cell.data.clickhouse === null).flatMap((cell) => dataFolders(cell.data.path))];
      } catch {
        return [dirname(resolve(specFile))];
      }
    });

  /**
   * Never rejects: it runs from a timer, where a rejection would be unhandled and end the
   * watch. An error (the specs' folder removed while watching) is printed like any user
   * error, and the next change runs a pass again.
   */
  const pass = async (): Promise<void> => {
    try {
      const specFiles = options.specFiles();
      await options.runPass(specFiles);
      for (const folder of inputFolders(specFiles)) watchFolder(folder);
    } catch (error) {
      options.log(passErrorText(error, options.projectRoot));
    }
    options.log(`watching ${watchers.size} folder(s) for changes; Ctrl-C stops`);
  };

  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running !== undefined) {
        again = true;
        return;
      }
      running = pass().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule();
        }
      });
    }, options.debounceMs);
  };

  for (const folder of options.initialFolders) watchFolder(folder);
  running = pass().finally(() => {
    running = undefined;
  });
  await running;
  return {
    close() {
      clearInterval(revive);
      if (timer !== undefined) clearTimeout(timer);
      for (const { watcher } of watchers.values()) watcher.close();
    },
  };
}

/**
 * Which folder a path names now: its inode and creation time (a folder removed and made
 * anew at once often gets the same inode number back); undefined when there is none.
 */
function folderIdentity(folder: string): string | undefined {
  try {
    const stats = statSync(folder);
    return stats.isDirectory() ? `${stats.ino}:${stats.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folders to watch for a data path: its folder; for a glob, the fixed folder it starts
 * from (a new file there) and every folder holding a file it matches now (a changed file).
 */
function dataFolders(path: string): string[] {
  if (!isGlobPattern(path)) return [dirname(path)];
  const segments = path.split(sep);
  const base = segments.slice(0, segments.findIndex(isGlobPattern)).join(sep) || sep;
  return [...new Set([base, ...listSourceFiles(path).map((file) => dirname(file))])];
}

/** What a failed pass prints: `error: ` and the message, as the CLI prints a user error. */
export function passErrorText(error: unknown, projectRoot: string): string {
  if (error instanceof EventStudyError) return `error: ${error.message}`;
  const failure = error as Partial<NodeJS.ErrnoException> | undefined;
  if (failure?.code === "ENOENT" && typeof failure.path === "string") return `error: ${watchMessages.missing(relative(projectRoot, failure.path) || failure.path)}`;
  return `error: ${watchMessages.passFailed(failure?.message ?? String(error))}`;
}

const watchMessages = {
  missing: (path: string) =>
    `${path}: not found (removed while watching?), so nothing ran. Restore it, or name the spec files to watch (eventstudy watch analyses/<name>.yaml); the watch goes on and runs again at the next change.`,
  passFailed: (reason: string) => `this pass stopped: ${reason}. The watch goes on and runs again at the next change to a spec or data file.`,
};
