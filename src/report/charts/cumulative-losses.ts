/** Chart: cumulative losses per group from the start of the pre window. */
import type { StudyRun } from "../../pipeline.js";
import { formatDay } from "../../util/days.js";
import { CHART_CONFIG, FULL_WIDTH, groupScale, studySpan, VEGA_LITE_SCHEMA, type Chart } from "./chart.js";

export function cumulativeLosses(run: StudyRun): Chart {
  const { spec } = run;
  const series = studySpan(run);
  const values: Array<{ date: string; group: string; cumulative: number }> = [];
  const tableRows: Array<Array<string | number>> = [];
  for (const group of series.groups) {
    let running = 0;
    group.loss.forEach((loss, index) => {
      running += loss;
      // A point on each day the total grows (and the first and last days), drawn as a step
      // held until the next: every loss shows on its own day, with no point for the many
      // days without one. (Weekly samples drew a loss up to six days late, a pre-window
      // loss even after the event line.)
      if (loss > 0 || index === 0 || index === group.loss.length - 1) values.push({ date: formatDay(series.start + index), group: group.group, cumulative: running });
    });
    tableRows.push([group.group, formatDay(series.end), running]);
  }
  const names = series.groups.map((group) => group.group);
  return {
    id: "cumulative-losses",
    title: "Cumulative losses by group",
    description: `Losses added up day by day from ${formatDay(series.start)} for each group; a steeper line is a faster rate of loss. The dashed line is the event (${formatDay(spec.event.day)}).`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      width: FULL_WIDTH,
      height: 220,
      layer: [
        {
          data: { values },
          mark: { type: "line", interpolate: "step-after" },
          encoding: {
            x: { field: "date", type: "temporal", title: null },
            y: { field: "cumulative", type: "quantitative", title: "cumulative loss (USD)", axis: { format: "~s" } },
            color: { field: "group", type: "nominal", scale: groupScale(names, spec.totalGroup), title: "group" },
          },
        },
        {
          data: { values: [{ date: formatDay(spec.event.day) }] },
          mark: { type: "rule", color: "#c00", strokeDash: [4, 3] },
          encoding: { x: { field: "date", type: "temporal" } },
        },
      ],
      config: CHART_CONFIG,
    } as Chart["spec"],
    table: { columns: ["group", "through", "cumulative loss USD"], rows: tableRows },
  };
}
