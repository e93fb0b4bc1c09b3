/** Every chart of the report, in reading order (charts with nothing to show are left out). */
import type { StudyRun } from "../../pipeline.js";
import { changeIntervals } from "./change-intervals.js";
import type { Chart } from "./chart.js";
import { cumulativeLosses } from "./cumulative-losses.js";
import { dailyLossOverTime } from "./daily-loss-over-time.js";
import { didOverTime } from "./did-over-time.js";
import { incidentTimeline } from "./incident-timeline.js";
import { placeboDistribution } from "./placebo-distribution.js";
import { prePostMeans } from "./pre-post-means.js";
import { weeklyIncidents } from "./weekly-incidents.js";
import { windowSensitivityChart } from "./window-sensitivity.js";

export type { Chart, ChartTable } from "./chart.js";
export { trailingMean } from "./chart.js";

export function buildCharts(run: StudyRun): Chart[] {
  const charts = [
    incidentTimeline(run),
    dailyLossOverTime(run),
    cumulativeLosses(run),
    prePostMeans(run),
    changeIntervals(run),
    didOverTime(run),
    placeboDistribution(run),
    windowSensitivityChart(run),
    weeklyIncidents(run),
  ];
  return charts.filter((chart): chart is Chart => chart !== null);
}
