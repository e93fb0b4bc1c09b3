/** One chart in the report: the SVG, its caption (the text alternative) and its numbers. */
import type { Chart } from "./charts/index.js";
import { html, trustedHtml, type SafeHtml } from "./html.js";

export interface RenderedChart {
  chart: Chart;
  svg: string;
}

export function chartSection({ chart, svg }: RenderedChart): SafeHtml {
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
