/** Chart: the change at every placebo (fake) event date, with the real change marked. */
import type { StudyRun } from "../../pipeline.js";
import { didLabel } from "../../text/labels.js";
import { CHART_CONFIG, VEGA_LITE_SCHEMA, type Chart } from "./chart.js";

export function placeboDistribution(run: StudyRun): Chart | null {
  const subjects = [
    ...run.analysis.comparisons.filter((item) => item.metric === "daily_loss").map((item) => ({ subject: item.group, placebo: item.placebo })),
    ...run.analysis.did.filter((item) => item.metric === "daily_loss").map((item) => ({ subject: didLabel(item.treated, item.controls), placebo: item.placebo })),
  ].filter((item) => item.placebo !== null && item.placebo.eligibleDates > 0);
  if (subjects.length === 0) return null;
  const panels = subjects.map(({ subject, placebo }) => {
    const effects = Array.from(placebo?.effects ?? [], (effect) => ({ effect }));
    return {
      title: { text: `${subject}: placebo p = ${placebo?.pValue?.toFixed(3) ?? "n/a"} (${placebo?.eligibleDates ?? 0} dates)`, anchor: "start", fontSize: 12 },
      width: 360,
      height: 120,
      layer: [
        {
          data: { values: effects },
          mark: { type: "bar", color: "#9ecae1" },
          encoding: {
            x: { field: "effect", type: "quantitative", bin: { maxbins: 40 }, title: "change in mean daily loss at a fake date (USD/day)", axis: { format: "~s" } },
            y: { aggregate: "count", type: "quantitative", title: "dates" },
          },
        },
        {
          data: { values: [{ observed: placebo?.observed ?? 0 }] },
          mark: { type: "rule", color: "#c00", strokeWidth: 2 },
          encoding: { x: { field: "observed", type: "quantitative" } },
        },
      ],
    };
  });
  return {
    id: "placebo-distribution",
    title: "Placebo dates: how unusual is the real change?",
    description:
      "For every fake event date whose windows fit in the covered range without touching the real windows, the change in mean daily loss computed the same way; the red line is the real change. A real change inside the bulk of the fake ones is ordinary for this series.",
    spec: { $schema: VEGA_LITE_SCHEMA, vconcat: [{ hconcat: panels.slice(0, 2) }, ...(panels.length > 2 ? [{ hconcat: panels.slice(2, 4) }] : [])], config: CHART_CONFIG } as Chart["spec"],
    table: {
      columns: ["subject", "real change", "fake dates", "at least as extreme", "placebo p"],
      rows: subjects.map(({ subject, placebo }) => [subject, placebo?.observed ?? "n/a", placebo?.eligibleDates ?? 0, placebo?.atLeastAsExtreme ?? 0, placebo?.pValue ?? "n/a"]),
    },
  };
}
