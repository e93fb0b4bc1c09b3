/**
 * `eventstudy diff <study>`: what moved at the study's last run, on demand. The run saved
 * it as changes.json beside history.jsonl; when that is missing (a report from an older
 * engine) the headline numbers of the last two history lines are compared instead.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { OutputError } from "../errors.js";
import { readHistory } from "../living/history.js";
import { whatMovedLines } from "../living/what-moved-text.js";
import { whatMoved, whatMovedFromJson, type WhatMoved } from "../living/what-moved.js";
import { CHANGES_FILE } from "../run-studies.js";
import { oneLine } from "../text/one-line.js";

/** A study named by its report folder's name or by its spec file. */
export function reportDirFor(study: string, reportsDir: string): string {
  const name = /\.ya?ml$/.test(study) ? basename(study, extname(study)) : study;
  return resolve(reportsDir, name);
}

export function lastChanges(study: string, reportsDir: string): { moved: WhatMoved; runs: number } {
  const reportDir = reportDirFor(study, reportsDir);
  const history = readHistory(reportDir);
  if (!existsSync(reportDir) || history.entries.length === 0) throw new OutputError(diffMessages.noHistory(study, reportDir));
  const changesFile = join(reportDir, CHANGES_FILE);
  // Through whatMovedFromJson: a changes.json from an older engine lacks the newer fields.
  if (existsSync(changesFile)) return { moved: whatMovedFromJson(JSON.parse(readFileSync(changesFile, "utf8"))), runs: history.entries.length };
  const [before, after] = history.entries.slice(-2);
  const moved = history.entries.length < 2 || after === undefined ? whatMoved(undefined, { entry: before!, snapshots: undefined }) : whatMoved({ entry: before!, snapshots: undefined }, { entry: after, snapshots: undefined });
  return { moved, runs: history.entries.length };
}

export function diffLines(study: string, reportsDir: string): string[] {
  const { moved, runs } = lastChanges(study, reportsDir);
  // Names in history come from specs and data: printed as one line each, escapes shown, never obeyed.
  return [`${study}: ${runs} run(s) recorded in history.jsonl; the last one:`, ...whatMovedLines(moved).map((line) => `  ${line}`)].map(oneLine);
}

const diffMessages = {
  noHistory: (study: string, reportDir: string) =>
    `${study}: no run history in ${reportDir}. Run the study first (eventstudy run analyses/${basename(study, extname(study))}.yaml), or name a folder in the reports folder.`,
};
