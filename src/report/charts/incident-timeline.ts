/** Chart: every incident in the study span as a point sized by its loss, coloured by group. */
import type { StudyRun } from "../../pipeline.js";
import { rowName } from "../../text/labels.js";
import { formatDay } from "../../util/days.js";
import { CHART_CONFIG, FULL_WIDTH, groupScale, VEGA_LITE_SCHEMA, WINDOW_SCALE, type Chart } from "./chart.js";

export function incidentTimeline(run: StudyRun): Chart {
  const { spec, windows, timeline } = run;
  // The query returns known amounts only (amount IS NOT NULL).
  const points = timeline.incidents.map((incident) => ({
    date: formatDay(incident.day),
    group: incident.group ?? "(no group)",
    amount: incident.amount ?? 0,
    name: incident.name ?? rowName(incident.row, run.provenance.rowIds),
  }));
  const groups = [...spec.groups.map((group) => group.name), ...(points.some((point) => point.group === "(no group)") ? ["(no group)"] : [])];
  const capped = timeline.totalInSpan > timeline.incidents.length;
  return {
    id: "incident-timeline",
    title: "Incident timeline",
    description: `Each known-amount incident from ${formatDay(windows.pre.start)} to ${formatDay(windows.post.end)} as a point on a log scale, sized by its loss and coloured by group; the shaded bands are the pre and post windows and the dashed line is the event.${
      capped ? ` Only the ${timeline.incidents.length} largest of ${timeline.totalInSpan} incidents are drawn.` : ""
    }`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      width: FULL_WIDTH,
      height: 220,
      layer: [
        {
          data: {
            values: [
              { window: "pre", start: formatDay(windows.pre.start), end: formatDay(windows.pre.end) },
              { window: "post", start: formatDay(windows.post.start), end: formatDay(windows.post.end) },
            ],
          },
          mark: { type: "rect", opacity: 0.08 },
          encoding: { x: { field: "start", type: "temporal" }, x2: { field: "end" }, color: { field: "window", type: "nominal", scale: WINDOW_SCALE, legend: null } },
        },
        {
          data: { values: points },
          mark: { type: "circle", opacity: 0.75, stroke: "#fff", strokeWidth: 0.5 },
          encoding: {
            x: { field: "date", type: "temporal", title: null },
            y: { field: "amount", type: "quantitative", scale: { type: "log" }, title: "loss (USD, log scale)", axis: { format: "~s", values: [1e4, 1e5, 1e6, 1e7, 1e8, 1e9] } },
            size: { field: "amount", type: "quantitative", scale: { type: "sqrt", range: [10, 900] }, legend: null },
            fill: { field: "group", type: "nominal", scale: groupScale(groups, null), title: "group" },
            tooltip: [{ field: "date", type: "temporal" }, { field: "name" }, { field: "group" }, { field: "amount", format: "$,.0f" }],
          },
        },
        {
          data: { values: [{ date: formatDay(spec.event.day) }] },
          mark: { type: "rule", color: "#c00", strokeDash: [4, 3] },
          encoding: { x: { field: "date", type: "temporal" } },
        },
      ],
      resolve: { scale: { color: "independent" } },
      config: CHART_CONFIG,
    } as Chart["spec"],
    table: { columns: ["date", "incident", "group", "amount USD"], rows: points.map((point) => [point.date, point.name, point.group, point.amount]) },
  };
}
