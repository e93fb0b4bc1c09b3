/**
 * `npm run data:build`: rebuilds data/incidents_<source>.csv and data/README.md from the raw
 * files in data/raw/ (src/data/build/build-data.ts does the work). Prints one line per file
 * to stdout; on bad raw data prints what to fix to stderr and exits with the engine's
 * bad-data code, leaving the previous files in place.
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { buildData } from "../src/data/build/build-data.js";
import { summaryLine } from "../src/data/build/file-profile.js";
import { EventStudyError, ExitCode } from "../src/errors.js";

// Paths relative to the working directory, so messages and summaries read data/raw/...
const shown = (path: string): string => relative(process.cwd(), path) || ".";
const inputDir = shown(fileURLToPath(new URL("../data/raw/", import.meta.url)));
const outputDir = shown(fileURLToPath(new URL("../data/", import.meta.url)));

try {
  const result = await buildData({ inputDir, outputDir });
  for (const file of result.files) console.log(summaryLine(file.path, file.profile));
  console.log(`${result.readmePath}: written`);
} catch (error) {
  if (error instanceof EventStudyError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else {
    console.error(error);
    process.exitCode = ExitCode.internal;
  }
}
