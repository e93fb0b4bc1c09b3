/** Chart: each group's change in mean per day with its bootstrap interval, one panel per metric (and the DiD). */
import type { StudyRun } from "../../pipeline.js";
import { didLabel } from "../../text/labels.js";
import { CHART_CONFIG, VEGA_LITE_SCHEMA, zeroWidthScale, type Chart } from "./chart.js";

const METRIC_TITLE = { daily_loss: "Change in mean daily loss (USD/day)", daily_incidents: "Change in incidents per day" } as const;

export function changeIntervals(run: StudyRun): Chart {
  const rows = [
    ...run.analysis.comparisons.map((item) => ({ metric: item.metric, subject: item.group, change: item.change.absolute, low: item.interval.difference.low, high: item.interval.difference.high })),
    ...run.analysis.did.map((item) => ({
      metric: item.metric,
      subject: didLabel(item.treated, item.controls),
      change: item.estimate,
      low: item.interval.difference.low,
      high: item.interval.difference.high,
    })),
  ];
  const confidence = Math.round(run.spec.tests.bootstrap.confidence * 100);
  const panels = run.spec.metrics.map((metric) => ({
    title: { text: METRIC_TITLE[metric], anchor: "start", fontSize: 13 },
    width: 330,
    height: 30 * Math.max(3, rows.filter((row) => row.metric === metric).length),
    data: { values: rows.filter((row) => row.metric === metric) },
    layer: [
      { mark: { type: "rule", color: "#999" }, encoding: { x: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "rule", strokeWidth: 2, color: "#4c78a8" },
        encoding: {
          y: { field: "subject", type: "nominal", title: null, sort: null },
          x: { field: "low", type: "quantitative", title: null, axis: { format: metric === "daily_loss" ? "~s" : "~g" }, ...zeroWidthScale(rows.filter((row) => row.metric === metric).flatMap((row) => [row.change, row.low, row.high]), [-1, 1]) },
          x2: { field: "high" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 60, color: "#1d1d1f" },
        encoding: {
          y: { field: "subject", type: "nominal", sort: null },
          x: { field: "change", type: "quantitative" },
          tooltip: [{ field: "subject" }, { field: "change", format: ",.4~g" }, { field: "low", format: ",.4~g" }, { field: "high", format: ",.4~g" }],
        },
      },
    ],
  }));
  return {
    id: "change-intervals",
    title: `Change in mean per day with ${confidence}% intervals`,
    description: `For each group (and the difference-in-differences), the post-window mean minus the pre-window mean as a dot, with its ${confidence}% block-bootstrap interval as a bar; a bar that crosses the grey zero line is compatible with no change.`,
    spec: { $schema: VEGA_LITE_SCHEMA, hconcat: panels, config: CHART_CONFIG } as Chart["spec"],
    table: { columns: ["metric", "subject", "change per day", "interval low", "interval high"], rows: rows.map((row) => [row.metric, row.subject, row.change, row.low ?? "n/a", row.high ?? "n/a"]) },
  };
}
