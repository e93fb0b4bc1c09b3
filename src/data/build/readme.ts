/**
 * Writes data/README.md from the profiles of the files just built, so its counts, coverage
 * dates and column lists can never drift from the data next to it. The prose (sources,
 * credit, caveats) is fixed here; every number in it comes from the build. A column or an
 * attribution_status without a description stops the build rather than going undocumented.
 */
import { DataError } from "../../errors.js";
import { NO_ATTRIBUTION } from "./attribution-join.js";
import { buildMessages } from "./build-messages.js";
import type { FileProfile } from "./file-profile.js";
import {
  ATTRIBUTIONS_FILE,
  INCIDENT_ADDED_COLUMNS,
  LEADING_ADDED_COLUMNS,
  TRAILING_ADDED_COLUMNS,
  type IncidentSource,
} from "./raw-inputs.js";

export const COLUMN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  incident_id: "**Added.** `<source>-<source_row>`, e.g. `defillama-17`. Unique across all three files; stable as long as rows are only appended to the raw file.",
  source_row: "**Added.** 1-based data row of the record in `raw/incidents_<source>.csv` (header excluded; a record, not a line: SlowMist descriptions contain line breaks).",
  date: "Incident date, `YYYY-MM-DD`, as the source gives it.",
  name: "Incident or project name, as the source spells it (the sources spell the same incident differently).",
  amount_usd: "Loss in US dollars, as given. DeFiLlama leaves it empty when unknown; SlowMist writes `0` when unknown (see caveats).",
  chain: "Chain(s), `;`-separated. Always empty in SlowMist.",
  technique: "Attack technique in the source's own vocabulary (the three vocabularies differ).",
  category: "DeFiLlama's classification (Protocol Logic, Infrastructure, Ecosystem, Rugpull, ...). Empty in SlowMist and BlockSec.",
  target_type: "DeFiLlama's target type (DeFi Protocol, CEX, Wallet, ...). Empty in SlowMist and BlockSec.",
  bridge_hack: "DeFiLlama's `True`/`False`. Empty in SlowMist and BlockSec.",
  returned_funds_usd: "Funds returned, in US dollars, when the source says so.",
  source_dataset: "Provenance: the dataset the row came from (`defillama_hacks_api`, `slowmist_hacked`, `blocksec_incidents`).",
  dprk_flag: "Provenance, from the raw file: the attribution_status of the matched attribution row, with `tay_listed` standing for both `listed_by_tay` and `listed_by_tay_cluster_unclear`; empty when there is no match.",
  dprk_match: "Provenance, from the raw file: `date name` of the matched row of `raw/dprk_attributions.csv`; empty when there is no match.",
  defillama_id: "DeFiLlama's protocol id, where given (a protocol hacked twice has the same id on both rows).",
  language: "DeFiLlama's smart-contract language.",
  description: "SlowMist's description of the incident.",
  reference: "Provenance: URL of a report of the incident, where given.",
  source_ref: "Provenance: where the row was taken from (API or scrape, and the commit of the dump).",
  attribution_status: "**Added.** `attribution_status` of the matched row of `raw/dprk_attributions.csv`, or `none` when the row has no dprk_match.",
  dprk_cluster: "**Added.** `dprk_cluster` of the matched attribution row (e.g. TraderTraitor); empty when there is no match or the cluster is unclear.",
  attribution_source: "**Added.** `primary_attribution_source` of the matched attribution row: who attributed it; empty when there is no match.",
};

export const STATUS_DESCRIPTIONS: Readonly<Record<string, string>> = {
  listed_by_tay: "On Taylor Monahan's per-incident list of DPRK-linked thefts, with a cluster.",
  listed_by_tay_cluster_unclear: "On Taylor Monahan's list, cluster unclear.",
  msmt_only_tay_partial: "On the MSMT report's list only; the researcher agrees in part.",
  msmt_only_tay_unsure: "On the MSMT report's list only; the researcher is unsure.",
  msmt_only_tay_rejects: "On the MSMT report's list only; the researcher rejects it (among them BtcTurk, June 2024, $54M).",
  suspected_media_only: "Suspected in the press only.",
  suspected_slowmist_description_only: "Suspected only in SlowMist's description of the incident.",
  [NO_ATTRIBUTION]: "No dprk_match: not on the attribution list (not the same as \"shown not to be DPRK\").",
};

const SOURCE_TITLES: Readonly<Record<IncidentSource, string>> = {
  defillama: "DeFiLlama",
  slowmist: "SlowMist",
  blocksec: "BlockSec",
};

const table = (header: readonly string[], rows: ReadonlyArray<readonly string[]>): string =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");

const cell = (text: string): string => text.replaceAll("|", "\\|");
const count = (n: number): string => n.toLocaleString("en-US");

export function renderReadme(profiles: readonly FileProfile[], attributionRows: number): string {
  const sourceNames = profiles.map((p) => SOURCE_TITLES[p.source]);

  // Columns: the leading added ones, the original ones in the order they first appear
  // across the files, then the trailing added ones.
  const originals: string[] = [];
  for (const profile of profiles) {
    for (const column of profile.columns) {
      if (!INCIDENT_ADDED_COLUMNS.includes(column) && !originals.includes(column)) originals.push(column);
    }
  }
  const columnOrder = [...LEADING_ADDED_COLUMNS, ...originals, ...TRAILING_ADDED_COLUMNS];
  const columnRows = columnOrder.map((column) => {
    const description = COLUMN_DESCRIPTIONS[column];
    if (description === undefined) {
      const file = profiles.find((p) => p.columns.includes(column))?.fileName ?? "";
      throw new DataError(buildMessages.undocumentedColumn(file, column));
    }
    const present = profiles.filter((p) => p.columns.includes(column));
    const where = present.length === profiles.length ? "all" : present.map((p) => SOURCE_TITLES[p.source]).join(", ");
    return [`\`${column}\``, where, cell(description)];
  });

  // attribution_status counts: every status seen in any file, by name, `none` last.
  const statuses: string[] = [];
  for (const profile of profiles) {
    for (const { status } of profile.statusCounts) if (!statuses.includes(status)) statuses.push(status);
  }
  statuses.sort((a, b) => Number(a === NO_ATTRIBUTION) - Number(b === NO_ATTRIBUTION) || (a < b ? -1 : a > b ? 1 : 0));
  const statusRows = statuses.map((status) => {
    const description = STATUS_DESCRIPTIONS[status];
    if (description === undefined) throw new DataError(buildMessages.undocumentedStatus(status));
    return [`\`${status}\``, cell(description), ...profiles.map((p) => count(p.statusCounts.find((c) => c.status === status)?.rows ?? 0))];
  });
  statusRows.push(["**with attribution**", "every status but `none`", ...profiles.map((p) => `**${count(p.attributed)}**`)]);
  statusRows.push(["**all rows**", "", ...profiles.map((p) => `**${count(p.rows)}**`)]);

  const fileRows = profiles.map((p) => [
    `\`${p.fileName}\``,
    SOURCE_TITLES[p.source],
    count(p.rows),
    p.firstDate,
    p.lastDate,
    count(p.attributed),
  ]);

  const years: string[] = [];
  for (const profile of profiles) for (const { year } of profile.rowsPerYear) if (!years.includes(year)) years.push(year);
  years.sort();
  const yearRows = years.map((year) => [year, ...profiles.map((p) => count(p.rowsPerYear.find((y) => y.year === year)?.rows ?? 0))]);

  const byName = new Map(profiles.map((p) => [p.source, p] as const));
  const slowmist = byName.get("slowmist");
  const defillama = byName.get("defillama");

  const sharedLines = profiles.flatMap((p) =>
    p.sharedAttributions.map((s) => `  - ${SOURCE_TITLES[p.source]}: \`${s.dprkMatch}\` is matched by ${s.incidents.map((i) => cell(i)).join(" and ")}.`),
  );
  const gapLines = profiles.map((p) => {
    const gap = p.largestGap;
    const largest =
      gap === undefined
        ? ""
        : `; the largest gap is ${cell(gap.name)} on ${gap.date}, whose attribution (\`${cell(gap.dprkMatch)}\`) is dated ${Math.abs(gap.days)} day(s) ${gap.days > 0 ? "later" : "earlier"}`;
    return `  - ${SOURCE_TITLES[p.source]}: ${count(p.datesDiffering)} of ${count(p.attributed)} attributed rows have a date different from the attribution date${largest}.`;
  });

  return `<!-- Written by \`npm run data:build\` (scripts/build-data.ts, src/data/build/). Do not edit by hand: edit src/data/build/readme.ts and rebuild. -->
# Incident data

The built files in this folder are what the sample studies read. They are rebuilt from the
untouched raw files in \`raw/\` by \`npm run data:build\`; nothing here is edited by hand.

${table(["file", "source", "rows", "first date", "last date", "rows with attribution"], fileRows)}

Each built file keeps every column of its raw file verbatim (values are read and written as
text, never re-typed) and adds \`incident_id\`, \`source_row\`, \`attribution_status\`,
\`dprk_cluster\` and \`attribution_source\`. Rows are sorted by \`date\`, then \`source_row\`.

## Sources and credit

\`raw/\` holds copies of public data gathered for this project; \`raw/SOURCES.md\` is the
original description of them (its \`raw/\` sub-folder of upstream dumps is not copied here).
In short:

- **DeFiLlama** hacks list (\`api.llama.fi/hacks\`): \`raw/incidents_defillama.csv\`. The
  cleanest source and the recommended primary sample. Credit: DeFiLlama.
- **SlowMist Hacked** archive (\`hacked.slowmist.io\`): \`raw/incidents_slowmist.csv\`. Broader
  (scams, phishing, account takeovers), no chain, a description and reference URL per
  row. Credit: SlowMist.
- **BlockSec** security-incident library: \`raw/incidents_blocksec.csv\`, DeFi only, from
  2023. Credit: BlockSec.
- The three incident lists were dumped in \`nbundi/pricing-the-defi-tail\` (commit \`8b05edf\`)
  and normalised to shared columns; each row's \`source_dataset\` and \`source_ref\` say where
  it came from.
- **DPRK attributions** (\`raw/${ATTRIBUTIONS_FILE}\`, ${count(attributionRows)} rows, 2021 on): incidents
  publicly attributed to North Korea-linked groups (Lazarus, BlueNoroff, TraderTraitor,
  AppleJeus and others). Credit: Taylor Monahan's per-incident list
  (\`tayvano/lazarus-bluenoroff-research\`, README at commit \`baa0f9e6\`), the Multilateral
  Sanctions Monitoring Team (MSMT) report of 2025-10-22, FBI and joint government
  statements, blockchain analytics firms and press reports, as named per row in
  \`primary_attribution_source\`.

## How to rebuild

\`\`\`sh
npm run data:build        # tsx scripts/build-data.ts: data/raw/ -> data/
\`\`\`

The build loads the raw CSVs into DuckDB with every column as text, checks them, joins
the attributions, and writes the CSVs with DuckDB's \`COPY\` (header, comma-separated,
fields quoted only when they need it, missing values as empty fields) and this README. It
prints one line per file. Running it again writes byte-identical files;
\`test/data/build-data.test.ts\` checks that, checks the counts against an independent
reading of the raw files, and fails when the committed files are stale.

The build stops, listing every offending row, when: a raw file or a needed column is
missing; a date is not a valid \`YYYY-MM-DD\` day; an attribution row lacks a date, name or
status, or two share \`date name\`; a non-empty \`dprk_match\` does not find exactly one
attribution row; or \`dprk_flag\` contradicts the attribution it points to.

### The attribution join

An incident row's \`dprk_match\` is the \`date || ' ' || name\` of one row of
\`raw/${ATTRIBUTIONS_FILE}\` (checked: every non-empty \`dprk_match\` in all three files finds
exactly one row). \`attribution_status\`, \`dprk_cluster\` and \`attribution_source\` are copied
from that row. Rows without a \`dprk_match\` get \`attribution_status\` = \`none\`, so a study
can name that group explicitly as well as with \`otherwise\`.

## Columns of the built files

${table(["column", "in", "meaning"], columnRows)}

## \`attribution_status\` values and counts

Counts are incident rows per built file, not distinct attributions (see caveats). A study
should let its user choose which statuses count as "DPRK", and show how the answer moves
when that choice changes.

${table(["attribution_status", "meaning", ...sourceNames], statusRows)}

## Caveats

- **SlowMist writes \`amount_usd\` = 0 when the loss is unknown**: ${count(slowmist?.zeroAmounts ?? 0)} of its ${count(slowmist?.rows ?? 0)} rows.
  Treat 0 as missing there, not as a theft of nothing.
- **DeFiLlama has ${count(defillama?.emptyAmounts ?? 0)} empty amounts** (unknown loss) and ${count(defillama?.zeroAmounts ?? 0)} amount of 0.
- **The attribution date may be the announcement date**, not the theft date: the Ronin theft
  was on 2022-03-23, its attribution on 2022-04-14. \`dprk_match\` carries the attribution
  date; the incident's own \`date\` is the source's.
${gapLines.join("\n")}
- **\`dprk_flag\` / \`dprk_match\` are a join made upstream by name and date within 45 days,
  reviewed by hand.** Treat them as a starting point, not ground truth. One attribution
  row can be matched by several incident rows of the same file (two exploits, or one
  attribution covering two companies), so summing losses per attribution needs care:
${sharedLines.length > 0 ? sharedLines.join("\n") : "  - (none in these files)"}
- **SlowMist's 2025 is thin** compared with its 2023 and 2024 (rows per year below), so a
  drop in SlowMist counts in 2025 is partly a drop in coverage.
- **Coverage ends differ per source** (first and last dates in the table at the top):
  compare sources only over the period they all cover, and BlockSec starts in 2023.
- **The files overlap**: the same incident can be in all three under different names,
  dates and amounts. Do not stack the files without de-duplicating.
- **\`incident_id\` is positional**: it stays the same while rows are only appended to a raw
  file; inserting or deleting a row in the middle renumbers the rows after it.

### Rows per year

${table(["year", ...sourceNames], yearRows)}
`;
}
