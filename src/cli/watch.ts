/**
 * `eventstudy watch`: reruns the studies whose inputs changed whenever a spec or a data
 * file changes. Changes are debounced (an editor's save is several events; a data build
 * rewrites several files), and every pass is an ordinary `run` without --force, so the
 * content hashes decide which studies really rerun. A spec that is broken mid-edit prints
 * its error and the watch goes on.
 */
import { watch, type FSWatcher } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { listSourceFiles } from "../data/source-files.js";
import { isGlobPattern } from "../data/source-reader.js";
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

export async function watchStudies(options: WatchOptions): Promise<{ close(): void }> {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const watchFolder = (folder: string): void => {
    if (watchers.has(folder)) return;
    try {
      const watcher = watch(folder, () => schedule());
      watcher.on("error", () => watchers.delete(folder));
      watchers.set(folder, watcher);
    } catch {
      // A folder that does not exist (yet) is simply not watched.
    }
  };

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

  const pass = async (): Promise<void> => {
    const specFiles = options.specFiles();
    await options.runPass(specFiles);
    for (const folder of inputFolders(specFiles)) watchFolder(folder);
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
      if (timer !== undefined) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
    },
  };
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
