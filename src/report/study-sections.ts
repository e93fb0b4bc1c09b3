/**
 * The parts of a report that belong to the study rather than to one cell: links between
 * the cells of a spec with several events or variants, the table and chart across them
 * (with what they agree and disagree on, in words), and what moved since the last run.
 */
import { cellTitle } from "./charts/across-cells.js";
import { chartSection, type RenderedChart } from "./chart-section.js";
import { html, type SafeHtml } from "./html.js";
import type { CellOverview, ResultsJson } from "./results-json.js";
import { whatMovedLines } from "../living/what-moved-text.js";
import type { WhatMoved } from "../living/what-moved.js";
import { formatP, formatPercent, formatRate, formatUsd } from "../text/format.js";
import { eventVariantTitle, METRIC_LABEL, variesLabel, whatVaries } from "../text/labels.js";

export interface StudySections {
  /** What changed since the previous run; null in a cell's sub-report. */
  moved: WhatMoved | null;
  cellId: string;
  /** A cell's report in a sub-folder of the main one. */
  isSubReport: boolean;
  studyName: string;
}

export function studyNav(results: ResultsJson, study: StudySections | undefined): SafeHtml {
  if (study?.isSubReport === true) {
    return html`<nav class="cells"><p>This is one ${results.cell.variant === null ? "event" : "event / variant"} of the study <strong>${study.studyName}</strong>:
      <strong>${eventVariantTitle(results.cell.event, results.cell.variant)}</strong>.
      <a href="../index.html">Back to the main report</a>, which compares every event and variant.</p></nav>`;
  }
  const cells = results.cells;
  if (cells === undefined) return html``;
  const several = whatVaries(cells);
  return html`<nav class="cells"><p>This spec asks its question ${describeCount(cells, several)}. This page is the full report for
    <strong>${cellTitle(cells[0] as CellOverview, several)}</strong>; the others:
    ${cells.slice(1).map((cell, index) => html`${index === 0 ? "" : ", "}<a href="${cell.path}">${cellTitle(cell, several)}</a>`)}.</p></nav>`;
}

export function acrossCellsSection(results: ResultsJson, chart: RenderedChart | undefined): SafeHtml {
  const cells = results.cells;
  if (cells === undefined) return html``;
  const several = whatVaries(cells);
  // One row per subject and metric, one column per cell: the disagreement reads across a row.
  const keys = [...new Set(cells.flatMap((cell) => cell.headlines.map((headline) => `${headline.subject}\u0000${headline.metric}`)))];
  const rows = keys.map((key) => {
    const [subject, metric] = key.split("\u0000") as [string, keyof typeof METRIC_LABEL];
    const value = metric === "daily_loss" ? formatUsd : formatRate;
    return html`<tr><th scope="row">${subject}</th><td class="nowrap">${METRIC_LABEL[metric]}</td>${cells.map((cell) => {
      const headline = cell.headlines.find((item) => item.subject === subject && item.metric === metric);
      if (headline === undefined) return html`<td>n/a</td>`;
      const change = headline.relative === null ? `${headline.change > 0 ? "+" : ""}${value(headline.change)}/day` : formatPercent(headline.relative);
      return html`<td class="num">${change}<br><span class="ci">${value(headline.preMean)} → ${value(headline.postMean)}</span><br><span class="ci">p ${formatP(headline.pValue)} (adj. ${formatP(headline.adjustedPValue)}), ${headline.level ?? "n/a"}</span></td>`;
    })}</tr>`;
  });
  return html`<section id="across">
  <h2>The same question across ${variesLabel(several)}</h2>
  <ul class="agreement">${agreementLines(cells, several).map((line) => html`<li>${line}</li>`)}</ul>
  <div class="wide-table"><table class="results"><thead><tr><th>subject</th><th>metric</th>${cells.map((cell) => html`<th><a href="${cell.path}">${cellTitle(cell, several)}</a></th>`)}</tr></thead>
  <tbody>${rows}</tbody></table></div>
  <p class="note">Each cell: the change (relative, or per day where there is no baseline to divide by, as for a difference in differences), the pre → post means per day, and the primary test's p-value, raw and adjusted, with the evidence level. Each event and variant is a study of its own: its p-values are adjusted within it, not across the table. Click a name for its full report.</p>
</section>
${chart === undefined ? html`` : chartSection(chart)}`;
}

/**
 * For each subject and metric: do the cells agree on the direction of the change and on
 * the evidence level? Said plainly, because a reader skimming the table can miss it.
 */
export function agreementLines(cells: readonly CellOverview[], several: { events: boolean; variants: boolean }): string[] {
  const keys = [...new Set(cells.flatMap((cell) => cell.headlines.map((headline) => `${headline.subject}\u0000${headline.metric}`)))];
  return keys.map((key) => {
    const [subject, metric] = key.split("\u0000") as [string, keyof typeof METRIC_LABEL];
    const found = cells.flatMap((cell) => cell.headlines.filter((headline) => headline.subject === subject && headline.metric === metric).map((headline) => ({ cell, headline })));
    const perDay = (change: number): string => `${change >= 0 ? "+" : ""}${metric === "daily_loss" ? formatUsd(change) : formatRate(change)}/day`;
    const described = found.map(({ cell, headline }) => `${cellTitle(cell, several)} ${headline.relative === null ? perDay(headline.change) : formatPercent(headline.relative)}`).join(", ");
    const signs = new Set(found.map(({ headline }) => Math.sign(headline.change)));
    const levels = new Set(found.map(({ headline }) => headline.level ?? "n/a"));
    // Opposite signs of changes none of which is significant are noise, not a disagreement.
    const anySignificant = found.some(({ headline }) => headline.level === "strong" || headline.level === "some");
    const evidence = levels.size === 1 ? `the same evidence level (${[...levels][0]})` : `the evidence (${[...levels].join(" vs ")})`;
    let verdict: string;
    if (signs.size > 1 && !anySignificant) {
      verdict = `the estimates point different ways, but none is significant (evidence ${[...levels].join(" vs ")})`;
    } else if (signs.size > 1) {
      verdict = `they disagree on the direction, ${levels.size === 1 ? "with" : "and on"} ${evidence}`;
    } else {
      const sign = [...signs][0];
      verdict = `all ${found.length} point the same way (${sign === 1 ? "up" : sign === -1 ? "down" : "no change"})${sizeSpread(found.map(({ headline }) => headline.relative))}, ${levels.size === 1 ? "with" : "but differ on"} ${evidence}`;
    }
    return `${subject}, ${METRIC_LABEL[metric]}: ${verdict}: ${described}.`;
  });
}

/**
 * ", the largest 3.6 times the smallest" when same-direction relative changes differ by a
 * factor of two or more: the sources agree on the direction, not on how much. "" otherwise.
 */
function sizeSpread(relatives: ReadonlyArray<number | null>): string {
  const sizes = relatives.filter((value): value is number => value !== null && value !== 0).map(Math.abs);
  if (sizes.length < 2) return "";
  const ratio = Math.max(...sizes) / Math.min(...sizes);
  return ratio >= 2 ? `, the largest ${ratio.toFixed(1)} times the smallest` : "";
}

export function whatMovedSection(study: StudySections | undefined): SafeHtml {
  const moved = study?.moved;
  if (moved === null || moved === undefined) return html``;
  return html`<section id="what-moved">
  <h2>What moved since the last run</h2>
  <ul>${whatMovedLines(moved).map((line) => html`<li>${line}</li>`)}</ul>
  <p class="note">Every run appends its headline numbers to history.jsonl in this folder; <code>eventstudy diff ${study?.studyName ?? ""}</code> prints this list again.</p>
</section>`;
}

function describeCount(cells: readonly CellOverview[], several: { events: boolean; variants: boolean }): string {
  const events = new Set(cells.map((cell) => cell.event.id)).size;
  const variants = new Set(cells.map((cell) => cell.variant?.id)).size;
  if (several.events && several.variants) return `for ${events} events and ${variants} variants`;
  return several.events ? `for ${events} events` : `of ${variants} variants of the data and definitions`;
}
