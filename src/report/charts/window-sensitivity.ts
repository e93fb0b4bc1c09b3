/** Chart: the change in mean daily loss and its interval against the window length. */
import type { StudyRun } from "../../pipeline.js";
import { didLabel } from "../../text/labels.js";
import { CHART_CONFIG, groupScale, VEGA_LITE_SCHEMA, type Chart } from "./chart.js";

export function windowSensitivityChart(run: StudyRun): Chart | null {
  const rows = [
    ...run.analysis.comparisons.filter((item) => item.metric === "daily_loss").map((item) => ({ subject: item.group, points: item.sensitivity })),
    ...run.analysis.did.filter((item) => item.metric === "daily_loss").map((item) => ({ subject: didLabel(item.treated, item.controls), points: item.sensitivity })),
  ].flatMap(({ subject, points }) =>
    points.map((point) => ({
      subject,
      days: point.days,
      // A length the data's coverage cut short says so where it is plotted and listed: "90 (cut: 90/46)".
      length: point.clipped ? `${point.days} (cut: ${point.pre.days}/${point.post.days})` : String(point.days),
      change: point.difference,
      low: point.intervalLow,
      high: point.intervalHigh,
      p: point.pValue,
    })),
  );
  if (rows.length === 0) return null;
  const subjects = [...new Set(rows.map((row) => row.subject))];
  const scale = groupScale(subjects, run.spec.totalGroup);
  const isFlat = (subject: string): boolean => rows.filter((row) => row.subject === subject).every((row) => [row.change, row.low ?? 0, row.high ?? 0].every((value) => value === 0));
  const hasFlatSubject = subjects.some(isFlat);
  return {
    id: "window-sensitivity",
    title: "Window sensitivity",
    description:
      "The change in mean daily loss (dot) and its bootstrap interval (bar) when both windows are N days long, for several N; an answer that flips sign or significance with N depends on the window chosen. A length the data's coverage cuts short is marked with the days used (pre/post); lengths cut to the same windows are shown once.",
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      data: { values: rows },
      facet: { column: { field: "subject", type: "nominal", title: null, sort: subjects } },
      spec: {
        width: 170,
        height: 160,
        layer: [
          { mark: { type: "rule", color: "#999" }, encoding: { y: { datum: 0, type: "quantitative" } } },
          // A subject whose changes and intervals are all 0 would get the zero-width domain
          // [0, 0], whose "~s" ticks read NaN. The panels are facets of one spec, so
          // zeroWidthScale (one domain per scale) cannot reach one panel: an invisible datum
          // at 1 widens every panel to at least [0, 1] (the others reach far beyond 1).
          ...(hasFlatSubject ? [{ mark: { type: "point", opacity: 0 }, encoding: { y: { datum: 1, type: "quantitative" } } }] : []),
          {
            mark: { type: "rule", strokeWidth: 2 },
            encoding: {
              x: { field: "length", type: "ordinal", title: "days each side", sort: { field: "days", op: "min" } },
              y: { field: "low", type: "quantitative", title: "change (USD/day)", axis: { format: "~s" } },
              y2: { field: "high" },
              color: { field: "subject", type: "nominal", scale, legend: null },
            },
          },
          {
            mark: { type: "point", filled: true, size: 50 },
            encoding: {
              x: { field: "length", type: "ordinal", sort: { field: "days", op: "min" } },
              y: { field: "change", type: "quantitative" },
              color: { field: "subject", type: "nominal", scale, legend: null },
              tooltip: [{ field: "subject" }, { field: "length", title: "days each side" }, { field: "change", format: ",.4~g" }, { field: "p", format: ".3f" }],
            },
          },
        ],
      },
      resolve: { scale: { y: "independent" } },
      config: CHART_CONFIG,
    } as Chart["spec"],
    table: { columns: ["subject", "days each side", "change", "interval low", "interval high", "primary p"], rows: rows.map((row) => [row.subject, row.length, row.change, row.low ?? "n/a", row.high ?? "n/a", row.p ?? "n/a"]) },
  };
}
