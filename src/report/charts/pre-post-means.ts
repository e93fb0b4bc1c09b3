/** Chart: each group's pre and post mean per day, side by side, one panel per metric. */
import type { StudyRun } from "../../pipeline.js";
import { CHART_CONFIG, VEGA_LITE_SCHEMA, WINDOW_SCALE, type Chart } from "./chart.js";

const METRIC_TITLE = { daily_loss: "Mean daily loss (USD)", daily_incidents: "Mean incidents per day" } as const;

export function prePostMeans(run: StudyRun): Chart {
  const rows = run.comparisons.flatMap((comparison) =>
    (["pre", "post"] as const).map((window) => ({
      metric: comparison.metric,
      group: comparison.group,
      window,
      mean: comparison[window].mean,
      low: comparison[window].meanInterval?.[0] ?? null,
      high: comparison[window].meanInterval?.[1] ?? null,
    })),
  );
  const confidence = Math.round(run.spec.tests.bootstrap.confidence * 100);
  const panels = run.spec.metrics.map((metric) => ({
    title: { text: METRIC_TITLE[metric], anchor: "start", fontSize: 13 },
    width: 300,
    height: 200,
    data: { values: rows.filter((row) => row.metric === metric) },
    encoding: {
      x: { field: "group", type: "nominal", title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: "window", type: "nominal", sort: ["pre", "post"] },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "mean", type: "quantitative", title: null, axis: { format: metric === "daily_loss" ? "~s" : "~g" } },
          color: { field: "window", type: "nominal", scale: WINDOW_SCALE },
          tooltip: [{ field: "group" }, { field: "window" }, { field: "mean", format: ",.3~f" }, { field: "low", format: ",.3~f" }, { field: "high", format: ",.3~f" }],
        },
      },
      { mark: { type: "rule", color: "#333" }, encoding: { y: { field: "low", type: "quantitative" }, y2: { field: "high" } } },
    ],
  }));
  return {
    id: "pre-post-means",
    title: "Pre vs post daily means by group",
    description: `Bars compare each group's mean per day before the event (pre) and from the event on (post), for each metric; the black lines are ${confidence}% block-bootstrap intervals for each mean.`,
    spec: { $schema: VEGA_LITE_SCHEMA, hconcat: panels, config: CHART_CONFIG } as Chart["spec"],
    table: { columns: ["metric", "group", "window", "mean per day", "interval low", "interval high"], rows: rows.map((row) => [row.metric, row.group, row.window, row.mean, row.low ?? "n/a", row.high ?? "n/a"]) },
  };
}
