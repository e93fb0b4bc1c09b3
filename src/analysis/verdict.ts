/**
 * The plain-language conclusion for one group (or the difference-in-differences) and one
 * metric, built only from numbers computed elsewhere and printed beside it, so it can
 * never say more than they do.
 *
 * The evidence level:
 * - "strong": the primary test is significant after adjustment for every test in the
 *   study, the placebo-in-time p-value is below alpha too, the direction holds across
 *   all window lengths, no single incident's removal changes the verdict (significance
 *   judged after adjustment, as the verdict's own), and the interval for the change
 *   excludes zero;
 * - "some": significant after adjustment, but at least one of those checks fails or could
 *   not be made (too few placebo dates, no window length to vary, the check turned off),
 *   or incidents of unknown amount sit where they push the change its way: each is named
 *   as a caveat. A check that could not be run never counts as passed;
 * - "none": not significant after adjustment (the raw p-value is mentioned when it alone
 *   is below alpha);
 * - "undetermined": the primary test could not be computed.
 */
import type { MetricName } from "../spec/input-spec.js";
import { formatPercent, formatUsd, percentDigits } from "../text/format.js";

export interface VerdictInfluence {
  name: string;
  date: string;
  /** The incident's loss in USD (the caveat names it in dollars whatever the metric). */
  amount: number;
  /** The change in means without this incident. */
  difference: number;
  relativeChange: number | null;
  /** The primary test's raw p-value without this incident. */
  pValue: number | null;
  /** That p-value adjusted as the study's own (influence.ts, markVerdictChanges). */
  adjustedPValue: number | null;
  /** Leaving it out reverses the change or brings it to zero. */
  flipsDirection: boolean;
}

export interface VerdictInput {
  /** "DPRK", or "DPRK relative to Other" for a difference-in-differences. */
  subject: string;
  metric: MetricName;
  /** True for a difference-in-differences (the change is a difference of changes). */
  isDifferenceInDifferences: boolean;
  preMean: number;
  postMean: number;
  difference: number;
  relativeChange: number | null;
  /** `note`: why the p-value is missing, when it is (the test's own note). */
  primary: { label: string; pValue: number | null; adjustedPValue: number | null; note?: string | null };
  adjustment: { method: "holm" | "bh" | "none"; family: number };
  interval: { low: number; high: number; confidence: number; label: string } | null;
  alpha: number;
  placebo: { pValue: number | null; eligible: number; atLeastAsExtreme: number } | null;
  sensitivity: Array<{ days: number; difference: number; pValue: number | null }>;
  influence: VerdictInfluence[];
  /**
   * For losses: incidents whose amount is unknown (counted as $0) placed so that they pull
   * the change down (`lowering`: e.g. in the post window) or up (`raising`); null for counts.
   */
  unknownAmounts: { lowering: number; raising: number } | null;
}

export type EvidenceLevel = "strong" | "some" | "none" | "undetermined";

export interface Verdict {
  level: EvidenceLevel;
  /** The sentences, in order: what changed, how sure, then the caveats. */
  text: string;
  caveats: string[];
  restsOn: string;
}

const METRIC_NOUN: Record<MetricName, string> = { daily_loss: "mean daily loss", daily_incidents: "mean number of incidents per day" };

export function buildVerdict(input: VerdictInput, format: (value: number) => string): Verdict {
  const change = describeChange(input, format);
  const { pValue, adjustedPValue } = input.primary;
  if (pValue === null || adjustedPValue === null) {
    return {
      level: "undetermined",
      text: `${change} The ${input.primary.label} could not be computed${whyNotComputed(input.primary.note)}, so the engine draws no conclusion.`,
      caveats: [],
      restsOn: input.primary.label,
    };
  }
  const significant = adjustedPValue < input.alpha;
  const pText = pDescription(input);
  const intervalText =
    input.interval === null
      ? ""
      : ` The ${Math.round(input.interval.confidence * 100)}% ${input.interval.label} for the change is ${format(input.interval.low)} to ${format(input.interval.high)} per day.`;
  const caveats = collectCaveats(input, significant, format);
  let level: EvidenceLevel;
  let claim: string;
  if (significant) {
    level = caveats.length === 0 ? "strong" : "some";
    claim = `The change is statistically significant at the ${input.alpha} level (${pText}).`;
  } else {
    level = "none";
    claim =
      pValue < input.alpha
        ? `The change is significant before adjusting for the ${input.adjustment.family} p-values in this study but not after (${pText}), so it is not established.`
        : `The change is not statistically distinguishable from no change (${pText}).`;
  }
  const strength = { strong: "Evidence of a change: strong.", some: "Evidence of a change: some, with caveats.", none: "Evidence of a change: none.", undetermined: "" }[level];
  return { level, text: [change, claim + intervalText, strength, ...caveats].join(" ").trim(), caveats, restsOn: input.primary.label };
}

/** " (the reason)" from a test's "not computed: <reason>" note; other notes do not read as a reason. */
function whyNotComputed(note: string | null | undefined): string {
  return note?.startsWith("not computed: ") === true ? ` (${note.slice("not computed: ".length)})` : "";
}

function describeChange(input: VerdictInput, format: (value: number) => string): string {
  const noun = METRIC_NOUN[input.metric];
  if (input.isDifferenceInDifferences) {
    const direction = input.difference > 0 ? "more" : "less";
    return input.difference === 0
      ? `${input.subject}: the change in ${noun} was the same in both (difference in differences 0).`
      : `${input.subject}: ${noun} changed by ${format(Math.abs(input.difference))} per day ${direction} than in the control group(s) (difference in differences ${format(input.difference)}).`;
  }
  if (input.difference === 0) return `${input.subject}: ${noun} did not change (${format(input.preMean)} per day in both windows).`;
  const verb = input.difference > 0 ? "rose" : "fell";
  const relative = input.relativeChange === null ? "from zero" : `by ${percentDigits(Math.abs(input.relativeChange))}%`;
  return `${input.subject}: ${noun} ${verb} ${relative}, from ${format(input.preMean)} to ${format(input.postMean)} per day.`;
}

function pDescription(input: VerdictInput): string {
  const { label, pValue, adjustedPValue } = input.primary;
  const raw = `${label} ${pIs(pValue)}`;
  if (input.adjustment.method === "none") return raw;
  return `${raw}; ${adjustmentName(input)}-adjusted over ${input.adjustment.family} p-values ${pIs(adjustedPValue)}`;
}

function adjustmentName(input: VerdictInput): string {
  return input.adjustment.method === "holm" ? "Holm" : "Benjamini–Hochberg";
}

function collectCaveats(input: VerdictInput, significant: boolean, format: (value: number) => string): string[] {
  const caveats: string[] = [];
  // One sentence per kind of flip, naming each incident that alone flips it: the same
  // lead-in repeated per incident read as several findings.
  const flips = new Map<string, string[]>();
  for (const incident of input.influence) {
    // Significance as the verdict judges it: after adjustment (both p-values adjusted alike).
    const flipsSignificance = (incident.adjustedPValue !== null && incident.adjustedPValue < input.alpha) !== significant;
    if (!flipsSignificance && !incident.flipsDirection) continue;
    const without =
      incident.relativeChange === null || input.isDifferenceInDifferences
        ? `the change would be ${format(incident.difference)} per day`
        : `the change would be ${formatPercent(incident.relativeChange)}`;
    const adjusted = input.adjustment.method === "none" ? "" : `, ${formatP(incident.adjustedPValue)} ${adjustmentName(input)}-adjusted`;
    const what = incident.flipsDirection ? "The direction of the change" : "Whether the change is significant";
    flips.set(what, [...(flips.get(what) ?? []), `without ${incident.name} (${formatUsd(incident.amount)}, ${incident.date}) ${without} (${input.primary.label} ${pIs(incident.pValue)}${adjusted})`]);
  }
  for (const [what, withouts] of flips) {
    // Every incident counts one: the named ones are the largest by loss, but any incident of the same window moves the mean as much.
    const counts = input.metric === "daily_incidents" ? " (for incidents per day these are examples: leaving out any one incident of the same window moves the mean as much)" : "";
    caveats.push(`${what} hangs on ${withouts.length === 1 ? "one incident" : `any one of ${withouts.length} incidents`}: ${withouts.join("; ")}${counts}.`);
  }
  const missing = unknownAmountCaveat(input);
  if (missing !== null) caveats.push(missing);
  if (significant) caveats.push(...uncheckedCaveats(input, format));
  const directions = new Set(input.sensitivity.map((item) => Math.sign(item.difference)).filter((sign) => sign !== 0));
  if (directions.size > 1) {
    const described = input.sensitivity.map((item) => `${item.days} days: ${format(item.difference)}`).join(", ");
    caveats.push(`The direction of the change depends on the window length (${described}).`);
  }
  return caveats;
}

/**
 * For a significant change, what keeps it from "strong" besides a flip: the placebo dates
 * disagree or could not say, no window length could be varied, or the interval includes
 * no change. A check that could not be made is named, never counted as passed.
 */
function uncheckedCaveats(input: VerdictInput, format: (value: number) => string): string[] {
  const caveats: string[] = [];
  const placebo = input.placebo;
  // With N placebo dates the smallest possible placebo p is 1/(N+1): below alpha only from N >= 1/alpha - 1.
  const smallestPlaceboP = placebo === null ? null : 1 / (placebo.eligible + 1);
  if (placebo === null) {
    caveats.push("The placebo-date check was not run (robustness.placebo is off), so nothing shows how often changes this size happen in this series without an event.");
  } else if (placebo.pValue === null || (smallestPlaceboP !== null && smallestPlaceboP >= input.alpha)) {
    caveats.push(
      `Only ${placebo.eligible} placebo date(s) fit in the data's coverage: too few to tell whether changes this size are common in this series (the smallest placebo p-value possible is 1/${placebo.eligible + 1}, not below ${input.alpha}). A longer coverage, or shorter windows, leaves room for more.`,
    );
  } else if (placebo.pValue >= input.alpha) {
    caveats.push(
      `A change at least this large happened at ${placebo.atLeastAsExtreme} of ${placebo.eligible} fake event dates without this event (placebo ${pIs(placebo.pValue)}), so changes of this size are common in this series.`,
    );
  }
  // One length alone checks nothing (lengths cut to the same windows are listed once: window-sensitivity.ts).
  if (input.sensitivity.length < 2) caveats.push("Fewer than two window lengths fit in the data's coverage, so whether the direction holds at other window lengths is unchecked (robustness.sensitivity_days lists the lengths tried).");
  const interval = input.interval;
  if (interval !== null && interval.low <= 0 && interval.high >= 0) {
    caveats.push(`The ${Math.round(interval.confidence * 100)}% ${interval.label} (${format(interval.low)} to ${format(interval.high)} per day) includes no change, so the size of the change, even its sign, is uncertain.`);
  }
  return caveats;
}

/**
 * Losses of unknown amount count as $0, so losses are a lower bound; when such incidents
 * sit where they push the change the way it went (a fall with unknown amounts after the
 * event, a rise with them before), the change may be an artefact of missing amounts: a feed
 * that has not yet published recent amounts "shows" a collapse.
 */
function unknownAmountCaveat(input: VerdictInput): string | null {
  const unknown = input.unknownAmounts;
  if (unknown === null || input.difference === 0) return null;
  const count = input.difference < 0 ? unknown.lowering : unknown.raising;
  if (count === 0) return null;
  const where = input.isDifferenceInDifferences
    ? input.difference < 0
      ? "in the treated group after the event or the control group(s) before it"
      : "in the treated group before the event or the control group(s) after it"
    : input.difference < 0
      ? "after the event"
      : "before the event";
  return `${count} incident(s) ${where} have an unknown amount and count as $0, so the ${input.difference < 0 ? "fall" : "rise"} may come from missing amounts rather than from ${input.difference < 0 ? "smaller" : "larger"} losses.`;
}

/** "p = 0.012", or "p < 0.0001" (never "p = < 0.0001"). */
function pIs(value: number | null): string {
  return value !== null && value < 0.0001 ? "p < 0.0001" : `p = ${formatP(value)}`;
}

function formatP(value: number | null): string {
  if (value === null) return "n/a";
  return value < 0.0001 ? "< 0.0001" : value.toPrecision(2);
}
