/** Names of metrics and tests as people read them in the report and the CLI. */
import type { MetricName, TestName } from "../spec/input-spec.js";

export const METRIC_LABEL: Record<MetricName, string> = { daily_loss: "daily loss", daily_incidents: "incidents per day" };

export const TEST_LABEL: Record<TestName, string> = {
  block_permutation: "block permutation test",
  permutation: "permutation test",
  welch_t: "Welch t-test",
  mann_whitney_u: "Mann–Whitney U test",
  rate_ratio_exact: "exact Poisson rate-ratio test",
  rate_ratio_quasi_poisson: "quasi-Poisson rate-ratio test",
  segmented_regression: "segmented regression (HAC)",
};

/**
 * How the report names a difference in differences: the treated group minus its controls.
 * One function, so a table, a chart, the index and the history's headlines never call one
 * comparison by different names (living/headlines.ts matches lines written under the former
 * "A vs B+C (DiD)").
 */
export function didLabel(treated: string, controls: readonly string[]): string {
  return `${treated} − ${controls.join(" + ")} (DiD)`;
}

/** A study cell named in full: its event's label, and its variant's name when it has one. */
export function eventVariantTitle(event: string, variant: string | null): string {
  return variant === null ? event : `${event} / ${variant}`;
}

/**
 * What an incident's `row` is: its data row in the file, or for a ClickHouse table, which
 * has no row order, a hash of the row's values.
 */
export type RowIds = "data row" | "content hash";

/** An incident named by its `row` alone: "row 12", or "row with content hash 4641…", never a line number that does not exist. */
export function rowName(row: number, rowIds: RowIds): string {
  return rowIds === "content hash" ? `row with content hash ${row}` : `row ${row}`;
}

type CellKey = { event: { id: string }; variant: { id: string } | null };

/** Whether a spec's cells differ by event, by variant, or both (a one-question spec: neither). */
export function whatVaries(cells: readonly CellKey[]): { events: boolean; variants: boolean } {
  return { events: new Set(cells.map((cell) => cell.event.id)).size > 1, variants: new Set(cells.map((cell) => cell.variant?.id)).size > 1 };
}

/** "events and variants", "events" or "variants": what a spec with several cells asks across. */
export function variesLabel(several: { events: boolean; variants: boolean }): string {
  return several.events && several.variants ? "events and variants" : several.events ? "events" : "variants";
}

/**
 * "4 variants", "2 events" or "6 events and variants": how many questions a spec with
 * several cells asks, named by what varies (a variants-only spec has no events to count).
 */
export function cellCountLabel(cells: readonly CellKey[]): string {
  const several = whatVaries(cells);
  return `${cells.length} ${several.events || several.variants ? variesLabel(several) : "cells"}`;
}
