/**
 * Fits the calibration null model (src/calibration/null-model.ts) to real data: a dense
 * daily series of incident counts over some date range, and the known amounts of the
 * incidents in that range. Pure: the caller reads the data and chooses the range.
 *
 * Parameters, one estimator each:
 *
 *  - rate: the mean number of incidents per day (unknown-amount incidents included).
 *
 *  - medianAmount: the sample median of the known amounts.
 *
 *  - tailIndex: the Hill (1975) estimator on the k = 50 largest amounts,
 *      alpha_hat = k / sum_{i=1..k} log(X_(i) / X_(k+1)),
 *    X_(1) >= X_(2) >= ... the amounts in decreasing order. For an exact Pareto tail above
 *    X_(k+1) it is the maximum-likelihood estimate, with standard error about alpha / sqrt(k)
 *    (about 14% of alpha at k = 50). k = 50 is a convention, not tuned: a few hundred known
 *    amounts per source leave the top 10-15% for the tail, which is where the mean daily
 *    loss is decided. With fewer than k + 1 amounts, k = (number of amounts) - 1.
 *    The model draws every amount from one Pareto whose median is medianAmount, so the
 *    body of the fitted distribution follows from the median and the tail index; the real
 *    body is not exactly Pareto, but the mean of a heavy-tailed sum is governed by its
 *    tail, which is what the Hill estimate matches.
 *
 *  - sigma, phi of the latent Gaussian AR(1) log-intensity x_t (stationary, variance
 *    sigma^2, lag-h correlation phi^h), by the method of moments. The model's counts are
 *      N_t | x ~ Poisson(lambda_t),  lambda_t = m exp(x_t - sigma^2 / 2),
 *    so E[lambda_t] = m (lognormal mean: E[exp(x_t)] = exp(sigma^2 / 2)) and
 *      E[lambda_t^2]            = m^2 exp(-sigma^2) E[exp(2 x_t)]          = m^2 exp(sigma^2),
 *      E[lambda_t lambda_{t-1}] = m^2 exp(-sigma^2) E[exp(x_t + x_{t-1})]
 *                               = m^2 exp(-sigma^2) exp((2 sigma^2 + 2 phi sigma^2) / 2)
 *                               = m^2 exp(phi sigma^2),
 *    because x_t + x_{t-1} ~ N(0, 2 sigma^2 (1 + phi)). Given lambda, the counts are
 *    independent Poisson, so by the laws of total variance and covariance
 *      Var(N_t)              = E[lambda] + Var(lambda)  = m + m^2 (exp(sigma^2) - 1),
 *      Cov(N_t, N_{t-1})     = Cov(lambda_t, lambda_{t-1}) = m^2 (exp(phi sigma^2) - 1).
 *    Solving with the sample mean m, sample variance V and lag-1 sample autocovariance C:
 *      sigma^2 = log(1 + (V - m) / m^2),        phi = log(1 + C / m^2) / sigma^2.
 *    (test/calibration/fit-null-model.test.ts checks both formulas on long simulations.)
 *    Clamps: when V <= m (no overdispersion) sigma = 0 and then phi = 0 (a latent process
 *    with no variance has no correlation to estimate); sigma is clamped to [0, 2]; phi to
 *    [0, 0.95] (a negative C, or one larger than the variance allows, is sampling noise or
 *    a sign that the model does not fit; 0.95 keeps the latent process stationary over
 *    the ~20-day memory it then has). Every clamp is reported in `notes`.
 *
 * Caveats, all reported in the diagnostics so a reader can judge the fit:
 *  - a slow trend in the rate (more incidents per year as the ecosystem grows) is read by
 *    these moments as latent variation with high persistence: it raises V and C together,
 *    so sigma > 0 and phi near its upper clamp. For calibration this errs on the side of
 *    more dependence than the data have between neighbouring days, i.e. harder on tests
 *    that assume independent days;
 *  - the moment estimates are noisy on a few hundred incidents: with m = 0.25 per day over
 *    1,800 days the standard error of (V - m) / m^2 (about sigma^2 when small) is about
 *    0.13, so a sigma below about 0.5 (two standard errors) cannot be told from 0, and phi
 *    is poorly determined when sigma is small;
 *  - the lag-1 autocovariance divides by n - 1 pairs and uses the overall mean, so it is
 *    biased toward 0 by about Var(m) (negligible here).
 *
 * Reference: Hill (1975), "A simple general approach to inference about the tail of a
 * distribution", Annals of Statistics 3, 1163-1174.
 */
import { InsufficientDataError } from "../errors.js";
import { mean, median, sampleVariance } from "../stats/descriptive.js";
import type { NullModel } from "./null-model.js";

export const DEFAULT_TAIL_K = 50;
export const SIGMA_RANGE: readonly [number, number] = [0, 2];
export const PHI_RANGE: readonly [number, number] = [0, 0.95];

export interface FitOptions {
  /** Number of largest amounts in the Hill estimator; default 50. */
  tailK?: number;
}

/** The data summaries behind the fit, for the calibration report. */
export interface FitDiagnostics {
  days: number;
  incidents: number;
  knownAmounts: number;
  /** Sample mean of the daily counts (= rate). */
  countMean: number;
  /** Sample variance of the daily counts (denominator n - 1). */
  countVariance: number;
  /** Variance / mean of the daily counts: 1 for Poisson, > 1 overdispersed. */
  dispersionIndex: number;
  /** Lag-1 sample autocovariance of the daily counts (over the n - 1 pairs). */
  lag1Autocovariance: number;
  /** Lag-1 autocovariance / variance. */
  lag1Autocorrelation: number;
  /** k actually used by the Hill estimator. */
  tailK: number;
  /** The (k+1)-th largest amount: the threshold above which the tail is fitted. */
  tailThreshold: number;
  /** sigma^2 and phi before clamping (null when undefined). */
  unclampedSigma2: number | null;
  unclampedPhi: number | null;
  /** Clamps applied and other remarks, in words. */
  notes: string[];
}

export interface FittedNullModel {
  model: NullModel;
  diagnostics: FitDiagnostics;
}

/**
 * `counts`: incidents per day, one entry per calendar day of the range (zeros included).
 * `amounts`: the known amounts (> 0, finite) of the incidents in the range; unknown
 * amounts must be left out by the caller (they still count in `counts`).
 */
export function fitNullModel(counts: Float64Array, amounts: ArrayLike<number>, options: FitOptions = {}): FittedNullModel {
  if (counts.length < 3) throw new InsufficientDataError("null-model fit", "at least 3 days of counts");
  if (amounts.length < 2) throw new InsufficientDataError("null-model fit", "at least 2 known amounts");
  for (let index = 0; index < amounts.length; index += 1) {
    const amount = amounts[index] as number;
    if (!(Number.isFinite(amount) && amount > 0)) {
      throw new RangeError(`null-model fit: amounts[${index}] is ${amount}; pass only known amounts > 0 (leave unknown ones out)`);
    }
  }
  const notes: string[] = [];
  const m = mean(counts);
  if (!(m > 0)) throw new InsufficientDataError("null-model fit", "at least one incident in the range");
  const variance = sampleVariance(counts);
  const autocovariance = lag1Autocovariance(counts, m);

  // Latent variance from the overdispersion.
  let sigma2: number;
  let unclampedSigma2: number | null;
  if (variance <= m) {
    unclampedSigma2 = Math.log1p((variance - m) / (m * m));
    if (Number.isNaN(unclampedSigma2)) unclampedSigma2 = null;
    sigma2 = 0;
    notes.push(`no overdispersion (variance ${fmt(variance)} <= mean ${fmt(m)}): sigma = 0, phi = 0 (independent Poisson days)`);
  } else {
    unclampedSigma2 = Math.log1p((variance - m) / (m * m));
    sigma2 = unclampedSigma2;
  }
  let sigma = Math.sqrt(sigma2);
  if (sigma > (SIGMA_RANGE[1] as number)) {
    notes.push(`sigma ${fmt(sigma)} clamped to ${SIGMA_RANGE[1]}`);
    sigma = SIGMA_RANGE[1] as number;
  }

  // Latent lag-1 correlation from the lag-1 autocovariance (only meaningful when sigma > 0).
  let phi = 0;
  let unclampedPhi: number | null = null;
  if (sigma2 > 0) {
    const ratio = 1 + autocovariance / (m * m);
    unclampedPhi = ratio > 0 ? Math.log(ratio) / sigma2 : -Infinity;
    if (!Number.isFinite(unclampedPhi)) unclampedPhi = null;
    phi = unclampedPhi ?? 0;
    if (phi < (PHI_RANGE[0] as number)) {
      notes.push(`phi ${unclampedPhi === null ? "undefined" : fmt(phi)} (non-positive lag-1 autocovariance) clamped to ${PHI_RANGE[0]}`);
      phi = PHI_RANGE[0] as number;
    } else if (phi > (PHI_RANGE[1] as number)) {
      notes.push(`phi ${fmt(phi)} clamped to ${PHI_RANGE[1]} (a trend in the rate or long runs read as persistent latent variation)`);
      phi = PHI_RANGE[1] as number;
    }
  }

  const tail = hillEstimator(amounts, options.tailK ?? DEFAULT_TAIL_K);
  if (tail.k < (options.tailK ?? DEFAULT_TAIL_K)) notes.push(`only ${amounts.length} known amounts: Hill estimator on k = ${tail.k}`);

  let incidents = 0;
  for (let index = 0; index < counts.length; index += 1) incidents += counts[index] as number;
  return {
    model: { rate: m, tailIndex: tail.alpha, medianAmount: median(amounts), phi, sigma },
    diagnostics: {
      days: counts.length,
      incidents,
      knownAmounts: amounts.length,
      countMean: m,
      countVariance: variance,
      dispersionIndex: variance / m,
      lag1Autocovariance: autocovariance,
      lag1Autocorrelation: variance > 0 ? autocovariance / variance : 0,
      tailK: tail.k,
      tailThreshold: tail.threshold,
      unclampedSigma2,
      unclampedPhi,
      notes,
    },
  };
}

/**
 * Hill estimator of the Pareto tail index from the k largest values:
 * k / sum_{i=1..k} log(X_(i) / X_(k+1)). k is reduced to n - 1 when there are fewer values.
 */
export function hillEstimator(values: ArrayLike<number>, k: number): { alpha: number; k: number; threshold: number } {
  if (!(Number.isSafeInteger(k) && k >= 1)) throw new RangeError(`Hill estimator: k ${k} must be a positive whole number, e.g. 50`);
  if (values.length < 2) throw new InsufficientDataError("Hill estimator", "at least 2 values");
  const sorted = Float64Array.from(values).sort().reverse();
  const used = Math.min(k, sorted.length - 1);
  const threshold = sorted[used] as number;
  let total = 0;
  for (let index = 0; index < used; index += 1) total += Math.log((sorted[index] as number) / threshold);
  if (!(total > 0)) throw new InsufficientDataError("Hill estimator", `top ${used} values that are not all equal to the (k+1)-th largest`);
  return { alpha: used / total, k: used, threshold };
}

/** sum_{t=2..n} (x_t - m)(x_{t-1} - m) / (n - 1). */
export function lag1Autocovariance(values: ArrayLike<number>, center: number): number {
  let total = 0;
  for (let index = 1; index < values.length; index += 1) {
    total += ((values[index] as number) - center) * ((values[index - 1] as number) - center);
  }
  return total / (values.length - 1);
}

function fmt(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
