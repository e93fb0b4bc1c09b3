/** Chart: incidents per week for each group (the attack rate), with the event marked. */
import type { StudyRun } from "../../pipeline.js";
import { formatDay } from "../../util/days.js";
import { CHART_CONFIG, FULL_WIDTH, groupScale, studySpan, VEGA_LITE_SCHEMA, type Chart } from "./chart.js";

export function weeklyIncidents(run: StudyRun): Chart {
  const { spec } = run;
  const series = studySpan(run);
  const values: Array<{ week: string; group: string; incidents: number }> = [];
  for (const group of series.groups) {
    // Weeks counted from the first day of the series, so every bar is 7 whole days
    // (the last may be shorter, and says so in the table).
    for (let start = 0; start < group.incidents.length; start += 7) {
      let count = 0;
      for (let day = start; day < Math.min(start + 7, group.incidents.length); day += 1) count += group.incidents[day] as number;
      values.push({ week: formatDay(series.start + start), group: group.group, incidents: count });
    }
  }
  const names = series.groups.map((group) => group.group);
  return {
    id: "weekly-incidents",
    title: "Incidents per week by group",
    description: `Number of incidents in each 7-day week from ${formatDay(series.start)}, one panel per group; the dashed line is the event (${formatDay(spec.event.day)}).`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      vconcat: names.map((name) => ({
        title: { text: name, anchor: "start", fontSize: 13 },
        width: FULL_WIDTH,
        height: 90,
        layer: [
          {
            data: { values: values.filter((value) => value.group === name) },
            mark: { type: "bar" },
            encoding: {
              x: { field: "week", type: "temporal", title: null },
              y: { field: "incidents", type: "quantitative", title: "per week" },
              color: { field: "group", type: "nominal", scale: groupScale(names, spec.totalGroup), legend: null },
            },
          },
          {
            data: { values: [{ date: formatDay(spec.event.day) }] },
            mark: { type: "rule", color: "#c00", strokeDash: [4, 3] },
            encoding: { x: { field: "date", type: "temporal" } },
          },
        ],
      })),
      config: CHART_CONFIG,
    } as Chart["spec"],
    table: { columns: ["week starting", "group", "incidents"], rows: values.map((value) => [value.week, value.group, value.incidents]) },
  };
}
