/**
 * The report's charts as Vega-Lite specs, built from a StudyRun. Each chart carries its
 * title, a one-sentence text alternative, and its numbers as a table (shown collapsed
 * under the chart), so no reader depends on seeing the picture.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Comparison } from "../analysis/compare-windows.js";
import type { StudyRun } from "../pipeline.js";
import { formatDay } from "../util/days.js";

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

const ROLLING_DAYS = 30;
const WINDOW_COLORS = { pre: "#4c78a8", post: "#f58518" };
const WIDTH = 760;

export function buildCharts(run: StudyRun): Chart[] {
  return [dailyLossOverTime(run), prePostMeans(run)];
}

/** Trailing mean over the last `days` days (fewer at the start of the series). */
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

function dailyLossOverTime(run: StudyRun): Chart {
  const { series, windows, spec } = run;
  const lossComparisons = run.comparisons.filter((comparison) => comparison.metric === "daily_loss");
  const windowRows = [
    { window: "pre", start: formatDay(windows.pre.start), end: formatDay(windows.pre.end) },
    { window: "post", start: formatDay(windows.post.start), end: formatDay(windows.post.end) },
  ];
  const tableRows: Array<Array<string | number>> = [];
  const panels = series.groups.map((group) => {
    const rolling = trailingMean(group.loss, ROLLING_DAYS);
    const values = Array.from(rolling, (value, index) => ({ date: formatDay(series.start + index), value }));
    const comparison = lossComparisons.find((candidate) => candidate.group === group.group);
    const means = comparison === undefined ? [] : meanSegments(comparison);
    for (const segment of means) tableRows.push([group.group, segment.window, segment.start, segment.end, segment.mean]);
    return {
      title: { text: group.group, anchor: "start" as const, fontSize: 13 },
      width: WIDTH,
      height: 150,
      layer: [
        {
          data: { values: windowRows },
          mark: { type: "rect" as const, opacity: 0.08 },
          encoding: {
            x: { field: "start", type: "temporal" as const },
            x2: { field: "end" },
            color: { field: "window", type: "nominal" as const, scale: { domain: ["pre", "post"], range: [WINDOW_COLORS.pre, WINDOW_COLORS.post] }, legend: null },
          },
        },
        {
          data: { values },
          mark: { type: "line" as const, color: "#333", strokeWidth: 1.2 },
          encoding: {
            x: { field: "date", type: "temporal" as const, title: null },
            y: { field: "value", type: "quantitative" as const, title: `USD/day (${ROLLING_DAYS}-day mean)`, axis: { format: "~s" } },
          },
        },
        {
          data: { values: means },
          mark: { type: "rule" as const, strokeWidth: 2.5 },
          encoding: {
            x: { field: "start", type: "temporal" as const },
            x2: { field: "end" },
            y: { field: "mean", type: "quantitative" as const },
            color: { field: "window", type: "nominal" as const, scale: { domain: ["pre", "post"], range: [WINDOW_COLORS.pre, WINDOW_COLORS.post] }, title: "window mean" },
          },
        },
        {
          data: { values: [{ date: formatDay(spec.event.day), label: spec.event.label }] },
          mark: { type: "rule" as const, color: "#c00", strokeDash: [4, 3] },
          encoding: { x: { field: "date", type: "temporal" as const } },
        },
      ],
    };
  });
  return {
    id: "daily-loss-over-time",
    title: "Daily losses by group over time",
    description: `${ROLLING_DAYS}-day trailing mean of daily losses (USD) for each group, with the pre and post window means drawn as coloured segments and the event (${formatDay(spec.event.day)}, ${spec.event.label}) as a dashed red line.`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      vconcat: panels,
      resolve: { scale: { color: "shared" } },
      config: { font: "Helvetica, Arial, sans-serif", view: { stroke: null } },
    } as TopLevelSpec,
    table: { columns: ["group", "window", "start", "end", "mean USD/day"], rows: tableRows },
  };
}

function meanSegments(comparison: Comparison): Array<{ window: string; start: string; end: string; mean: number }> {
  return [
    { window: "pre", start: comparison.pre.start, end: comparison.pre.end, mean: comparison.pre.mean },
    { window: "post", start: comparison.post.start, end: comparison.post.end, mean: comparison.post.mean },
  ];
}

function prePostMeans(run: StudyRun): Chart {
  const metricTitle = { daily_loss: "Mean daily loss (USD)", daily_incidents: "Mean incidents per day" } as const;
  const rows = run.comparisons.flatMap((comparison) => [
    { metric: comparison.metric, group: comparison.group, window: "pre", mean: comparison.pre.mean },
    { metric: comparison.metric, group: comparison.group, window: "post", mean: comparison.post.mean },
  ]);
  const panels = run.spec.metrics.map((metric) => ({
    title: { text: metricTitle[metric], anchor: "start" as const, fontSize: 13 },
    width: 300,
    height: 200,
    data: { values: rows.filter((row) => row.metric === metric) },
    mark: { type: "bar" as const },
    encoding: {
      x: { field: "group", type: "nominal" as const, title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: "window", type: "nominal" as const, sort: ["pre", "post"] },
      y: { field: "mean", type: "quantitative" as const, title: null, axis: { format: metric === "daily_loss" ? "~s" : "~g" } },
      color: { field: "window", type: "nominal" as const, scale: { domain: ["pre", "post"], range: [WINDOW_COLORS.pre, WINDOW_COLORS.post] } },
      tooltip: [{ field: "group" }, { field: "window" }, { field: "mean", format: ",.3~f" }],
    },
  }));
  return {
    id: "pre-post-means",
    title: "Pre vs post daily means by group",
    description: "Bars compare each group's mean per day before the event (pre) and from the event on (post), for each metric.",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      hconcat: panels,
      config: { font: "Helvetica, Arial, sans-serif", view: { stroke: null } },
    } as TopLevelSpec,
    table: { columns: ["metric", "group", "window", "mean per day"], rows: rows.map((row) => [row.metric, row.group, row.window, row.mean]) },
  };
}
