/**
 * Two-sided permutation tests that the post and pre windows have the same mean daily
 * value, by the difference of means (post − pre) or the ratio of means (post / pre); and a
 * block version that keeps runs of consecutive days together.
 *
 * What it does: under the null hypothesis the window labels are exchangeable, so every
 * way of splitting the pooled days into a post group of n1 and a pre group of n2 is as
 * likely as the observed one. The p-value is the share of splits whose statistic is at
 * least as far from the null value as the observed one:
 *   difference: T = mean(post) − mean(pre), null value 0, extreme when |T*| ≥ |T|;
 *   ratio:      T = log(mean(post) / mean(pre)), null value 0, extreme when |T*| ≥ |T|.
 * When the number of distinct splits C(n1 + n2, n1) is at most `resamples`, every split is
 * enumerated and p = (splits at least as extreme) / (all splits), exact: true. Otherwise
 * `resamples` random splits are drawn and p = (b + 1) / (R + 1), b the random splits at
 * least as extreme, which counts the observed split and is never 0 (Phipson and Smyth 2010).
 *
 * Two-sided definition: |T*| ≥ |T|, as the engine's placebo test does. scipy 1.10's
 * permutation_test(alternative="two-sided") instead doubles the smaller one-sided p-value
 * (2·min(p≤, p≥), clipped to 1). The two agree when the permutation distribution is
 * symmetric (equal window lengths, for the difference) and differ otherwise, where
 * 2·min(...) can reach values that no split attains; |T*| ≥ |T| is the p-value of the
 * statistic |T|, which scipy computes with alternative="greater" on |T| (the tests do so).
 *
 * Ties: "at least as extreme" allows a relative tolerance of 1e-12 (scipy uses 1e-14), so
 * splits that tie in exact arithmetic but differ in the last bits of floating point count.
 * It is relative to max(|T|, mean |pooled value|) for the difference, so a difference
 * that is 0 in exact arithmetic still ties with other zero splits, and to max(|T|, 1) for
 * the log ratio, which has no units.
 *
 * Ratio and zero means: the ratio needs non-negative values (losses, counts). On the
 * extended real line log(m / 0) = +∞ and log(0 / m) = −∞, so a window with no losses
 * gives |T| = ∞ and the p-value is the share of splits that leave one window all zero,
 * which is what "as extreme" means there; the note says so, and `observed` is then
 * Infinity (pre mean 0) or 0 (post mean 0). When every pooled day is 0 the ratio is 0/0
 * in every split: observed and pValue are null, with a note.
 *
 * Block version (blockPermutationTest): daily losses are autocorrelated (a large hack is
 * followed by copycats and follow-up drains), which makes the ordinary test anticonservative:
 * neighbouring days carry less independent information than the test assumes. Each window
 * is cut into blocks of L consecutive days aligned on the event (post blocks start at the
 * post window's first day, pre blocks end at the pre window's last day); the
 * n mod L leftover days at each window's far end stay in their window. The full blocks are
 * permuted between the windows, so each window keeps its length. L defaults to the block
 * bootstrap's rule, max(1, round(m^(1/3))) with m the shorter window's length
 * (defaultBlockLength in block-bootstrap.ts); L = 1 is the ordinary test.
 *   Why blocks rather than circular shifts of the pooled series: a circular shift has only
 *   n1 + n2 distinct rotations (smallest p-value 1/60 for two 30-day windows), neighbouring
 *   rotations are nearly the same split, and it amounts to the placebo-in-time test
 *   confined to the study span, which the engine already runs on the whole series. Block
 *   permutation keeps the familiar test, has many distinct splits (C(20, 10) = 184,756 for
 *   two 30-day windows at L = 3) and shares its block length with the bootstrap.
 *   Assumptions: under the null the pooled series is stationary and days more than about
 *   L apart are nearly independent, so the blocks are exchangeable. Dependence across
 *   block boundaries is ignored (the test stays somewhat anticonservative when the memory
 *   is longer than L), and the two blocks at the event are treated like any other.
 *
 * Small-sample contract: each window needs at least 1 day (one full block for the block
 * test); fewer throws InsufficientDataError. Very small windows are allowed but the
 * smallest attainable p-value is 1 / C(B1 + B2, B1) for B1 and B2 blocks.
 *
 * Cost: a Monte Carlo split touches only the nonzero blocks (zero days add nothing to a
 * window's sum): the number of them landing in the post window is drawn from its
 * hypergeometric distribution (a CDF table inverted with one uniform; the generator's
 * 32-bit resolution distorts those probabilities by at most 2^-32), then which ones by a
 * partial Fisher–Yates shuffle in a preallocated buffer; no allocation per split. An
 * enumerated split is one pass over the blocks.
 *
 * References: Good (2005), Permutation, Parametric and Bootstrap Tests of Hypotheses, 3rd
 * ed.; Phipson and Smyth (2010), "Permutation p-values should never be zero", SAGMB 9;
 * Lahiri (2003), Resampling Methods for Dependent Data (blocks of consecutive days).
 */
import { InsufficientDataError } from "../errors.js";
import { defaultBlockLength, searchCdf, type MeansStatistic } from "./block-bootstrap.js";
import { mean } from "./descriptive.js";
import type { Rng } from "./random.js";

export type { MeansStatistic } from "./block-bootstrap.js";

export interface PermutationOptions {
  /** Monte Carlo splits R; every split is enumerated instead when there are at most R of them. */
  resamples: number;
  rng: Rng;
  statistic: MeansStatistic;
}

export interface PermutationResult {
  /** post mean − pre mean, or post mean / pre mean (Infinity when only the pre mean is 0); null when 0/0. */
  observed: number | null;
  /** Two-sided p-value, share of splits with |T*| ≥ |T| (see the header); null when observed is null. */
  pValue: number | null;
  /** Splits evaluated: all of them when exact, else R. */
  resamples: number;
  /** True when every split was enumerated. */
  exact: boolean;
  /** What an infinite or undefined ratio means for this result, or null. */
  note: string | null;
}

export interface BlockPermutationOptions extends PermutationOptions {
  /** Block length L in days, a whole number ≥ 1; default defaultBlockLength(n1, n2). */
  blockLength?: number;
}

export interface BlockPermutationResult extends PermutationResult {
  blockLength: number;
  /** Full blocks permuted in each window (leftover days stay put). */
  blocks: { post: number; pre: number };
}

/** Permutation test of the difference or the ratio of the window means, independent days. */
export function permutationTestMeans(post: ArrayLike<number>, pre: ArrayLike<number>, options: PermutationOptions): PermutationResult {
  const { observed, pValue, resamples, exact, note } = runBlockPermutation("permutation test of means", post, pre, options, 1);
  return { observed, pValue, resamples, exact, note };
}

/** The same test permuting blocks of consecutive days between the windows (see the header). */
export function blockPermutationTest(post: ArrayLike<number>, pre: ArrayLike<number>, options: BlockPermutationOptions): BlockPermutationResult {
  const blockLength = options.blockLength ?? defaultBlockLength(post.length, pre.length);
  return runBlockPermutation("block permutation test of means", post, pre, options, blockLength);
}

const TOLERANCE = 1e-12;

function runBlockPermutation(
  method: string,
  post: ArrayLike<number>,
  pre: ArrayLike<number>,
  options: PermutationOptions,
  blockLength: number,
): BlockPermutationResult {
  const { resamples, rng, statistic } = options;
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(`${method}: resamples ${resamples} must be a positive whole number, e.g. 10000`);
  }
  if (!Number.isSafeInteger(blockLength) || blockLength < 1) {
    throw new RangeError(`${method}: blockLength ${blockLength} must be a whole number of days ≥ 1 (1 = independent days), e.g. 5`);
  }
  const n1 = post.length;
  const n2 = pre.length;
  const postBlocks = Math.floor(n1 / blockLength);
  const preBlocks = Math.floor(n2 / blockLength);
  if (postBlocks < 1 || preBlocks < 1) {
    throw new InsufficientDataError(method, blockLength === 1 ? "at least 1 day in each window" : `at least one block of ${blockLength} days in each window`);
  }
  if (statistic === "ratio") {
    checkNonNegative(method, post, "post");
    checkNonNegative(method, pre, "pre");
  }

  // Block sums: post blocks 0..postBlocks-1 from the post window's first day, then pre
  // blocks ending on the pre window's last day. Leftover days are fixed in their window.
  const totalBlocks = postBlocks + preBlocks;
  const blockSums = new Float64Array(totalBlocks);
  let fixedPost = 0;
  let fixedPre = 0;
  let absoluteSum = 0;
  for (let day = 0; day < n1; day += 1) {
    const value = post[day] as number;
    absoluteSum += Math.abs(value);
    const block = Math.floor(day / blockLength);
    if (block < postBlocks) blockSums[block] = (blockSums[block] as number) + value;
    else fixedPost += value;
  }
  const preLeftover = n2 - preBlocks * blockLength;
  for (let day = 0; day < n2; day += 1) {
    const value = pre[day] as number;
    absoluteSum += Math.abs(value);
    if (day < preLeftover) fixedPre += value;
    else {
      const block = postBlocks + Math.floor((day - preLeftover) / blockLength);
      blockSums[block] = (blockSums[block] as number) + value;
    }
  }

  const base = { blockLength, blocks: { post: postBlocks, pre: preBlocks } };
  const meanPost = mean(post);
  const meanPre = mean(pre);
  const allZero = absoluteSum === 0;
  if (statistic === "ratio" && allZero) {
    const note = "every day in both windows is 0, so the ratio of means is 0/0 in every split and the test is undefined";
    return { observed: null, pValue: null, resamples: 0, exact: false, note, ...base };
  }
  // T for given window sums; ratio: log((sPost / n1) / (sPre / n2)), ±Infinity for a zero window.
  const statisticOf =
    statistic === "difference"
      ? (sumPost: number, sumPre: number): number => sumPost / n1 - sumPre / n2
      : (sumPost: number, sumPre: number): number => Math.log((sumPost * n2) / (sumPre * n1));

  // The observed split, summed in the same order as the enumeration sums it.
  let observedPost = fixedPost;
  let observedPre = fixedPre;
  for (let block = 0; block < totalBlocks; block += 1) {
    if (block < postBlocks) observedPost += blockSums[block] as number;
    else observedPre += blockSums[block] as number;
  }
  const observedT = Math.abs(statisticOf(observedPost, observedPre));
  const scale = statistic === "difference" ? Math.max(observedT, absoluteSum / (n1 + n2)) : Math.max(observedT, 1);
  const threshold = observedT === Infinity ? Infinity : observedT - TOLERANCE * scale;

  const observed = statistic === "difference" ? meanPost - meanPre : meanPost / meanPre;
  let note: string | null = null;
  if (statistic === "ratio" && observedT === Infinity) {
    const empty = meanPre === 0 ? "pre" : "post";
    note = `the ${empty} window has only zero days, so the log ratio is infinite; the p-value is the share of splits that leave one window with only zero days`;
  }

  const splits = binomialUpTo(totalBlocks, Math.min(postBlocks, preBlocks), resamples);
  if (splits <= resamples) {
    // Every split: lexicographic combinations of the smaller group's blocks (the post group
    // when chosenIsPost), summed in block order so the observed split ties bit for bit.
    const chosenIsPost = postBlocks <= preBlocks;
    const chosenCount = chosenIsPost ? postBlocks : preBlocks;
    const fixedChosen = chosenIsPost ? fixedPost : fixedPre;
    const fixedOther = chosenIsPost ? fixedPre : fixedPost;
    const combination = new Int32Array(chosenCount);
    const inChosen = new Uint8Array(totalBlocks);
    for (let i = 0; i < chosenCount; i += 1) combination[i] = i;
    let extreme = 0;
    for (;;) {
      for (let i = 0; i < chosenCount; i += 1) inChosen[combination[i] as number] = 1;
      let sumChosen = fixedChosen;
      let sumOther = fixedOther;
      for (let block = 0; block < totalBlocks; block += 1) {
        if (inChosen[block] === 1) sumChosen += blockSums[block] as number;
        else sumOther += blockSums[block] as number;
      }
      for (let i = 0; i < chosenCount; i += 1) inChosen[combination[i] as number] = 0;
      const t = chosenIsPost ? statisticOf(sumChosen, sumOther) : statisticOf(sumOther, sumChosen);
      if (Math.abs(t) >= threshold) extreme += 1;
      let position = chosenCount - 1;
      while (position >= 0 && combination[position] === totalBlocks - chosenCount + position) position -= 1;
      if (position < 0) break;
      combination[position] = (combination[position] as number) + 1;
      for (let i = position + 1; i < chosenCount; i += 1) combination[i] = (combination[i - 1] as number) + 1;
    }
    return { observed, pValue: extreme / splits, resamples: splits, exact: true, note, ...base };
  }

  // Monte Carlo. Zero blocks add nothing to either window's sum, so a random split only has
  // to say which nonzero blocks land in the post window. Of the m nonzero blocks, the post
  // window receives h ~ Hypergeometric(B blocks, m nonzero, B1 drawn), and given h a
  // uniformly random h of them: draw h by inverting its CDF, then a partial Fisher–Yates
  // shuffle moves min(h, m − h) random nonzero blocks to the front of a scratch buffer (it
  // starts from the previous arrangement, which keeps it uniform). Cost per split: about
  // min(h, m − h) + 1 draws and m additions, not B; mostly-zero series have small m.
  const nonzero = blockSums.filter((value) => value !== 0);
  const m = nonzero.length;
  const postShare = hypergeometricCdf(totalBlocks, m, postBlocks);
  let extreme = 0;
  for (let r = 0; r < resamples; r += 1) {
    const h = postShare.lowest + searchCdf(postShare.cdf, rng.next());
    const frontIsPost = h <= m - h;
    const front = frontIsPost ? h : m - h;
    let sumFront = 0;
    for (let i = 0; i < front; i += 1) {
      const j = i + rng.nextInt(m - i);
      const picked = nonzero[j] as number;
      nonzero[j] = nonzero[i] as number;
      nonzero[i] = picked;
      sumFront += picked;
    }
    let sumBack = 0;
    for (let i = front; i < m; i += 1) sumBack += nonzero[i] as number;
    const t = frontIsPost ? statisticOf(fixedPost + sumFront, fixedPre + sumBack) : statisticOf(fixedPost + sumBack, fixedPre + sumFront);
    if (Math.abs(t) >= threshold) extreme += 1;
  }
  return { observed, pValue: (extreme + 1) / (resamples + 1), resamples, exact: false, note, ...base };
}

/**
 * CDF of the number of nonzero blocks among `drawn` blocks taken without replacement from
 * `total` blocks of which `nonzero` are nonzero, over h = lowest, lowest + 1, ...; built
 * from the ratio of successive probabilities in log space, normalized, last entry 1.
 */
function hypergeometricCdf(total: number, nonzero: number, drawn: number): { lowest: number; cdf: Float64Array } {
  const lowest = Math.max(0, drawn - (total - nonzero));
  const highest = Math.min(drawn, nonzero);
  const logWeights = new Float64Array(highest - lowest + 1);
  for (let h = lowest; h < highest; h += 1) {
    const ratio = ((nonzero - h) * (drawn - h)) / ((h + 1) * (total - nonzero - drawn + h + 1));
    logWeights[h - lowest + 1] = (logWeights[h - lowest] as number) + Math.log(ratio);
  }
  let largest = -Infinity;
  for (const value of logWeights) largest = Math.max(largest, value);
  const cdf = new Float64Array(logWeights.length);
  let running = 0;
  for (let i = 0; i < logWeights.length; i += 1) {
    running += Math.exp((logWeights[i] as number) - largest);
    cdf[i] = running;
  }
  for (let i = 0; i < cdf.length; i += 1) cdf[i] = (cdf[i] as number) / running;
  cdf[cdf.length - 1] = 1;
  return { lowest, cdf };
}


/** C(n, k), or any number above cap once it exceeds cap (so it never overflows). */
function binomialUpTo(n: number, k: number, cap: number): number {
  let count = 1;
  for (let i = 0; i < k; i += 1) {
    count = (count * (n - i)) / (i + 1);
    if (count > cap) return Infinity;
  }
  return Math.round(count);
}

function checkNonNegative(method: string, values: ArrayLike<number>, window: string): void {
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number;
    if (value < 0) {
      throw new RangeError(`${method}: the ratio of means needs non-negative daily values, but ${window}[${i}] is ${value}; use the difference instead`);
    }
  }
}
