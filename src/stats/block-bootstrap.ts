/**
 * Stationary block bootstrap confidence intervals for the difference (post − pre) and the
 * ratio (post / pre) of two windows' mean daily values, percentile and BCa.
 *
 * What it does: each window is resampled on its own, B times, with the stationary bootstrap
 * of Politis and Romano (1994). A resampled window is built from blocks of consecutive
 * days; each block starts on a uniformly random day of the window, has a geometric length
 * with mean L (P(length = k) = p(1 − p)^(k−1), p = 1/L), wraps from the window's last day
 * to its first, and the last block is cut so the resample has the window's length. The
 * statistic of each pair of resampled windows makes the bootstrap distribution.
 *
 * When to use it: an interval for the change in the mean daily loss (or incident count)
 * that allows for days not being independent: a big hack is followed by copycats and
 * follow-up drains, so losses cluster. Blocks keep runs of neighbouring days together.
 *
 * Why the stationary rather than the moving-block bootstrap:
 *  - wrapping gives every day the same chance to be drawn, so the bootstrap mean is
 *    centred exactly on the sample mean (the moving-block bootstrap under-draws the first
 *    and last L − 1 days), which matters for BCa's bias correction;
 *  - random block lengths make the result less sensitive to the exact L (the moving-block
 *    bootstrap is slightly more efficient at a well-chosen L, Lahiri 1999, but L is not
 *    tuned here);
 *  - L need not divide the window length, and L = 1 is exactly the ordinary iid bootstrap
 *    (every block is one day; that case takes a faster route, see stationarySampler).
 *
 * Block-length rule (defaultBlockLength): L = max(1, round(m^(1/3))) days, m the shorter
 * window's length: 30 days → 3, 100 → 5, 200 → 6, 400 → 7. n^(1/3) is the MSE-optimal
 * order of the block length for bootstrap variance and distribution estimates (Hall,
 * Horowitz and Jing 1995); the constant 1 is a convention, not estimated from the data
 * (Politis and White 2004 is the data-driven alternative, not implemented). Both windows
 * use the same L because the dependence is a property of the series, not of the window.
 * Pass `blockLength` when the memory of the series is known; it may be fractional.
 *
 * Intervals, defined exactly as scipy.stats.bootstrap (1.10) computes them:
 *  - percentile: the α/2 and 1 − α/2 quantiles of the bootstrap distribution, linear
 *    interpolation between order statistics (numpy's default percentile);
 *  - BCa (Efron 1987; Efron and Tibshirani 1993, 14.3): bias correction
 *    z0 = Φ⁻¹((#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B) and acceleration from the jackknife, each
 *    window's delete-one jackknife combined as scipy does for several samples:
 *    a = Σ_j Σ_i U_ji³ / n_j³ / (6 (Σ_j Σ_i U_ji² / n_j²)^(3/2)), U_ji = (n_j − 1)(θ̄_j − θ_ji).
 *    For L > 1 the delete-one-day jackknife is an approximation: it treats days as
 *    independent (the delete-a-block jackknife of Künsch 1989 would not), so the
 *    acceleration, a small skewness correction, ignores the dependence; the bias
 *    correction comes from the block bootstrap distribution and does respect it.
 *
 * Assumptions: each window is a stationary series whose dependence dies out within a few
 * blocks; the two windows are independent of each other; B is large enough for the tail
 * quantiles (2,000 resamples give endpoints with Monte Carlo error of a few per cent of the
 * interval's width). With only a handful of nonzero days the bootstrap distribution is
 * lumpy and the nominal coverage is not reached; the calibration script measures how far.
 *
 * Ratio and zeros: the ratio needs non-negative values (losses, counts). A pre window with
 * mean 0 gives an infinite (or, with a zero post mean, undefined) ratio and no interval.
 * A resample whose pre window drew only zero days has ratio +∞ and is kept, so an upper end
 * can be +∞ (meaning: the data cannot bound the ratio). A resample in which both windows
 * drew only zeros has an undefined ratio (0/0) that has no place in the ordering; if any
 * occur the intervals are null and the note gives their number. When a jackknife value is
 * infinite the acceleration is undefined and the BCa interval is null.
 *
 * Small-sample contract: each window needs at least 2 days (one day has no jackknife and no
 * variability to resample); fewer throws InsufficientDataError.
 *
 * Reproducibility: draws come from the Rng passed in, in a fixed order (per resample: the
 * post window, then the pre window), so the same seed gives the same result bit for bit,
 * and the first B resamples do not change when more are asked for.
 *
 * References: Politis and Romano (1994), "The stationary bootstrap", JASA 89, 1303–1313;
 * Efron (1987), "Better bootstrap confidence intervals", JASA 82, 171–185; Efron and
 * Tibshirani (1993), An Introduction to the Bootstrap; Hall, Horowitz and Jing (1995),
 * Biometrika 82, 561–574; Künsch (1989), Annals of Statistics 17, 1217–1241.
 */
import jstatModule from "jstat";
import { InsufficientDataError } from "../errors.js";
import { mean, sum } from "./descriptive.js";
import { normalCdf } from "./distributions.js";
import type { Rng } from "./random.js";

const { jStat } = jstatModule as unknown as typeof import("jstat");

/** Which comparison of the two windows' means: post − pre, or post / pre. */
export type MeansStatistic = "difference" | "ratio";

export interface BlockBootstrapOptions {
  /** Number of bootstrap resamples B (each resamples both windows). */
  resamples: number;
  rng: Rng;
  statistic: MeansStatistic;
  /** Mean block length L in days (≥ 1, may be fractional); default defaultBlockLength. 1 = iid bootstrap. */
  blockLength?: number;
  /** Two-sided confidence level; default 0.95. */
  confidence?: number;
}

export interface BlockBootstrapResult {
  /** post mean − pre mean, or post mean / pre mean (Infinity when only the pre mean is 0); null when 0/0. */
  estimate: number | null;
  /** Percentile interval; null when the estimate or some resample's ratio is undefined. */
  percentile: [number, number] | null;
  /** BCa interval; null when the bias correction or the acceleration is undefined (see note). */
  bca: [number, number] | null;
  resamples: number;
  blockLength: number;
  confidence: number;
  /** Why an interval is missing, or null. */
  note: string | null;
}

/** L = max(1, round(m^(1/3))), m the shorter window's length in days (see the header). */
export function defaultBlockLength(postLength: number, preLength: number): number {
  return Math.max(1, Math.round(Math.cbrt(Math.min(postLength, preLength))));
}

const METHOD = "block bootstrap of means";

export function blockBootstrapMeans(
  post: ArrayLike<number>,
  pre: ArrayLike<number>,
  options: BlockBootstrapOptions,
): BlockBootstrapResult {
  if (post.length < 2 || pre.length < 2) throw new InsufficientDataError(METHOD, "at least 2 days in each window");
  const { resamples, rng, statistic } = options;
  const blockLength = options.blockLength ?? defaultBlockLength(post.length, pre.length);
  const confidence = options.confidence ?? 0.95;
  checkResamples(resamples);
  checkBlockLength(blockLength);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${METHOD}: confidence ${confidence} must lie strictly between 0 and 1, e.g. 0.95`);
  }
  if (statistic === "ratio") {
    checkNonNegative(post, "post");
    checkNonNegative(pre, "pre");
  }
  const base = { resamples, blockLength, confidence };
  const meanPost = mean(post);
  const meanPre = mean(pre);
  const estimate = statistic === "difference" ? meanPost - meanPre : meanPost / meanPre;
  if (statistic === "ratio" && meanPre === 0) {
    const note =
      meanPost === 0
        ? "both windows have only zero days, so the ratio of means is undefined"
        : "the pre window has only zero days, so the ratio of means is infinite and has no interval";
    return { estimate: meanPost === 0 ? null : Infinity, percentile: null, bca: null, ...base, note };
  }

  const drawPost = stationarySampler(post, blockLength);
  const drawPre = stationarySampler(pre, blockLength);
  const distribution = new Float64Array(resamples);
  let undefinedCount = 0;
  for (let r = 0; r < resamples; r += 1) {
    const resampledPost = drawPost(rng) / post.length;
    const resampledPre = drawPre(rng) / pre.length;
    // Ratio: x / 0 = +Infinity is kept; 0 / 0 = NaN is counted and voids the intervals.
    const theta = statistic === "difference" ? resampledPost - resampledPre : resampledPost / resampledPre;
    if (Number.isNaN(theta)) undefinedCount += 1;
    distribution[r] = theta;
  }
  if (undefinedCount > 0) {
    const note = `${undefinedCount} of ${resamples} resamples drew only zero days in both windows, so their ratio is undefined and no interval is given`;
    return { estimate, percentile: null, bca: null, ...base, note };
  }
  const acceleration = jackknifeAcceleration(post, pre, statistic);
  const intervals = bootstrapIntervals(distribution, estimate, acceleration, confidence);
  return { estimate, ...intervals, ...base };
}

/**
 * B stationary-bootstrap resamples of one series' mean (the kernel of blockBootstrapMeans,
 * exposed so its variance can be checked against Politis and Romano's closed form).
 */
export function stationaryBootstrapMeans(values: ArrayLike<number>, blockLength: number, resamples: number, rng: Rng): Float64Array {
  if (values.length < 1) throw new InsufficientDataError("stationary bootstrap", "at least 1 observation");
  checkResamples(resamples);
  checkBlockLength(blockLength);
  const draw = stationarySampler(values, blockLength);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r += 1) means[r] = draw(rng) / values.length;
  return means;
}

/**
 * Percentile and BCa intervals from a bootstrap distribution, the estimate and the
 * acceleration (NaN or ±Infinity when undefined), as scipy.stats.bootstrap 1.10 computes them.
 */
export function bootstrapIntervals(
  distribution: ArrayLike<number>,
  estimate: number,
  acceleration: number,
  confidence: number,
): { percentile: [number, number]; bca: [number, number] | null; note: string | null } {
  const sorted = Float64Array.from(distribution).sort();
  const alpha = (1 - confidence) / 2;
  const percentile: [number, number] = [quantileLinear(sorted, alpha), quantileLinear(sorted, 1 - alpha)];
  if (!Number.isFinite(acceleration)) {
    const note = "the jackknife acceleration is undefined (constant data, or a jackknife ratio with a zero pre mean), so there is no BCa interval";
    return { percentile, bca: null, note };
  }
  let below = 0;
  let belowOrEqual = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    const value = sorted[index] as number;
    if (value < estimate) below += 1;
    if (value <= estimate) belowOrEqual += 1;
  }
  const share = (below + belowOrEqual) / (2 * sorted.length);
  if (share === 0 || share === 1) {
    const note = "every resample lies on one side of the estimate, so the BCa bias correction is infinite and there is no BCa interval";
    return { percentile, bca: null, note };
  }
  const z0 = normalQuantile(share);
  const adjusted: number[] = [];
  for (const z of [normalQuantile(alpha), -normalQuantile(alpha)]) {
    const shifted = z0 + z;
    const denominator = 1 - acceleration * shifted;
    if (!(denominator > 0)) {
      const note = `the BCa adjustment breaks down (1 − a(z0 + z) = ${denominator} ≤ 0 with a = ${acceleration}), so there is no BCa interval`;
      return { percentile, bca: null, note };
    }
    adjusted.push(normalCdf(z0 + shifted / denominator));
  }
  const bca: [number, number] = [quantileLinear(sorted, adjusted[0] as number), quantileLinear(sorted, adjusted[1] as number)];
  return { percentile, bca, note: null };
}

/**
 * BCa acceleration from each window's delete-one-day jackknife (scipy's multi-sample
 * formula, see the header). NaN when undefined.
 */
export function jackknifeAcceleration(post: ArrayLike<number>, pre: ArrayLike<number>, statistic: MeansStatistic): number {
  if (post.length < 2 || pre.length < 2) throw new InsufficientDataError("jackknife acceleration", "at least 2 days in each window");
  const meanPost = mean(post);
  const meanPre = mean(pre);
  const combine = (postMean: number, preMean: number): number => (statistic === "difference" ? postMean - preMean : postMean / preMean);
  let numerator = 0;
  let denominator = 0;
  for (const [window, deleted] of [
    [post, (leftOut: number) => combine(leftOut, meanPre)],
    [pre, (leftOut: number) => combine(meanPost, leftOut)],
  ] as const) {
    const n = window.length;
    const total = sum(window);
    const thetas = new Float64Array(n);
    for (let i = 0; i < n; i += 1) thetas[i] = deleted((total - (window[i] as number)) / (n - 1));
    let thetaBar = 0;
    for (let i = 0; i < n; i += 1) thetaBar += thetas[i] as number;
    thetaBar /= n;
    let cubes = 0;
    let squares = 0;
    for (let i = 0; i < n; i += 1) {
      const u = (n - 1) * (thetaBar - (thetas[i] as number));
      cubes += u * u * u;
      squares += u * u;
    }
    numerator += cubes / n ** 3;
    denominator += squares / n ** 2;
  }
  return numerator / (6 * denominator ** 1.5);
}

/**
 * A stationary-bootstrap sampler for one series: each call returns the sum of one
 * resample of the series' length. Blocks wrap around the end of the series (a block is
 * never longer than the series), read from prefix sums of the series written twice.
 *
 * With L = 1 (the iid bootstrap) zero days add nothing to the sum, so only the draws that
 * hit a nonzero day matter: their number is Binomial(n, m/n) for m nonzero days (drawn by
 * inverting its CDF table with one uniform; the generator's 32-bit resolution distorts
 * those probabilities by at most 2^-32) and each is a uniform pick among the m nonzero
 * days. Same distribution, about m/n of the work on mostly-zero series.
 */
function stationarySampler(values: ArrayLike<number>, blockLength: number): (rng: Rng) => number {
  const n = values.length;
  if (blockLength === 1) {
    const nonzero = Float64Array.from(values).filter((value) => value !== 0);
    const m = nonzero.length;
    if (m === n) {
      return (rng: Rng): number => {
        let total = 0;
        for (let i = 0; i < n; i += 1) total += nonzero[rng.nextInt(n)] as number;
        return total;
      };
    }
    const countCdf = binomialCdf(n, m / n);
    return (rng: Rng): number => {
      const count = searchCdf(countCdf, rng.next());
      let total = 0;
      for (let i = 0; i < count; i += 1) total += nonzero[rng.nextInt(m)] as number;
      return total;
    };
  }
  // Prefix sums of the doubled series make each block's sum one subtraction instead of a
  // loop over its days. (They can leave rounding residue of ~1e-16 x the series total where
  // a block holds only zeros: far below anything a mean of daily losses can show.)
  const prefix = new Float64Array(2 * n + 1);
  for (let i = 0; i < 2 * n; i += 1) prefix[i + 1] = (prefix[i] as number) + (values[i % n] as number);
  // Geometric length by inversion: 1 + floor(log(U) / log(1 − p)), U uniform on (0, 1].
  const logContinue = Math.log1p(-1 / blockLength);
  return (rng: Rng): number => {
    let total = 0;
    let filled = 0;
    while (filled < n) {
      const start = rng.nextInt(n);
      let length = 1 + Math.floor(Math.log(1 - rng.next()) / logContinue);
      if (length > n - filled) length = n - filled;
      total += (prefix[start + length] as number) - (prefix[start] as number);
      filled += length;
    }
    return total;
  };
}

/** CDF of Binomial(n, p) over 0..n for 0 ≤ p < 1, from successive ratios in log space; last entry 1. */
function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  if (p === 0) {
    cdf.fill(1);
    return cdf;
  }
  const logWeights = new Float64Array(n + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  let largest = 0;
  for (let c = 0; c < n; c += 1) {
    logWeights[c + 1] = (logWeights[c] as number) + Math.log((n - c) / (c + 1)) + logOdds;
    largest = Math.max(largest, logWeights[c + 1] as number);
  }
  let running = 0;
  for (let c = 0; c <= n; c += 1) {
    running += Math.exp((logWeights[c] as number) - largest);
    cdf[c] = running;
  }
  for (let c = 0; c <= n; c += 1) cdf[c] = (cdf[c] as number) / running;
  cdf[n] = 1;
  return cdf;
}

/** The smallest index i with u < cdf[i] (binary search; cdf ends with 1 and u < 1). */
export function searchCdf(cdf: Float64Array, u: number): number {
  let low = 0;
  let high = cdf.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (u < (cdf[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** numpy's default (linear) percentile of sorted values at q in [0, 1]. */
function quantileLinear(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const fraction = position - lower;
  const a = sorted[lower] as number;
  const b = sorted[Math.min(lower + 1, sorted.length - 1)] as number;
  if (fraction === 0 || a === b) return a;
  // Toward a +Infinity ratio the interpolated value is +Infinity (numpy gives NaN for fraction ≥ 0.5).
  if (b === Infinity) return Infinity;
  // numpy's _lerp: interpolate from the nearer end.
  return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
}

/** Standard normal quantile: jStat's value polished by one Newton step (about 1e-16 relative). */
function normalQuantile(p: number): number {
  const x = jStat.normal.inv(p, 0, 1);
  return x - (normalCdf(x) - p) / (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI));
}

function checkResamples(resamples: number): void {
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(`${METHOD}: resamples ${resamples} must be a positive whole number, e.g. 2000`);
  }
}

function checkBlockLength(blockLength: number): void {
  if (!(Number.isFinite(blockLength) && blockLength >= 1)) {
    throw new RangeError(`${METHOD}: blockLength ${blockLength} must be a number of days ≥ 1 (1 = iid bootstrap), e.g. 5`);
  }
}

function checkNonNegative(values: ArrayLike<number>, window: string): void {
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number;
    if (value < 0) {
      throw new RangeError(`${METHOD}: the ratio of means needs non-negative daily values, but ${window}[${i}] is ${value}; use the difference instead`);
    }
  }
}
