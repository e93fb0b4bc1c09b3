/** Chart: treated minus control daily losses over time (30-day mean), the quantity the DiD compares. */
import { differenceSeries } from "../../analysis/difference-in-differences.js";
import { windowSlice } from "../../analysis/daily-series.js";
import type { StudyRun } from "../../pipeline.js";
import { formatDay } from "../../util/days.js";
import { CHART_CONFIG, FULL_WIDTH, trailingMean, VEGA_LITE_SCHEMA, WINDOW_SCALE, type Chart } from "./chart.js";

export function didOverTime(run: StudyRun): Chart | null {
  const did = run.analysis.did.find((item) => item.metric === "daily_loss");
  if (did === undefined) return null;
  const span = { start: run.windows.pre.start, end: run.windows.post.end };
  const rolling = trailingMean(windowSlice(differenceSeries(run.series, "daily_loss", did.treated, did.controls), run.series.start, span), 30);
  const values = Array.from(rolling, (value, index) => ({ date: formatDay(span.start + index), value }));
  const label = `${did.treated} − ${did.controls.join(" + ")}`;
  const means = [
    { window: "pre", start: formatDay(run.windows.pre.start), end: formatDay(run.windows.pre.end), mean: did.treatedSide.preMean - did.controlSide.preMean },
    { window: "post", start: formatDay(run.windows.post.start), end: formatDay(run.windows.post.end), mean: did.treatedSide.postMean - did.controlSide.postMean },
  ];
  return {
    id: "did-over-time",
    title: `Difference in differences: ${label}`,
    description: `30-day trailing mean of the daily loss of ${did.treated} minus that of ${did.controls.join(" + ")}, with each window's mean difference as a coloured segment; the difference-in-differences is the post segment minus the pre segment (${did.estimate.toFixed(0)} USD/day).`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      width: FULL_WIDTH,
      height: 180,
      layer: [
        { data: { values: [{ y: 0 }] }, mark: { type: "rule", color: "#999" }, encoding: { y: { field: "y", type: "quantitative" } } },
        {
          data: { values },
          mark: { type: "line", color: "#333", strokeWidth: 1.2 },
          encoding: { x: { field: "date", type: "temporal", title: null }, y: { field: "value", type: "quantitative", title: "USD/day (30-day mean)", axis: { format: "~s" } } },
        },
        {
          data: { values: means },
          mark: { type: "rule", strokeWidth: 2.5 },
          encoding: { x: { field: "start", type: "temporal" }, x2: { field: "end" }, y: { field: "mean", type: "quantitative" }, color: { field: "window", type: "nominal", scale: WINDOW_SCALE, title: "window mean" } },
        },
        { data: { values: [{ date: formatDay(run.spec.event.day) }] }, mark: { type: "rule", color: "#c00", strokeDash: [4, 3] }, encoding: { x: { field: "date", type: "temporal" } } },
      ],
      config: CHART_CONFIG,
    } as Chart["spec"],
    table: { columns: ["window", "start", "end", "mean difference USD/day"], rows: means.map((row) => [row.window, row.start, row.end, row.mean]) },
  };
}
