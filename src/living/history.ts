/**
 * `reports/<study>/history.jsonl`: one line per run that produced a report, oldest first,
 * with the headline numbers of every cell and the hashes of every input. It travels with
 * the report folder (each new folder gets the old lines plus one), so it is replaced
 * atomically with the report and a failed run leaves it as it was.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Headline } from "./headlines.js";
import type { StudyInputs } from "./inputs-hash.js";

export const HISTORY_FILE = "history.jsonl";

export interface HistoryCell {
  id: string;
  event: { id: string; label: string; date: string };
  variant: { id: string; name: string } | null;
  headlines: Headline[];
  incidents: { pre: number; post: number };
}

export interface HistoryEntry {
  runAt: string;
  engineVersion: string;
  inputsHash: string;
  specFiles: StudyInputs["specFiles"];
  dataFiles: StudyInputs["dataFiles"];
  engine: string;
  cells: HistoryCell[];
}

/** Every entry of a report folder's history; unreadable lines are skipped, not fatal. */
export function readHistory(reportDir: string): { entries: HistoryEntry[]; text: string } {
  let text: string;
  try {
    text = readFileSync(join(reportDir, HISTORY_FILE), "utf8");
  } catch {
    return { entries: [], text: "" };
  }
  const entries: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isHistoryEntry(parsed)) entries.push(parsed);
    } catch {
      // A hand-edited or truncated line loses only itself.
    }
  }
  return { entries, text: text === "" || text.endsWith("\n") ? text : `${text}\n` };
}

/**
 * A line this engine wrote: a JSON object with the fields "what moved" reads. Anything else
 * (hand-edited, another tool's, an older engine's) is skipped but stays in the file.
 */
function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.runAt === "string" && Array.isArray(entry.specFiles) && Array.isArray(entry.dataFiles) && Array.isArray(entry.cells);
}

export function appendHistory(previousText: string, entry: HistoryEntry): string {
  return `${previousText}${JSON.stringify(entry)}\n`;
}
