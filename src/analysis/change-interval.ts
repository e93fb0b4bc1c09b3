/**
 * Confidence intervals for the change between the windows: the difference of means and
 * the ratio of means (as a relative change, ratio − 1), by the stationary block bootstrap
 * (src/stats/block-bootstrap.ts). The spec chooses BCa or percentile for the headline;
 * both are kept in results.json.
 */
import { EventStudyError } from "../errors.js";
import { blockBootstrapMeans, type BlockBootstrapResult } from "../stats/block-bootstrap.js";
import type { Rng } from "../stats/random.js";

export interface IntervalPair {
  /** The interval the report shows (the spec's choice, or percentile when BCa is undefined). */
  low: number | null;
  high: number | null;
  kind: "bca" | "percentile" | null;
  percentile: [number, number] | null;
  bca: [number, number] | null;
}

export interface ChangeInterval {
  method: string;
  confidence: number;
  resamples: number;
  blockLength: number;
  /** For post mean − pre mean (per day). */
  difference: IntervalPair;
  /** For post mean / pre mean − 1 (the relative change); null bounds at a zero pre mean. */
  relative: IntervalPair;
  note: string | null;
}

export interface IntervalSettings {
  resamples: number;
  confidence: number;
  blockLength: number;
  interval: "bca" | "percentile";
}

/**
 * `withRelative: false` skips the ratio of means, which has no meaning for a series that
 * can be negative (the treated-minus-control series of a difference-in-differences).
 */
export function changeInterval(post: Float64Array, pre: Float64Array, settings: IntervalSettings, rngFor: (statistic: string) => Rng, withRelative = true): ChangeInterval {
  const method = `stationary block bootstrap (mean block ${settings.blockLength} days), ${settings.resamples} resamples, ${settings.interval === "bca" ? "BCa" : "percentile"} interval`;
  const base = { method, confidence: settings.confidence, resamples: settings.resamples, blockLength: settings.blockLength };
  try {
    const options = { resamples: settings.resamples, blockLength: settings.blockLength, confidence: settings.confidence };
    const difference = blockBootstrapMeans(post, pre, { ...options, statistic: "difference", rng: rngFor("difference") });
    const ratio = withRelative ? blockBootstrapMeans(post, pre, { ...options, statistic: "ratio", rng: rngFor("ratio") }) : null;
    const notes = [difference.note, ratio?.note == null ? null : `relative change: ${ratio.note}`].filter((note) => note !== null);
    return {
      ...base,
      difference: pick(difference, settings.interval, 0),
      relative: ratio === null ? EMPTY : pick(ratio, settings.interval, -1),
      note: notes.length === 0 ? null : notes.join("; "),
    };
  } catch (error) {
    if (!(error instanceof EventStudyError)) throw error;
    return { ...base, difference: EMPTY, relative: EMPTY, note: `not computed: ${error.message}` };
  }
}

const EMPTY: IntervalPair = { low: null, high: null, kind: null, percentile: null, bca: null };

/** Shifts (ratio − 1) and chooses the headline interval, falling back to percentile. */
function pick(result: BlockBootstrapResult, preferred: "bca" | "percentile", shift: number): IntervalPair {
  const finite = (pair: [number, number] | null): [number, number] | null =>
    pair === null || !Number.isFinite(pair[0]) || !Number.isFinite(pair[1]) ? null : [pair[0] + shift, pair[1] + shift];
  const percentile = finite(result.percentile);
  const bca = finite(result.bca);
  const chosen = preferred === "bca" && bca !== null ? { pair: bca, kind: "bca" as const } : percentile === null ? null : { pair: percentile, kind: "percentile" as const };
  return { low: chosen?.pair[0] ?? null, high: chosen?.pair[1] ?? null, kind: chosen?.kind ?? null, percentile, bca };
}
