/**
 * `results.csv`: the results in tidy form, one row per group x metric x statistic, for
 * spreadsheets and R/pandas. Statistic names are dotted paths into the matching
 * results.json entry (`pre.mean`, `change.relative`, `tests.welch_t.pValue`), so the two
 * files describe each other and new fields appear without a change here.
 */
import type { ResultsJson } from "./results-json.js";

type Cell = string | number | boolean | null;

export function buildResultsCsv(results: ResultsJson): string {
  const lines = ["group,metric,statistic,value"];
  for (const result of results.results) {
    const { group, metric, ...rest } = result;
    for (const [statistic, value] of flatten(rest, "")) {
      lines.push([group, metric, statistic, value].map(csvCell).join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Nested objects become dotted paths; arrays of objects with a `method` are keyed by it. */
function flatten(value: unknown, prefix: string): Array<[string, Cell]> {
  if (value === null || typeof value !== "object") return [[prefix, value as Cell]];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const key = typeof item === "object" && item !== null && "method" in item ? String((item as { method: unknown }).method) : String(index);
      return flatten(item, join(prefix, key));
    });
  }
  return Object.entries(value).flatMap(([key, item]) => (key === "method" && prefix.startsWith("tests.") ? [] : flatten(item, join(prefix, key))));
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** RFC 4180 quoting; numbers written in full precision; null as an empty cell. */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
