/** Chart: each group's daily losses over time (30-day trailing mean), window means and the event. */
import type { Comparison } from "../../analysis/compare-windows.js";
import type { StudyRun } from "../../pipeline.js";
import { formatDay } from "../../util/days.js";
import { CHART_CONFIG, FULL_WIDTH, studySpan, trailingMean, VEGA_LITE_SCHEMA, WINDOW_SCALE, zeroWidthScale, type Chart } from "./chart.js";

const ROLLING_DAYS = 30;

export function dailyLossOverTime(run: StudyRun): Chart {
  const { windows, spec } = run;
  const series = studySpan(run);
  const windowRows = [
    { window: "pre", start: formatDay(windows.pre.start), end: formatDay(windows.pre.end) },
    { window: "post", start: formatDay(windows.post.start), end: formatDay(windows.post.end) },
  ];
  const tableRows: Array<Array<string | number>> = [];
  const panels = series.groups.map((group) => {
    const rolling = trailingMean(group.loss, ROLLING_DAYS);
    const values = Array.from(rolling, (value, index) => ({ date: formatDay(series.start + index), value }));
    const comparison = run.comparisons.find((candidate) => candidate.group === group.group && candidate.metric === "daily_loss");
    const means = comparison === undefined ? [] : meanSegments(comparison);
    for (const segment of means) tableRows.push([group.group, segment.window, segment.start, segment.end, segment.mean]);
    return {
      title: { text: group.group, anchor: "start", fontSize: 13 },
      width: FULL_WIDTH,
      height: 150,
      layer: [
        {
          data: { values: windowRows },
          mark: { type: "rect", opacity: 0.08 },
          encoding: {
            x: { field: "start", type: "temporal" },
            x2: { field: "end" },
            color: { field: "window", type: "nominal", scale: WINDOW_SCALE, legend: null },
          },
        },
        {
          data: { values },
          mark: { type: "line", color: "#333", strokeWidth: 1.2 },
          encoding: {
            x: { field: "date", type: "temporal", title: null },
            y: { field: "value", type: "quantitative", title: `USD/day (${ROLLING_DAYS}-day mean)`, axis: { format: "~s" }, ...zeroWidthScale(rolling, [0, 1]) },
          },
        },
        {
          data: { values: means },
          mark: { type: "rule", strokeWidth: 2.5 },
          encoding: {
            x: { field: "start", type: "temporal" },
            x2: { field: "end" },
            y: { field: "mean", type: "quantitative" },
            color: { field: "window", type: "nominal", scale: WINDOW_SCALE, title: "window mean" },
          },
        },
        {
          data: { values: [{ date: formatDay(spec.event.day), label: spec.event.label }] },
          mark: { type: "rule", color: "#c00", strokeDash: [4, 3] },
          encoding: { x: { field: "date", type: "temporal" } },
        },
      ],
    };
  });
  return {
    id: "daily-loss-over-time",
    title: "Daily losses by group over time",
    description: `${ROLLING_DAYS}-day trailing mean of daily losses (USD) for each group, with the pre and post window means drawn as coloured segments and the event (${formatDay(spec.event.day)}, ${spec.event.label}) as a dashed red line.`,
    spec: { $schema: VEGA_LITE_SCHEMA, vconcat: panels, resolve: { scale: { color: "shared" } }, config: CHART_CONFIG } as Chart["spec"],
    table: { columns: ["group", "window", "start", "end", "mean USD/day"], rows: tableRows },
  };
}

function meanSegments(comparison: Comparison): Array<{ window: string; start: string; end: string; mean: number }> {
  return [
    { window: "pre", start: comparison.pre.start, end: comparison.pre.end, mean: comparison.pre.mean },
    { window: "post", start: comparison.post.start, end: comparison.post.end, mean: comparison.post.mean },
  ];
}
