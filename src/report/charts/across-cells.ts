/**
 * Chart: the same question asked of every event and variant of a spec, side by side:
 * each subject's change in mean per day with its interval, one colour per cell. When the
 * public sources disagree, this is where it shows.
 */
import type { MetricName } from "../../spec/input-spec.js";
import type { CellOverview } from "../results-json.js";
import { variesLabel, whatVaries } from "../../text/labels.js";
import { CHART_CONFIG, GROUP_PALETTE, VEGA_LITE_SCHEMA, zeroWidthScale, type Chart } from "./chart.js";

const METRIC_TITLE: Record<MetricName, string> = { daily_loss: "Change in mean daily loss (USD/day)", daily_incidents: "Change in incidents per day" };

export function cellTitle(cell: Pick<CellOverview, "event" | "variant">, several: { events: boolean; variants: boolean }): string {
  const parts = [several.events ? cell.event.label : "", several.variants && cell.variant !== null ? cell.variant.name : ""].filter(Boolean);
  return parts.length === 0 ? cell.event.label : parts.join(" / ");
}

export function acrossCellsChart(cells: readonly CellOverview[], confidence: number): Chart {
  const several = whatVaries(cells);
  const titles = cells.map((cell) => cellTitle(cell, several));
  const rows = cells.flatMap((cell, index) =>
    cell.headlines.map((headline) => ({
      cell: titles[index] as string,
      metric: headline.metric,
      subject: headline.subject,
      change: headline.change,
      low: headline.interval?.low ?? null,
      high: headline.interval?.high ?? null,
      p: headline.pValue,
      evidence: headline.level ?? "n/a",
    })),
  );
  const metrics = [...new Set(rows.map((row) => row.metric))];
  const color = { domain: titles, range: titles.map((_, index) => GROUP_PALETTE[index % GROUP_PALETTE.length] as string) };
  const subjects = [...new Set(rows.map((row) => row.subject))];
  const percent = Math.round(confidence * 100);
  const panels = metrics.map((metric) => ({
    title: { text: METRIC_TITLE[metric], anchor: "start", fontSize: 13 },
    width: 330,
    height: Math.max(90, 14 * cells.length * subjects.length),
    data: { values: rows.filter((row) => row.metric === metric) },
    encoding: {
      y: { field: "subject", type: "nominal", title: null, sort: subjects },
      yOffset: { field: "cell", type: "nominal", sort: titles },
      // Below the panels, in full: the part of a title that tells two cells apart is often
      // its end ("... / DeFiLlama", "... / SlowMist"), which a legend beside them cut off.
      color: { field: "cell", type: "nominal", title: legendTitle(several), scale: color, sort: titles, legend: { orient: "bottom", direction: "vertical", columns: 2, labelLimit: 0 } },
    },
    layer: [
      { mark: { type: "rule", color: "#999" }, encoding: { x: { datum: 0, type: "quantitative" }, y: null, yOffset: null, color: null } },
      {
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          x: { field: "low", type: "quantitative", title: null, axis: { format: metric === "daily_loss" ? "~s" : "~g" }, ...zeroWidthScale(rows.filter((row) => row.metric === metric).flatMap((row) => [row.change, row.low, row.high]), [-1, 1]) },
          x2: { field: "high" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 50 },
        encoding: {
          x: { field: "change", type: "quantitative" },
          tooltip: [{ field: "cell" }, { field: "subject" }, { field: "change", format: ",.4~g" }, { field: "low", format: ",.4~g" }, { field: "high", format: ",.4~g" }, { field: "p", format: ".4f" }, { field: "evidence" }],
        },
      },
    ],
  }));
  return {
    id: "across-events-and-variants",
    title: `The same question across ${variesLabel(several)}`,
    description: `For each ${several.events && several.variants ? "event and variant" : several.events ? "event" : "variant"} (one colour each) and each group, the post-window mean minus the pre-window mean per day as a dot, with its ${percent}% block-bootstrap interval as a bar; where the colours disagree, the answer depends on the event date or on the data source and definitions.`,
    spec: { $schema: VEGA_LITE_SCHEMA, hconcat: panels, config: CHART_CONFIG } as Chart["spec"],
    table: {
      columns: [legendTitle(several), "metric", "subject", "change per day", "interval low", "interval high", "primary p", "evidence"],
      rows: rows.map((row) => [row.cell, row.metric, row.subject, row.change, row.low ?? "n/a", row.high ?? "n/a", row.p ?? "n/a", row.evidence]),
    },
  };
}

function legendTitle(several: { events: boolean; variants: boolean }): string {
  return several.events && several.variants ? "event / variant" : several.events ? "event" : "variant";
}
