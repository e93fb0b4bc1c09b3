/**
 * The self-contained HTML report: inline CSS, charts as inline SVG, no script and no
 * network request, so it opens offline and prints. Every value from the data or the spec
 * goes through the escaping `html` template.
 */
import type { ResultsJson } from "./results-json.js";
import type { Chart } from "./charts/index.js";
import { formatP, formatPercent, formatRate, formatStatistic, formatUsd } from "./format.js";
import { html, trustedHtml, type SafeHtml } from "./html.js";
import { METRIC_LABEL, TEST_LABEL } from "./labels.js";

export interface RenderedChart {
  chart: Chart;
  svg: string;
}


export function renderReportHtml(results: ResultsJson, charts: readonly RenderedChart[]): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${results.study.reportTitle}</title>
<style>${trustedHtml(STYLES)}</style>
</head>
<body>
<main>
<header>
  <h1>${results.study.reportTitle}</h1>
  <p class="lede">${results.study.description}</p>
  <p class="meta">Event: <strong>${results.event.date}</strong> — ${results.event.label}.
  Pre window ${results.windows.pre.start} to ${results.windows.pre.end} (${results.windows.pre.days} days);
  post window ${results.windows.post.start} to ${results.windows.post.end} (${results.windows.post.days} days).
  Data: ${results.provenance.dataFile}, covered ${results.coverage.start} to ${results.coverage.end}.</p>
</header>
${headline(results)}
${charts.map(chartSection)}
${largestIncidents(results)}
${warningsSection(results)}
${methods(results)}
${provenance(results)}
</main>
</body>
</html>
`;
  return page.text;
}

function headline(results: ResultsJson): SafeHtml {
  const methodsRun = results.results[0]?.tests.map((test) => test.method) ?? [];
  const rows = results.results.map((result) => {
    const value = result.metric === "daily_loss" ? formatUsd : formatRate;
    return html`<tr>
      <th scope="row">${result.group}</th><td>${METRIC_LABEL[result.metric]}</td>
      <td class="num">${value(result.pre.mean)}</td><td class="num">${value(result.post.mean)}</td>
      <td class="num">${value(result.change.absolute)}</td>
      <td class="num" title="${result.change.relativeNote ?? ""}">${formatPercent(result.change.relative)}</td>
      <td class="num">${result.pre.incidents} → ${result.post.incidents}</td>
      ${result.tests.map((test) => html`<td class="num${test.significant === true ? " sig" : ""}" title="${test.note ?? `statistic ${formatStatistic(test.statistic)}`}">${formatP(test.pValue)}</td>`)}
    </tr>`;
  });
  return html`<section id="headline">
  <h2>Pre vs post, by group</h2>
  <table class="results">
    <thead><tr><th>group</th><th>metric</th><th>pre mean/day</th><th>post mean/day</th><th>change/day</th><th>relative</th><th>incidents</th>
    ${methodsRun.map((method) => html`<th>p (${TEST_LABEL[method]})</th>`)}</tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <p class="note">p-values are two-sided and not adjusted for the ${results.results.length * methodsRun.length} tests in this table; bold marks p &lt; ${results.alpha}.
  Welch's t-test compares means and assumes independent days with a roughly normal sampling distribution; daily hack losses are mostly zero, heavy-tailed and clustered,
  so one large incident can decide it. Mann–Whitney U compares ranks and is not moved by the size of the largest incident, but tests whether days tend to be larger, not whether the mean changed.</p>
</section>`;
}

function chartSection({ chart, svg }: RenderedChart): SafeHtml {
  return html`<section class="chart" id="${chart.id}">
  <h2>${chart.title}</h2>
  <figure role="img" aria-label="${chart.description}">
    ${trustedHtml(svg)}
    <figcaption>${chart.description}</figcaption>
  </figure>
  <details><summary>The numbers behind this chart</summary>
    <table><thead><tr>${chart.table.columns.map((column) => html`<th>${column}</th>`)}</tr></thead>
    <tbody>${chart.table.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${typeof cell === "number" ? formatCell(cell) : cell}</td>`)}</tr>`)}</tbody></table>
  </details>
</section>`;
}

function formatCell(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

function largestIncidents(results: ResultsJson): SafeHtml {
  const totalFor = (window: "pre" | "post"): number =>
    results.results.find((result) => result.group === results.total && result.metric === "daily_loss")?.[window].total ?? Number.NaN;
  const table = (window: "pre" | "post"): SafeHtml => {
    const total = totalFor(window);
    return html`<table><thead><tr><th>date</th><th>incident</th><th>group</th><th>amount</th><th>share of window's losses</th><th>data row</th></tr></thead>
    <tbody>${results.largestIncidents[window].map(
      (item) => html`<tr><td>${item.date}</td><td>${item.name ?? ""}</td><td>${item.group ?? "(no group)"}</td><td class="num">${item.amount === null ? "unknown" : formatUsd(item.amount)}</td>
      <td class="num">${item.amount === null || !Number.isFinite(total) || total === 0 ? "n/a" : formatPercent(item.amount / total).replace("+", "")}</td><td class="num">${item.row}</td></tr>`,
    )}</tbody></table>`;
  };
  return html`<section id="largest">
  <h2>Largest incidents in each window</h2>
  <p class="note">A mean over a window of mostly-zero days is driven by its largest incidents: check how much of each window one incident makes up.</p>
  <h3>Pre window</h3>${table("pre")}
  <h3>Post window</h3>${table("post")}
</section>`;
}

function warningsSection(results: ResultsJson): SafeHtml {
  if (results.warnings.length === 0) return html`<section id="warnings"><h2>Warnings</h2><p>None: every row was used and coverage was declared.</p></section>`;
  return html`<section id="warnings"><h2>Warnings (${results.warnings.length})</h2>
  <ul>${results.warnings.map((warning) => html`<li><code>${warning.code}</code> ${warning.message}</li>`)}</ul></section>`;
}

function methods(results: ResultsJson): SafeHtml {
  const gap = results.windows.gap;
  return html`<section id="methods"><h2>Methods</h2>
  <p>Each incident is placed on a calendar day and assigned to the first group whose rule it matches:</p>
  <ul>${results.groups.map((group) => html`<li><strong>${group.name}</strong>: ${group.rule}</li>`)}
  ${results.total === null ? "" : html`<li><strong>${results.total}</strong>: every incident used (the automatic total)</li>`}</ul>
  <p>For each group, <em>daily loss</em> is the sum of the known amounts on a day and <em>incidents per day</em> counts incidents; days with no incident count as 0.
  Only days inside the data's coverage (${results.coverage.start} to ${results.coverage.end}${results.coverage.startInferred || results.coverage.endInferred ? ", partly inferred from the data" : ", as declared in the spec"}) are used,
  because a day the data does not cover is not a day without losses.
  The pre window is ${results.windows.pre.start} to ${results.windows.pre.end}; the post window is ${results.windows.post.start} to ${results.windows.post.end}
  ${gap.before + gap.after > 0 ? html`(leaving out ${gap.before} day(s) before and ${gap.after} day(s) from the event on)` : ""}.</p>
  <p>The tests compare the post-window daily values with the pre-window daily values: ${results.results[0]?.tests.map((test) => html`<strong>${TEST_LABEL[test.method]}</strong> (${test.variant}); `)}
  significance level ${results.alpha}.</p>
</section>`;
}

function provenance(results: ResultsJson): SafeHtml {
  const p = results.provenance;
  return html`<section id="provenance"><h2>Provenance</h2>
  <dl>
    <dt>Spec</dt><dd>${p.specFile} <code>sha256 ${p.specSha256}</code></dd>
    <dt>Data</dt><dd>${p.dataFile} <code>sha256 ${p.dataSha256}</code></dd>
    <dt>Rows</dt><dd>${p.rowsRead} read, ${p.rowsExcluded} left out as unusable, ${p.rowsFilteredOut} filtered out by the spec, ${p.rowsUsed} used (${p.rowsInNoGroup} in no named group)</dd>
    <dt>Coverage</dt><dd>${results.coverage.start} to ${results.coverage.end}</dd>
    <dt>Engine</dt><dd>eventstudy ${p.engineVersion}, run at ${p.runAt}</dd>
  </dl>
</section>`;
}

const STYLES = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --accent: #c00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 1.7rem; margin: 0 0 8px; }
h2 { font-size: 1.2rem; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1rem; margin: 18px 0 6px; }
.lede { font-size: 1.05rem; max-width: 80ch; }
.meta, .note, figcaption { color: var(--muted); font-size: 0.9rem; max-width: 90ch; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.sig { font-weight: 700; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
details { margin: 6px 0 0; font-size: 0.9rem; }
code { font-size: 0.82rem; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 0.9rem; }
dt { font-weight: 600; }
dd { margin: 0; }
#warnings li { margin-bottom: 4px; }
@media print {
  main { max-width: none; padding: 0; }
  details { display: none; }
  section { break-inside: avoid; }
}
`;
