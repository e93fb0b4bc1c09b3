/**
 * Segmented regression for an interrupted time series, with HAC standard errors.
 *
 * What: over the pre and post windows together, with day index t (0 on the first pre day,
 * post days numbered after the gap) and t0 the index of the first post day,
 *   y_t = b0 + b1 t + b2 post_t + b3 (t - t0) post_t + e_t,
 * so b2 is the jump in level at the event (post line minus the extrapolated pre line at
 * t0) and b3 the change in the daily trend. segmentedRegression fits it by OLS with
 * Newey–West HAC standard errors (hac-ols.ts: same lag rule, no small-sample correction
 * and normal reference by default). poissonSegmentedRegression is the count version:
 * log E[y_t] = the same linear predictor, a Poisson GLM (log link), so exp(b2) is the rate
 * ratio at the event and exp(b3) the ratio of daily growth factors.
 *
 * When to use: when the question is whether the event changed the level or the direction
 * of an already trending series, not just the mean; a pre/post comparison of means mixes
 * an existing trend into the "effect". Needs enough days on both sides to pin down a trend.
 *
 * Standard errors for the count version: HAC (default). Daily hack counts are both
 * overdispersed and autocorrelated (bursts); the Newey–West sandwich around the Poisson
 * score handles both, while quasi-Poisson only rescales for overdispersion. The
 * quasi-Poisson covariance (Pearson dispersion) is available as `covariance:
 * "quasi-poisson"` for comparison with the two-window rate ratio.
 *
 * Assumptions: the linear (or log-linear) trend is right within each window; errors are
 * weakly dependent (correlation negligible beyond maxLags days); large-sample normal
 * inference. With a gap between the windows (event days excluded), the gap days are
 * skipped in t, so trends are per calendar day.
 *
 * Zero counts (Poisson version): no incidents in the pre window (or the post window) make
 * its intercept -infinity and the level change infinite, so nothing is fitted and the
 * note says why; other non-existent estimates (e.g. post incidents only on the last day,
 * which drive the post trend to infinity) are caught by the GLM's convergence rule.
 *
 * Exact fits: when every day lies on the fitted lines up to rounding (e.g. the same value
 * every day), the residuals and so every standard error are 0 and the statistics 0/0. The
 * OLS version throws InsufficientDataError (as for too few days); the Poisson version
 * returns the rate ratio at the event without an interval or a test, with a note.
 *
 * Matches statsmodels 0.13.5: sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L}),
 * sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type='HAC', cov_kwds={'maxlags': L})
 * and .fit(scale='X2'), with X = [1, t, post, (t - t0) post].
 * References: Wagner, Soumerai, Zhang & Ross-Degnan (2002), J. Clinical Pharmacy and
 * Therapeutics 27; Bernal, Cummins & Gasparrini (2017), Int. J. Epidemiology 46.
 */
import { InsufficientDataError } from "../errors.js";
import { sum } from "./descriptive.js";
import { hacOls, neweyWestMeat, resolveMaxLags, waldCoefficients, type Coefficient, type DesignColumn, type HacOptions } from "./hac-ols.js";
import { leastSquaresRoundingTolerance, sandwich, toRows, zeros } from "./linear-algebra.js";
import { fitPoissonGlm, POISSON_EXACT_FIT_NOTE, quasiPoissonTable } from "./overdispersed-rate-ratio.js";

export interface SegmentedOptions extends HacOptions {
  /** Days between the last pre day and the first post day that belong to neither window. */
  gapDays?: number;
}

export interface SegmentedRegressionResult {
  /** b2: the jump at the event. */
  levelChange: Coefficient;
  /** b3: the change in the slope per day. */
  trendChange: Coefficient;
  /** intercept, trend, level_change, trend_change. */
  coefficients: Coefficient[];
  covariance: number[][];
  /** Day index of the first post day (pre days are 0 .. n0 - 1). */
  eventIndex: number;
  maxLags: number;
  maxLagsSource: "rule" | "explicit";
  nobs: number;
  distribution: "normal" | "t";
  confidenceLevel: number;
}

export const SEGMENTED_COLUMNS = ["intercept", "trend", "level_change", "trend_change"] as const;

/** The columns 1, t, post, (t - t0) post, and the response stacked pre then post. */
export function segmentedDesign(pre: ArrayLike<number>, post: ArrayLike<number>, gapDays = 0): { y: Float64Array; design: DesignColumn[]; eventIndex: number } {
  if (!Number.isInteger(gapDays) || gapDays < 0) throw new RangeError(`segmented regression: gapDays must be a whole number >= 0, got ${gapDays}`);
  const n0 = pre.length;
  const n = n0 + post.length;
  const eventIndex = n0 + gapDays;
  const y = new Float64Array(n);
  const intercept = new Float64Array(n).fill(1);
  const trend = new Float64Array(n);
  const level = new Float64Array(n);
  const trendChange = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const isPost = i >= n0;
    const t = isPost ? i + gapDays : i;
    y[i] = isPost ? (post[i - n0] as number) : (pre[i] as number);
    trend[i] = t;
    level[i] = isPost ? 1 : 0;
    trendChange[i] = isPost ? t - eventIndex : 0;
  }
  const [a, b, c, d] = SEGMENTED_COLUMNS;
  return {
    y,
    design: [
      { name: a, values: intercept },
      { name: b, values: trend },
      { name: c, values: level },
      { name: d, values: trendChange },
    ],
    eventIndex,
  };
}

function sumOfSquares(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += (values[i] as number) * (values[i] as number);
  return total;
}

function checkWindows(method: string, pre: ArrayLike<number>, post: ArrayLike<number>): void {
  if (pre.length < 2 || post.length < 2 || pre.length + post.length < 5) {
    throw new InsufficientDataError(method, "at least 2 days in each window and 5 days in all");
  }
}

export function segmentedRegression(pre: ArrayLike<number>, post: ArrayLike<number>, options: SegmentedOptions = {}): SegmentedRegressionResult {
  checkWindows("segmented regression", pre, post);
  const { y, design, eventIndex } = segmentedDesign(pre, post, options.gapDays ?? 0);
  const fit = hacOls(y, design, options);
  // A perfect fit (every day on the two lines, e.g. a group with no incidents, or the same
  // amount every day) leaves no residual variation: the standard errors are 0 and every
  // statistic 0/0. In floating point the residuals of an exact fit are rounding noise, not
  // 0 (100 every day leaves residuals ~1e-14 and a "level change" of 5e-15 with z = 0.23),
  // so "exact" means the residual norm is within what QR rounding alone can produce,
  // n k eps ||y||_2 (leastSquaresRoundingTolerance; statsmodels has no such check and
  // prints the noise as a result). Variation above that bound is computed as usual: 100 +
  // 1e-11 noise on 125 days is 3.5 x the bound and still gives z to ~0.2%; below it the
  // variation is a few dozen ulps of y and rounding decides the answer (statsmodels' z on the
  // raw y is off by 0.8% at 1e-12, 10% at 1e-13 and has the wrong sign at 1e-14;
  // test/reference/degenerate_fits.py).
  const tolerance = leastSquaresRoundingTolerance(y.length, design.length);
  if (sumOfSquares(fit.residuals) <= tolerance * tolerance * sumOfSquares(y)) {
    throw new InsufficientDataError("segmented regression", "daily values that the two lines do not fit exactly (every residual here is 0 up to rounding, e.g. every day has the same value)");
  }
  const [, , levelChange, trendChange] = fit.coefficients as [Coefficient, Coefficient, Coefficient, Coefficient];
  return {
    levelChange,
    trendChange,
    coefficients: fit.coefficients,
    covariance: fit.covariance,
    eventIndex,
    maxLags: fit.maxLags,
    maxLagsSource: fit.maxLagsSource,
    nobs: fit.nobs,
    distribution: fit.distribution,
    confidenceLevel: fit.confidenceLevel,
  };
}

export interface PoissonSegmentedOptions extends SegmentedOptions {
  /** "hac" (default): Newey–West sandwich around the Poisson score; "quasi-poisson": Pearson dispersion. */
  covariance?: "hac" | "quasi-poisson";
}

export interface PoissonSegmentedResult {
  /** b2 on the log scale; exp(estimate) is the rate ratio at the event. Null with a note when not estimable. */
  levelChange: Coefficient | null;
  /** b3 on the log scale, per day. */
  trendChange: Coefficient | null;
  /** exp(b2) and its interval (exp of the log-scale limits); the interval is null when there is no test (an exact fit). */
  levelRateRatio: { estimate: number; ciLow: number | null; ciHigh: number | null } | null;
  coefficients: Coefficient[] | null;
  covariance: number[][] | null;
  covarianceType: "hac" | "quasi-poisson";
  /** Pearson X2 / (n - 4), reported for both covariance types; null without a fit. */
  dispersion: number | null;
  eventIndex: number;
  /** Null for the quasi-Poisson covariance. */
  maxLags: number | null;
  maxLagsSource: "rule" | "explicit" | null;
  nobs: number;
  distribution: "normal" | "t";
  confidenceLevel: number;
  note: string | null;
}

export function poissonSegmentedRegression(pre: ArrayLike<number>, post: ArrayLike<number>, options: PoissonSegmentedOptions = {}): PoissonSegmentedResult {
  checkWindows("Poisson segmented regression", pre, post);
  const { y, design, eventIndex } = segmentedDesign(pre, post, options.gapDays ?? 0);
  const n = y.length;
  const k = design.length;
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const covarianceType = options.covariance ?? "hac";
  if (covarianceType === "quasi-poisson" && (options.useT === true || options.useCorrection === true || options.maxLags != null)) {
    throw new RangeError("Poisson segmented regression: maxLags, useT and useCorrection apply to the HAC covariance only");
  }
  const lags = covarianceType === "hac" ? resolveMaxLags(options.maxLags, n) : null;
  const distribution = options.useT === true ? "t" : "normal";
  const base = {
    covarianceType,
    eventIndex,
    maxLags: lags?.maxLags ?? null,
    maxLagsSource: lags?.maxLagsSource ?? null,
    nobs: n,
    distribution,
    confidenceLevel,
  } as const;
  const failed = (note: string, dispersion: number | null = null): PoissonSegmentedResult => ({
    ...base,
    levelChange: null,
    trendChange: null,
    levelRateRatio: null,
    coefficients: null,
    covariance: null,
    dispersion,
    note,
  });
  if (sum(pre) === 0 || sum(post) === 0) {
    const empty = sum(pre) === 0 && sum(post) === 0 ? "either window" : sum(pre) === 0 ? "the pre window" : "the post window";
    return failed(`no incidents in ${empty}, so its log rate is -infinity and the level change has no finite estimate; use the exact Poisson rate test`);
  }

  const outcome = fitPoissonGlm(y, design);
  if (outcome.fit === null) return failed(outcome.note);
  const fit = outcome.fit;
  // Every day on the fitted curve (e.g. the same count every day): the Pearson residuals,
  // hence the dispersion, the HAC meat and every standard error, are 0 up to rounding, so
  // there is no test and no interval, only the estimate (countsFittedExactly).
  if (fit.exactFit) {
    return { ...failed(POISSON_EXACT_FIT_NOTE, 0), levelRateRatio: { estimate: Math.exp(fit.coefficients[2] as number), ciLow: null, ciHigh: null } };
  }

  let coefficients: Coefficient[];
  let covariance: number[][];
  let dispersion: number;
  if (covarianceType === "quasi-poisson") {
    ({ coefficients, covariance, dispersion } = quasiPoissonTable(fit, design, confidenceLevel));
  } else {
    // Scores of the Poisson log-likelihood: (y_t - mu_t) x_t; bread (X' diag(mu) X)^-1.
    const scores = zeros(n, k);
    for (let t = 0; t < n; t += 1) {
      const residual = (y[t] as number) - (fit.fitted[t] as number);
      for (let j = 0; j < k; j += 1) scores.data[t * k + j] = residual * ((design[j] as DesignColumn).values[t] as number);
    }
    const hac = sandwich(fit.inverseInformation, neweyWestMeat(scores, (lags as { maxLags: number }).maxLags));
    if (options.useCorrection === true) for (let i = 0; i < hac.data.length; i += 1) hac.data[i] = (hac.data[i] as number) * (n / (n - k));
    coefficients = waldCoefficients(
      design.map((column) => column.name),
      fit.coefficients,
      hac,
      distribution === "t" ? { distribution: "t", df: n - k } : { distribution: "normal" },
      confidenceLevel,
    );
    covariance = toRows(hac);
    dispersion = fit.pearsonChi2 / fit.dfResid;
  }
  const [, , levelChange, trendChange] = coefficients as [Coefficient, Coefficient, Coefficient, Coefficient];
  return {
    ...base,
    levelChange,
    trendChange,
    levelRateRatio: { estimate: Math.exp(levelChange.estimate), ciLow: Math.exp(levelChange.ciLow), ciHigh: Math.exp(levelChange.ciHigh) },
    coefficients,
    covariance,
    dispersion,
    note: null,
  };
}
