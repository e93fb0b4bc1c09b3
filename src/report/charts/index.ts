/** Every chart of the report, in reading order. */
import type { StudyRun } from "../../pipeline.js";
import type { Chart } from "./chart.js";
import { cumulativeLosses } from "./cumulative-losses.js";
import { dailyLossOverTime } from "./daily-loss-over-time.js";
import { incidentTimeline } from "./incident-timeline.js";
import { prePostMeans } from "./pre-post-means.js";
import { weeklyIncidents } from "./weekly-incidents.js";

export type { Chart, ChartTable } from "./chart.js";
export { trailingMean } from "./chart.js";

export function buildCharts(run: StudyRun): Chart[] {
  return [incidentTimeline(run), dailyLossOverTime(run), cumulativeLosses(run), prePostMeans(run), weeklyIncidents(run)];
}
