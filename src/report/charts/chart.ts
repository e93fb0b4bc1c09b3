/**
 * What every chart is: a Vega-Lite spec with a title, a one-sentence text alternative,
 * and its numbers as a table (shown collapsed under the chart), so no reader depends on
 * seeing the picture. Shared colours and sizes live here so the charts look like one set.
 */
import type { TopLevelSpec } from "vega-lite";
import { sliceSeries, type DailySeries } from "../../analysis/daily-series.js";
import type { StudyRun } from "../../pipeline.js";

export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface Chart {
  /** File-name-safe id: the spec is saved as `charts/<id>.vl.json`. */
  id: string;
  title: string;
  /** What the chart shows, for screen readers and as its caption. */
  description: string;
  spec: TopLevelSpec;
  table: ChartTable;
}

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
export const WINDOW_COLORS = { pre: "#4c78a8", post: "#f58518" } as const;
export const WINDOW_SCALE = { domain: ["pre", "post"], range: [WINDOW_COLORS.pre, WINDOW_COLORS.post] };
export const FULL_WIDTH = 760;
export const CHART_CONFIG = { font: "Helvetica, Arial, sans-serif", view: { stroke: null } };
/** Colours for groups, in order: the total last in grey. */
export const GROUP_PALETTE = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"];
export const TOTAL_COLOR = "#7f7f7f";

/** A colour scale for the groups in the order the study lists them. */
export function groupScale(groups: readonly string[], total: string | null): { domain: string[]; range: string[] } {
  const named = groups.filter((group) => group !== total);
  return {
    domain: [...named, ...(total === null ? [] : [total])],
    range: [...named.map((_, index) => GROUP_PALETTE[index % GROUP_PALETTE.length] as string), ...(total === null ? [] : [TOTAL_COLOR])],
  };
}

/** Trailing mean over the last `days` days (fewer at the start of the series). */
/**
 * The scale of a quantitative axis whose values are all 0 (an all-zero group, constant
 * series): vega-lite would give it the zero-width domain [0, 0], whose "~s" ticks read
 * NaN, so it gets `domain` instead. Empty (vega-lite's own domain) when any value is not 0;
 * null values (a missing interval end) do not count.
 */
export function zeroWidthScale(values: Iterable<number | null>, domain: readonly [number, number]): { scale?: { domain: number[] } } {
  for (const value of values) if (value !== null && value !== 0) return {};
  return { scale: { domain: [...domain] } };
}

export function trailingMean(values: Float64Array, days: number): Float64Array {
  const out = new Float64Array(values.length);
  let running = 0;
  for (let index = 0; index < values.length; index += 1) {
    running += values[index] as number;
    if (index >= days) running -= values[index - days] as number;
    out[index] = running / Math.min(index + 1, days);
  }
  return out;
}

/** The daily series from the first pre day to the last post day: what the time charts draw. */
export function studySpan(run: StudyRun): DailySeries {
  return sliceSeries(run.series, { start: run.windows.pre.start, end: run.windows.post.end });
}
