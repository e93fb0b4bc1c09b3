// Every chart the report draws is a valid Vega-Lite spec (checked against the schema
// vega-lite ships), renders to an SVG with marks, and carries a title, a text
// alternative and its numbers as a table.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { runStudy } from "../../src/pipeline.js";
import { buildCharts, trailingMean } from "../../src/report/charts/index.js";
import { zeroWidthScale } from "../../src/report/charts/chart.js";
import { renderSvg } from "../../src/report/render-svg.js";
import { renderReportHtml } from "../../src/report/render-report.js";
import { buildResultsJson } from "../../src/report/results-json.js";
import { buildSummaryMarkdown } from "../../src/report/summary-md.js";
import { testContext } from "../helpers/study-fixture.js";

// vega-lite does not export its schema file as a subpath, so read it from node_modules.
const vegaLiteSchema = JSON.parse(readFileSync("node_modules/vega-lite/build/vega-lite-schema.json", "utf8")) as object;

describe("report charts", async () => {
  const run = await runStudy(join("test/cases/golden-basic", "spec.yaml"), testContext(process.cwd()));
  const charts = buildCharts(run);
  const validate = new Ajv({ strict: false, allErrors: false }).compile(vegaLiteSchema);

  it.each(charts.map((chart) => [chart.id, chart] as const))("%s is valid Vega-Lite and renders marks", async (_id, chart) => {
    const valid = validate(chart.spec);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const svg = await renderSvg(chart.spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/<path|<rect|<line/);
    expect(chart.title.length).toBeGreaterThan(0);
    expect(chart.description.length).toBeGreaterThan(0);
    expect(chart.table.rows.length).toBeGreaterThan(0);
  });

  it("draws each window's mean from the comparisons", () => {
    const chart = charts.find((item) => item.id === "daily-loss-over-time");
    // Lazarus pre mean 30,104,000 USD/day (scipy check in test/reference/golden_case.py).
    expect(chart?.table.rows).toContainEqual(["Lazarus", "pre", "2024-03-01", "2024-03-10", 30104000]);
  });

  it("puts each loss on its own day in the cumulative chart (no point is late)", () => {
    const chart = charts.find((item) => item.id === "cumulative-losses");
    const layer = (chart?.spec as { layer: Array<{ data: { values: Array<{ date: string; group: string; cumulative: number }> } }> }).layer[0];
    const lazarus = layer?.data.values.filter((point) => point.group === "Lazarus").map((point) => [point.date, point.cumulative]);
    // Lazarus's rows in data.csv, counted by hand: 1M on 03-01, 300M on 03-06, 20k (unclear)
    // on 03-09, 20k on 03-10 (its exact copy dropped), 5M on the event day 03-11, 2M on 03-14;
    // the first and last covered days (03-01, 03-20) as well. Weekly samples drew the
    // event day's 5M on 03-15.
    expect(lazarus).toEqual([
      ["2024-03-01", 1_000_000],
      ["2024-03-06", 301_000_000],
      ["2024-03-09", 301_020_000],
      ["2024-03-10", 301_040_000],
      ["2024-03-11", 306_040_000],
      ["2024-03-14", 308_040_000],
      ["2024-03-20", 308_040_000],
    ]);
  });

  it("counts incidents in weeks from the event day, so that no bar mixes days before and after it", () => {
    const chart = charts.find((item) => item.id === "weekly-incidents");
    const lazarus = chart?.table.rows.filter((row) => row[2] === "Lazarus");
    // Event 2024-03-11, covered days 03-01..03-20: weeks 03-01..03-03 (cut by coverage),
    // 03-04..03-10, 03-11..03-17, 03-18..03-20 (cut). Lazarus's incidents in data.csv, by
    // hand: 03-01; 03-06, 03-09, 03-10 (its exact copy dropped); 03-11, 03-14.
    expect(lazarus).toEqual([
      ["2024-03-01", 3, "Lazarus", 1],
      ["2024-03-04", 7, "Lazarus", 3],
      ["2024-03-11", 7, "Lazarus", 2],
      ["2024-03-18", 3, "Lazarus", 0],
    ]);
  });
});

describe("trailingMean", () => {
  it("averages over the last n days, fewer at the start", () => {
    expect(Array.from(trailingMean(Float64Array.from([3, 0, 6, 0, 0]), 3))).toEqual([3, 1.5, 3, 2, 2]);
  });
});

describe("zeroWidthScale", () => {
  it("gives an all-zero axis a domain (vega-lite's [0, 0] draws NaN ticks) and leaves any other axis alone", () => {
    expect(zeroWidthScale([0, 0, null], [-1, 1])).toEqual({ scale: { domain: [-1, 1] } });
    expect(zeroWidthScale(new Float64Array([0, 0]), [0, 1])).toEqual({ scale: { domain: [0, 1] } });
    expect(zeroWidthScale([0, null, 3], [-1, 1])).toEqual({});
    expect(zeroWidthScale([-0.5], [0, 1])).toEqual({});
  });
});

describe("a difference in differences is called by one name", () => {
  it("in the results table and in every chart that shows it: treated − controls (DiD)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-did-label-"));
    copyFileSync("test/cases/golden-basic/data.csv", join(dir, "data.csv"));
    // Two controls: the spellings used to differ in how they joined them ("DEX+Other", "DEX + Other").
    const groups = "groups:\n  - name: Lazarus\n    where: {attribution: lazarus}\n  - name: DEX\n    where: {category: dex}\n  - name: Other\n    otherwise: true\n";
    const spec = readFileSync("test/cases/golden-basic/spec.yaml", "utf8").replace(/^groups:\n(?: {2}.*\n)+/m, groups);
    expect(spec).toContain("name: DEX");
    writeFileSync(join(dir, "spec.yaml"), `${spec}difference_in_differences: {treated: Lazarus, controls: [DEX, Other]}\n`);
    const run = await runStudy(join(dir, "spec.yaml"), testContext(process.cwd()));
    const label = "Lazarus − DEX + Other (DiD)";
    const subjects = (id: string): unknown[] => {
      const table = buildCharts(run).find((chart) => chart.id === id)?.table;
      const column = table?.columns.indexOf("subject") ?? -1;
      return (table?.rows ?? []).map((row) => row[column]);
    };
    // The toy study's 20 days leave no room for placebo dates: that chart has no DiD row to name.
    for (const id of ["change-intervals", "window-sensitivity"]) expect(subjects(id), id).toContain(label);
    const html = renderReportHtml(buildResultsJson(run), [], 0);
    expect(html).toContain(`<td>${label}</td>`);
    // No other spelling of the same label anywhere in the page: the verdicts' titles use it
    // too (their prose is a sentence, "Lazarus relative to DEX + Other: ...").
    expect(html).toContain(`title="${label} — daily loss"`);
    expect(html).not.toMatch(/Lazarus vs DEX|DEX\+Other/);
    // summary.md, for pasting elsewhere, names it the same way.
    expect(buildSummaryMarkdown(buildResultsJson(run))).toMatch(new RegExp(`^- \\*\\*${label.replace(/[+()]/g, "\\$&")}, daily loss\\*\\* \\(`, "m"));
  });
});
