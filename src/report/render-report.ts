/**
 * The self-contained HTML report: inline CSS, charts as inline SVG, no script and no
 * network request, so it opens offline and prints. Every value from the data or the spec
 * goes through the escaping `html` template.
 */
import type { ResultsJson, TestJson } from "./results-json.js";
import { chartSection, type RenderedChart } from "./chart-section.js";
import { acrossCellsSection, studyNav, whatMovedSection, type StudySections } from "./study-sections.js";
import { formatP, formatPercent, formatRate, formatStatistic, formatUsd } from "../text/format.js";
import { html, trustedHtml, type SafeHtml } from "./html.js";
import { didLabel, METRIC_LABEL, rowName, TEST_LABEL } from "../text/labels.js";
import { calibrationWarnings, coverageNote as calibrationCoverageNote, levelNote } from "./calibration-notes.js";

/** The chart across events and variants is shown in its own section, not with the others. */
const ACROSS_CHART_ID = "across-events-and-variants";

export type { RenderedChart };


/** `runSeconds`: how long the run took (shown in Provenance; not in results.json, which stays reproducible). */
export function renderReportHtml(results: ResultsJson, allCharts: readonly RenderedChart[], runSeconds: number | null = null, study?: StudySections): string {
  const across = allCharts.find((item) => item.chart.id === ACROSS_CHART_ID);
  const charts = allCharts.filter((item) => item !== across);
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
${studyNav(results, study)}
${verdicts(results)}
${acrossCellsSection(results, across)}
${whatMovedSection(study)}
${headline(results)}
${charts.map(chartSection)}
${allTests(results)}
${influence(results)}
${largestIncidents(results)}
${warningsSection(results)}
${methods(results)}
${provenance(results, runSeconds)}
</main>
</body>
</html>
`;
  return page.text;
}

function verdicts(results: ResultsJson): SafeHtml {
  const items = [
    ...results.results.filter((item) => item.group !== results.total).map((item) => ({ key: `${item.group} — ${METRIC_LABEL[item.metric]}`, verdict: item.verdict })),
    ...results.differenceInDifferences.map((item) => ({ key: `${didLabel(item.treated, item.controls)} — ${METRIC_LABEL[item.metric]}`, verdict: item.verdict })),
    ...results.results.filter((item) => item.group === results.total).map((item) => ({ key: `${item.group} — ${METRIC_LABEL[item.metric]}`, verdict: item.verdict })),
  ];
  return html`<section id="verdict">
  <h2>What the data say</h2>
  <ul class="verdicts">${items.map(
    (item) => html`<li class="level-${item.verdict?.level ?? "undetermined"}" title="${item.key}"><span class="badge">evidence: ${item.verdict?.level ?? "undetermined"}</span> ${item.verdict?.text ?? ""}</li>`,
  )}</ul>
  <p class="note">Each verdict rests on the ${results.primary.daily_loss === results.primary.daily_incidents ? TEST_LABEL[results.primary.daily_loss as keyof typeof TEST_LABEL] : "primary test of its metric"}, with p-values adjusted
  (${results.multipleTesting.method === "none" ? "not adjusted" : results.multipleTesting.method === "holm" ? "Holm" : "Benjamini–Hochberg"}) across the ${results.multipleTesting.family} p-values this study reports.
  "Strong" needs that, a placebo-date rank below alpha, the same direction at every window length, no single incident deciding it and an interval that excludes zero; a check that could not be made is named and never counts as passed.</p>
</section>`;
}

function headline(results: ResultsJson): SafeHtml {
  const rows = results.results.map((result) => {
    const value = result.metric === "daily_loss" ? formatUsd : formatRate;
    const primary = result.tests.find((test) => test.method === results.primary[result.metric]);
    const interval = result.interval.difference;
    const relative = result.interval.relative;
    return html`<tr>
      <th scope="row">${result.group}</th><td>${METRIC_LABEL[result.metric]}</td>
      <td class="num">${value(result.pre.mean)}</td><td class="num">${value(result.post.mean)}</td>
      <td class="num">${value(result.change.absolute)}<br><span class="ci">${interval.low === null || interval.high === null ? "no interval" : html`${value(interval.low)} to ${value(interval.high)}`}</span></td>
      <td class="num" title="${result.change.relativeNote ?? ""}">${formatPercent(result.change.relative)}<br><span class="ci">${relative.low === null || relative.high === null ? "" : html`${formatPercent(relative.low)} to ${formatPercent(relative.high)}`}</span></td>
      <td class="num">${result.pre.incidents} → ${result.post.incidents}</td>
      <td class="num${primary?.significantAdjusted === true ? " sig" : ""}">${formatP(primary?.pValue ?? null)}<br><span class="ci">adj. ${formatP(primary?.adjustedPValue ?? null)}</span></td>
      <td class="num">${formatP(result.placebo?.pValue ?? null)}</td>
    </tr>`;
  });
  const confidence = Math.round((results.results[0]?.interval.confidence ?? 0.95) * 100);
  return html`<section id="headline">
  <h2>Pre vs post, by group</h2>
  <table class="results">
    <thead><tr><th>group</th><th>metric</th><th>pre mean/day</th><th>post mean/day</th><th>change/day (${confidence}% CI)</th><th>relative (${confidence}% CI)</th><th>incidents</th>
    <th>p (adjusted)</th><th>placebo p</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <p class="note">p: ${TEST_LABEL[results.primary.daily_loss as keyof typeof TEST_LABEL]}, raw and adjusted across the study. Intervals: ${results.results[0]?.interval.method ?? ""}${coverageNote(results)}. Bold p-values are below ${results.alpha} after adjustment.
  Every test the study ran, with its statistic, raw and adjusted p-value, is in the table "All tests" below.</p>
</section>
${didSection(results)}`;
}

/** How often intervals like these covered the truth in calibration at the window length nearest the study's, when that is known. */
function coverageNote(results: ResultsJson): string {
  return calibrationCoverageNote(results.results[0]?.interval.difference.kind, results.windows);
}

function didSection(results: ResultsJson): SafeHtml {
  if (results.differenceInDifferences.length === 0) return html``;
  const rows = results.differenceInDifferences.map((item) => {
    const value = item.metric === "daily_loss" ? formatUsd : formatRate;
    const primary = item.tests.find((test) => test.method === results.primary[item.metric]);
    return html`<tr><td>${METRIC_LABEL[item.metric]}</td>
      <td class="num">${value(item.treatedSide.preMean)} → ${value(item.treatedSide.postMean)} (${formatPercent(item.treatedSide.change.relative)})</td>
      <td class="num">${value(item.controlSide.preMean)} → ${value(item.controlSide.postMean)} (${formatPercent(item.controlSide.change.relative)})</td>
      <td class="num">${value(item.estimate)}<br><span class="ci">${item.interval.difference.low === null || item.interval.difference.high === null ? "no interval" : html`${value(item.interval.difference.low)} to ${value(item.interval.difference.high)}`}</span></td>
      <td class="num">${item.ratioOfRatios === null ? "n/a" : item.ratioOfRatios.toFixed(2)}</td>
      <td class="num${primary?.significantAdjusted === true ? " sig" : ""}">${formatP(primary?.pValue ?? null)}<br><span class="ci">adj. ${formatP(primary?.adjustedPValue ?? null)}</span></td>
      <td class="num">${formatP(item.placebo?.pValue ?? null)}</td></tr>`;
  });
  const first = results.differenceInDifferences[0];
  return html`<section id="did">
  <h2>Difference in differences: ${first?.treated ?? ""} − ${first?.controls.join(" + ") ?? ""}</h2>
  <table><thead><tr><th>metric</th><th>${first?.treated ?? "treated"} pre → post</th><th>${first?.controls.join(" + ") ?? "control"} pre → post</th><th>difference in differences/day (CI)</th><th>ratio of ratios</th><th>p (adjusted)</th><th>placebo p</th></tr></thead>
  <tbody>${rows}</tbody></table>
  <p class="note">The difference in differences is the treated group's change minus the control's change. It assumes both would have changed alike without the event (parallel trends), which the data cannot confirm; the placebo p-value shows how often the two drift apart this much at other dates.</p>
</section>`;
}

function allTests(results: ResultsJson): SafeHtml {
  const subjects = [
    ...results.results.map((item) => ({ subject: item.group, metric: item.metric, tests: item.tests })),
    ...results.differenceInDifferences.map((item) => ({ subject: didLabel(item.treated, item.controls), metric: item.metric, tests: item.tests, isDid: true })),
  ];
  const allItems = [...results.results, ...results.differenceInDifferences];
  const computed = allItems.reduce((count, item) => count + item.tests.filter((test) => test.pValue !== null).length, 0);
  const placebos = allItems.filter((item) => item.placebo !== null && item.placebo.pValue !== null).length;
  // The verdicts say "adjusted over N p-values": say which they are, as N is not this table's count.
  const family =
    results.multipleTesting.method === "none"
      ? html``
      : html`<p class="note">The ${results.multipleTesting.family} p-values adjusted across the study (${results.multipleTesting.method === "holm" ? "Holm" : "Benjamini–Hochberg"}) are those of the ${computed} tests below that gave one and of the ${placebos} placebo checks.</p>`;
  return html`<section id="tests">
  <h2>All tests</h2>
  ${family}
  <details><summary>${subjects.reduce((count, item) => count + item.tests.length, 0)} tests: statistic, raw and adjusted p-value, effect, and exactly which variant ran</summary>
  <table><thead><tr><th>subject</th><th>metric</th><th>test</th><th>statistic</th><th>p</th><th>adjusted p</th><th>effect (CI)</th><th>holds its level?</th><th>note</th></tr></thead>
  <tbody>${subjects.flatMap((item) =>
    item.tests.map(
      (test) => html`<tr><td>${item.subject}</td><td>${METRIC_LABEL[item.metric]}</td><td title="${test.variant}">${TEST_LABEL[test.method]}</td>
      <td class="num">${formatStatistic(test.statistic)}${test.df === null ? "" : html`<br><span class="ci">df ${test.df.toFixed(1)}</span>`}</td>
      <td class="num">${formatP(test.pValue)}</td><td class="num${test.significantAdjusted === true ? " sig" : ""}">${formatP(test.adjustedPValue)}</td>
      <td>${test.effect === null || test.effect.estimate === null ? "" : html`${test.effect.name}: ${test.effect.estimate.toPrecision(4)}${test.effect.ciLow === null || test.effect.ciHigh === null ? "" : ` (${test.effect.ciLow.toPrecision(3)} to ${test.effect.ciHigh.toPrecision(3)})`}`}</td>
      <td>${"isDid" in item ? "not calibrated for a difference series" : levelNote(item.metric, test.method, results.windows)}</td>
      <td>${test.note ?? ""}</td></tr>`,
    ),
  )}</tbody></table></details>
</section>`;
}

function influence(results: ResultsJson): SafeHtml {
  const rows = results.results
    .filter((item) => item.metric === "daily_loss")
    .flatMap((item) => item.influence.map((entry) => ({ subject: item.group, baseline: item.change.relative, entry })));
  return html`<section id="influence">
  <h2>Does the answer hang on one incident?</h2>
  <p class="note">The change in mean daily loss recomputed with each of the largest incidents left out, one at a time. Rows marked "changes the verdict" flip the direction of the change or which side of ${results.alpha} the adjusted p-value falls (the verdict is judged after adjustment; the p-value without the incident is adjusted as if it stood in the study's own place).${sampledPermutations(results) ? ` Each p-value here comes from its own random splits, so the same question asked another way (a variant whose data leaves the incident out) can give a p-value a little different: with ${results.settings.permutations} splits, by up to about ±${(2 * Math.sqrt(0.25 / results.settings.permutations)).toFixed(3)} (two standard errors at p = 0.5).` : ""}</p>
  <table><thead><tr><th>group</th><th>incident left out</th><th>date</th><th>amount</th><th>change without it</th><th>p without it</th><th></th></tr></thead>
  <tbody>${rows.map(
    ({ subject, baseline, entry }) => html`<tr${entry.changesVerdict ? html` class="flag"` : ""}><td>${subject}</td><td>${entry.name ?? rowName(entry.row, results.provenance.rowIds)}</td><td>${entry.date}</td><td class="num">${formatUsd(entry.amount)}</td>
    <td class="num">${formatPercent(entry.relativeChange)} <span class="ci">(with it ${formatPercent(baseline)})</span></td><td class="num">${formatP(entry.pValue)}${results.multipleTesting.method === "none" ? "" : html` <span class="ci">(adj. ${formatP(entry.adjustedPValue)})</span>`}</td><td>${entry.changesVerdict ? "changes the verdict" : ""}</td></tr>`,
  )}</tbody></table>
</section>`;
}

function largestIncidents(results: ResultsJson): SafeHtml {
  const totalFor = (window: "pre" | "post"): number =>
    results.results.find((result) => result.group === results.total && result.metric === "daily_loss")?.[window].total ?? Number.NaN;
  const table = (window: "pre" | "post"): SafeHtml => {
    const total = totalFor(window);
    return html`<table><thead><tr><th>date</th><th>incident</th><th>group</th><th>amount</th><th>share of window's losses</th><th>${results.provenance.rowIds}</th></tr></thead>
    <tbody>${results.largestIncidents[window].map(
      (item) => html`<tr><td>${item.date}</td><td>${incidentName(item.name, item.url)}</td><td>${item.group ?? "(no group)"}</td><td class="num">${item.amount === null ? "unknown" : formatUsd(item.amount)}</td>
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

/**
 * An incident's name, linked when its URL is http(s); any other scheme (javascript:, data:)
 * is shown as text. rel="noopener noreferrer" keeps the opened page from reaching back.
 */
export function incidentName(name: string | null, url: string | null): SafeHtml {
  const label = name ?? url ?? "";
  if (url === null || !/^https?:\/\//i.test(url.trim())) return html`${label}`;
  return html`<a href="${url.trim()}" rel="noopener noreferrer">${label}</a>`;
}

function warningsSection(results: ResultsJson): SafeHtml {
  const shown = new Set<string>();
  for (const item of [...results.results, ...results.differenceInDifferences]) for (const test of item.tests) shown.add(`${item.metric}|${test.method}`);
  const calibration = calibrationWarnings(
    [...shown].map((key) => {
      const [metric = "", method = ""] = key.split("|");
      return { metric, method };
    }),
    results.windows,
  );
  const all = [...results.warnings.map((warning) => ({ code: warning.code, message: warning.message })), ...calibration];
  if (all.length === 0) return html`<section id="warnings"><h2>Warnings</h2><p>None: every row was used and coverage was declared.</p></section>`;
  return html`<section id="warnings"><h2>Warnings (${all.length})</h2>
  <ul>${all.map((warning) => html`<li><code>${warning.code}</code> ${warning.message}</li>`)}</ul></section>`;
}

/**
 * What became of exact duplicate rows, completing "Exact duplicate rows are ...". With
 * `unchecked` the engine never looked, so the report must not suggest there were none.
 */
const DUPLICATES_RULE: Record<ResultsJson["dataRules"]["duplicates"], string> = {
  drop: "left out (the first is kept)",
  keep: "kept",
  unchecked: "not looked for (data.duplicates: unchecked): every row counts as an incident, identical rows included",
};

function methods(results: ResultsJson): SafeHtml {
  const gap = results.windows.gap;
  return html`<section id="methods"><h2>Methods</h2>
  <p>Each incident is placed on a calendar day and assigned to the first group whose rule it matches:</p>
  <ul>${results.groups.map((group) => html`<li><strong>${group.name}</strong>: ${group.rule}</li>`)}
  ${results.total === null ? "" : html`<li><strong>${results.total}</strong>: every incident used (the automatic total)</li>`}</ul>
  <p>Rows: ${results.dataRules.filters.length === 0 ? "no filter was applied" : results.dataRules.filters.join("; ")}. An empty amount${results.dataRules.zeroAmountIsUnknown ? " (or 0, which this source writes for unpublished losses)" : ""}
  ${results.dataRules.missingAmount === "unknown" ? "is unknown, not zero: the incident counts in the attack rate but adds nothing to losses, which are therefore a lower bound" : "leaves the row out"}.
  Exact duplicate rows are ${DUPLICATES_RULE[results.dataRules.duplicates]}. Timestamps become calendar days in ${results.dataRules.timezone}.</p>
  <p>For each group, <em>daily loss</em> is the sum of the known amounts on a day and <em>incidents per day</em> counts incidents; days with no incident count as 0.
  Only days inside the data's coverage (${results.coverage.start} to ${results.coverage.end}${results.coverage.startInferred || results.coverage.endInferred ? ", partly inferred from the data" : ", as declared in the spec"}) are used,
  because a day the data does not cover is not a day without losses.
  The pre window is ${results.windows.pre.start} to ${results.windows.pre.end}; the post window is ${results.windows.post.start} to ${results.windows.post.end}
  ${gap.before + gap.after > 0 ? html`(leaving out ${gap.before} day(s) before and ${gap.after} day(s) from the event on)` : ""}.</p>
  <p>The tests compare the post-window daily values with the pre-window daily values${testsByMetric(results).map(
    ({ metric, tests }) => html`; for ${METRIC_LABEL[metric]}: ${tests.map((test, index) => html`${index === 0 ? "" : ", "}<strong>${TEST_LABEL[test.method]}</strong> (${test.variant})`)}`,
  )};
  significance level ${results.alpha}.</p>
  <p>Random numbers (permutations, bootstrap) come from a generator seeded with ${results.settings.seed}, one stream per group, metric and method, so a rerun
  gives the same numbers to the last digit. Permutation tests use up to ${results.settings.permutations} random splits of the days between the windows; the
  intervals come from ${results.settings.bootstrapResamples} bootstrap resamples that keep runs of consecutive days together. Every p-value in the study is
  ${results.multipleTesting.method === "none" ? "reported without adjustment" : html`also adjusted with the ${results.multipleTesting.method === "holm" ? "Holm" : "Benjamini–Hochberg"} method across the ${results.multipleTesting.family} p-values`}.
  ${robustnessSentence(results.settings.robustness, results.results[0]?.sensitivity ?? [])}</p>
</section>`;
}

/**
 * Whether the loss p-values of the influence table come from random splits: a permutation
 * primary test that sampled them (one that went through every split has no such noise, and
 * the other tests are deterministic).
 */
function sampledPermutations(results: ResultsJson): boolean {
  const primary = results.primary.daily_loss;
  if (primary !== "permutation" && primary !== "block_permutation") return false;
  const test = results.results.find((item) => item.metric === "daily_loss")?.tests.find((candidate) => candidate.method === primary);
  return test !== undefined && !test.variant.includes("(exact)");
}

/**
 * Each metric's tests as its first comparison ran them: the count tests apply to incidents
 * only, and a test's variant can differ by metric (segmented regression: OLS with HAC
 * errors for losses, a Poisson GLM for counts).
 */
function testsByMetric(results: ResultsJson): Array<{ metric: keyof typeof METRIC_LABEL; tests: TestJson[] }> {
  const metrics = [...new Set(results.results.map((item) => item.metric))];
  return metrics.map((metric) => ({ metric, tests: results.results.find((item) => item.metric === metric)?.tests ?? [] }));
}

/**
 * What the robustness checks were, as the spec set them (a check turned off is said to be
 * off), with the window lengths as they ran: a length coverage cut says to what, and lengths
 * cut to the same windows are named once.
 */
function robustnessSentence(robustness: ResultsJson["settings"]["robustness"], sensitivity: ResultsJson["results"][number]["sensitivity"]): string {
  const windowsSeen = new Set<string>();
  const lengths = sensitivity.flatMap((point) => {
    const windows = `${point.pre.start}|${point.post.end}`;
    if (windowsSeen.has(windows)) return [];
    windowsSeen.add(windows);
    return [point.clipped ? `${point.days} (cut by coverage to ${point.pre.days} before and ${point.post.days} after)` : `${point.days}`];
  });
  const checks = [
    robustness.placebo ? "at every fake event date that fits in coverage (placebo)" : null,
    lengths.length > 0 ? `with windows of ${lengths.join(", ")} days each side` : null,
    robustness.influenceTopK > 0 ? `without each of the ${robustness.influenceTopK} largest incidents` : null,
  ].filter((check): check is string => check !== null);
  const off = [
    robustness.placebo ? null : "the placebo check (robustness.placebo: false)",
    robustness.sensitivityDays.length > 0 ? null : "the window lengths (robustness.sensitivity_days: [])",
    robustness.influenceTopK > 0 ? null : "the influence check (robustness.influence_top_k: 0)",
  ].filter((check): check is string => check !== null);
  const recomputed = checks.length === 0 ? "Robustness: the change is not recomputed under other choices." : `Robustness: the change is recomputed ${joinAnd(checks)}.`;
  return off.length === 0 ? recomputed : `${recomputed} Turned off by the spec: ${joinAnd(off)}.`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function provenance(results: ResultsJson, runSeconds: number | null): SafeHtml {
  const p = results.provenance;
  return html`<section id="provenance"><h2>Provenance</h2>
  <dl>
    <dt>Spec</dt><dd>${p.specFile} <code>sha256 ${p.specSha256}</code></dd>
    <dt>Data</dt><dd>${p.dataFile} <code>sha256 ${p.dataSha256}</code></dd>
    <dt>Rows</dt><dd>${p.rowsRead} read, ${p.rowsExcluded} left out as unusable, ${p.rowsFilteredOut} filtered out by the spec, ${p.rowsUsed} used (${p.rowsInNoGroup} in no named group)</dd>
    <dt>Coverage</dt><dd>${results.coverage.start} to ${results.coverage.end}</dd>
    <dt>Engine</dt><dd>eventstudy ${p.engineVersion}, run at ${p.runAt}${runSeconds === null ? "" : ` in ${runSeconds.toFixed(1)} s`}, seed ${results.settings.seed}</dd>
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
table.results th[scope="row"], td.nowrap { white-space: nowrap; }
/* A table with one column per event and variant can be wider than the page: it scrolls in its own box. */
.wide-table { overflow-x: auto; }
.ci { color: var(--muted); font-size: 0.8rem; }
tr.flag td { background: #fff4e5; }
ul.verdicts { list-style: none; padding: 0; }
ul.verdicts li { margin: 0 0 10px; padding: 8px 12px; border-left: 4px solid var(--line); background: #fafafa; }
ul.verdicts li.level-strong { border-color: #2ca02c; }
ul.verdicts li.level-some { border-color: #ff7f0e; }
ul.verdicts li.level-none { border-color: #999; }
.badge { display: inline-block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; padding: 1px 6px; border-radius: 3px; background: #eee; }
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
