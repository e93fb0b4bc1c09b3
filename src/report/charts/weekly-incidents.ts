/** Chart: incidents per week for each group (the attack rate), with the event marked. */
import type { StudyRun } from "../../pipeline.js";
import { formatDay } from "../../util/days.js";
import { CHART_CONFIG, FULL_WIDTH, groupScale, studySpan, VEGA_LITE_SCHEMA, type Chart } from "./chart.js";

export function weeklyIncidents(run: StudyRun): Chart {
  const { spec } = run;
  const series = studySpan(run);
  const values: Array<{ week: string; ends_before: string; days: number; group: string; incidents: number }> = [];
  // Weeks counted from the event day, back and forth, so that no bar mixes days before
  // and after the event; the first and last may be shorter, and the table says so.
  const firstWeekStart = spec.event.day + 7 * Math.floor((series.start - spec.event.day) / 7);
  for (const group of series.groups) {
    for (let weekStart = firstWeekStart; weekStart < series.start + group.incidents.length; weekStart += 7) {
      const from = Math.max(weekStart, series.start);
      const to = Math.min(weekStart + 7, series.start + group.incidents.length);
      let count = 0;
      for (let day = from; day < to; day += 1) count += group.incidents[day - series.start] as number;
      values.push({ week: formatDay(from), ends_before: formatDay(to), days: to - from, group: group.group, incidents: count });
    }
  }
  const names = series.groups.map((group) => group.group);
  return {
    id: "weekly-incidents",
    title: "Incidents per week by group",
    description: `Number of incidents in each 7-day week, counted from the event day (${formatDay(spec.event.day)}, the dashed line) so that no week mixes days before and after it, one panel per group; the first and last weeks may be shorter.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      vconcat: names.map((name) => ({
        title: { text: name, anchor: "start", fontSize: 13 },
        width: FULL_WIDTH,
        height: 90,
        layer: [
          {
            data: { values: values.filter((value) => value.group === name) },
            mark: { type: "bar", stroke: "white", strokeWidth: 1 },
            encoding: {
              // Each bar spans its week's days exactly, up to the day after its last (a bar at one date is centred on it).
              x: { field: "week", type: "temporal", title: null },
              x2: { field: "ends_before" },
              y: { field: "incidents", type: "quantitative", title: "per week", axis: { tickMinStep: 1 } },
              // With x2, vega-lite would draw a thin bar at each count; a bar from zero, as without.
              y2: { datum: 0 },
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
    table: { columns: ["week starting", "days", "group", "incidents"], rows: values.map((value) => [value.week, value.days, value.group, value.incidents]) },
  };
}
