/**
 * Ordinary least squares with Newey–West HAC (heteroskedasticity- and autocorrelation-
 * consistent) standard errors.
 *
 * What: b = (X'X)^-1 X'y, and Cov(b) = (X'X)^-1 S (X'X)^-1 with the Bartlett-kernel
 * long-run covariance of the scores s_t = x_t u_t:
 *   S = sum_t s_t s_t' + sum_{l=1..L} (1 - l / (L + 1)) sum_{t>=l} (s_t s_{t-l}' + s_{t-l} s_t').
 * When to use: a regression on a daily series whose errors are autocorrelated (hacks
 * cluster in time) or heteroskedastic (mostly-zero days next to huge ones); plain OLS
 * standard errors would be too small.
 * Assumptions: consecutive, equally spaced observations; errors weakly dependent, with
 * correlation negligible beyond L days; large n (the HAC estimate is biased downwards in
 * short series, and the normal reference distribution is asymptotic).
 *
 * Choices, all as in statsmodels 0.13.5 `sm.OLS(y, X).fit(cov_type='HAC',
 * cov_kwds={'maxlags': L})` (regression/linear_model.py, get_robustcov_results, and
 * stats/sandwich_covariance.py, cov_hac_simple / S_hac_simple):
 * - maxLags: explicit L, or (null/undefined) the Newey–West (1994) rule of thumb
 *   L = floor(4 (n / 100)^(2/9)), the default of statsmodels' S_hac_simple. (statsmodels'
 *   OLS requires maxlags; the rule is what S_hac_simple uses when it is None.)
 * - No small-sample correction by default: OLS HAC uses use_correction=False (the
 *   n / (n - k) factor is opt-in, `useCorrection: true`), and df_correction only applies
 *   to cluster/panel covariances.
 * - Normal reference distribution by default (results.use_t is False for HAC): z
 *   statistics, p = 2 * Phi(-|z|), CI b -/+ z_{1-a/2} se. `useT: true` switches to Student t
 *   with n - k degrees of freedom, like fit(..., use_t=True).
 * - Coefficients by Householder QR (linear-algebra.ts) rather than statsmodels' pinv; they
 *   agree to ~1e-13 on the designs used here.
 *
 * The Wald-table helpers shared by the regression kernels (waldCoefficients, an accurate
 * normal CDF, normal and t quantiles) live here too, next to their first user.
 *
 * References: Newey & West (1987), Econometrica 55; Newey & West (1994), Review of
 * Economic Studies 61 (the lag rule).
 */
import { DataError, InsufficientDataError } from "../errors.js";
import { normalQuantile, standardNormalCdf, studentTCdf, studentTQuantile } from "./distributions.js";
import { fromColumns, leastSquares, RankDeficientError, sandwich, toRows, zeros, type LeastSquaresSolution, type Matrix } from "./linear-algebra.js";


export interface DesignColumn {
  name: string;
  values: ArrayLike<number>;
}

export interface Coefficient {
  name: string;
  estimate: number;
  standardError: number;
  /** z (normal reference) or t statistic: estimate / standardError. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

export interface HacOptions {
  /** Highest lag L in the Bartlett window; null or absent: floor(4 (n / 100)^(2/9)). */
  maxLags?: number | null;
  confidenceLevel?: number;
  /** Multiply the covariance by n / (n - k) (statsmodels use_correction=True). Default false. */
  useCorrection?: boolean;
  /** Student t with n - k df instead of the normal (statsmodels use_t=True). Default false. */
  useT?: boolean;
}

export interface HacOlsResult {
  coefficients: Coefficient[];
  /** The HAC covariance of the coefficients, rows and columns in design order. */
  covariance: number[][];
  maxLags: number;
  /** "rule" when maxLags came from floor(4 (n / 100)^(2/9)), "explicit" when given. */
  maxLagsSource: "rule" | "explicit";
  nobs: number;
  dfResid: number;
  distribution: "normal" | "t";
  confidenceLevel: number;
  residuals: Float64Array;
}

export const HAC_LAG_RULE = "floor(4 (n / 100)^(2/9)) (Newey–West 1994)";

/** Newey–West (1994) rule of thumb, as statsmodels' S_hac_simple: floor(4 (n / 100)^(2/9)). */
export function defaultHacMaxLags(n: number): number {
  return Math.floor(4 * Math.pow(n / 100, 2 / 9));
}

/** The Bartlett-kernel long-run covariance S of the rows of `scores` (n x k). */
export function neweyWestMeat(scores: Matrix, maxLags: number): Matrix {
  const { rows: n, cols: k } = scores;
  const meat = zeros(k, k);
  const s = scores.data;
  for (let lag = 0; lag <= Math.min(maxLags, n - 1); lag += 1) {
    const weight = 1 - lag / (maxLags + 1);
    for (let i = 0; i < k; i += 1) {
      for (let j = 0; j < k; j += 1) {
        // Gamma_lag[i][j] = sum_t s[t][i] s[t - lag][j]; S gets w (Gamma + Gamma') for lag > 0.
        let sum = 0;
        for (let t = lag; t < n; t += 1) sum += (s[t * k + i] as number) * (s[(t - lag) * k + j] as number);
        const contribution = weight * sum;
        meat.data[i * k + j] = (meat.data[i * k + j] as number) + contribution;
        if (lag > 0) meat.data[j * k + i] = (meat.data[j * k + i] as number) + contribution;
      }
    }
  }
  return meat;
}


/** Wald table: estimate, se, statistic, two-sided p-value and CI for each coefficient. */
export function waldCoefficients(
  names: readonly string[],
  estimates: ArrayLike<number>,
  covariance: Matrix,
  reference: { distribution: "normal" } | { distribution: "t"; df: number },
  confidenceLevel: number,
): Coefficient[] {
  const upper = 1 - (1 - confidenceLevel) / 2;
  const critical = reference.distribution === "normal" ? normalQuantile(upper) : studentTQuantile(upper, reference.df);
  return names.map((name, j) => {
    const estimate = estimates[j] as number;
    const standardError = Math.sqrt(covariance.data[j * covariance.cols + j] as number);
    const statistic = estimate / standardError;
    const lowerTail = reference.distribution === "normal" ? standardNormalCdf(-Math.abs(statistic)) : studentTCdf(-Math.abs(statistic), reference.df);
    return {
      name,
      estimate,
      standardError,
      statistic,
      pValue: Math.min(1, 2 * lowerTail),
      ciLow: estimate - critical * standardError,
      ciHigh: estimate + critical * standardError,
    };
  });
}

/** Checks an explicit maxLags, or applies the rule; shared with the Poisson HAC variant. */
export function resolveMaxLags(maxLags: number | null | undefined, n: number): { maxLags: number; maxLagsSource: "rule" | "explicit" } {
  if (maxLags === null || maxLags === undefined) return { maxLags: defaultHacMaxLags(n), maxLagsSource: "rule" };
  if (!Number.isInteger(maxLags) || maxLags < 0) throw new RangeError(`HAC covariance: maxLags must be a whole number of days >= 0, got ${maxLags}`);
  return { maxLags, maxLagsSource: "explicit" };
}

export function hacOls(y: ArrayLike<number>, design: readonly DesignColumn[], options: HacOptions = {}): HacOlsResult {
  const method = "OLS with Newey–West HAC standard errors";
  const n = y.length;
  const k = design.length;
  if (n <= k) throw new InsufficientDataError(method, `at least ${k + 1} observations for ${k} coefficients (got ${n})`);
  for (const column of design) {
    if (column.values.length !== n) throw new RangeError(`${method}: column "${column.name}" has ${column.values.length} values, y has ${n}`);
  }
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const { maxLags, maxLagsSource } = resolveMaxLags(options.maxLags, n);
  const x = fromColumns(design.map((column) => column.values));
  let solution: LeastSquaresSolution;
  try {
    solution = leastSquares(x, y);
  } catch (error) {
    if (error instanceof RankDeficientError) {
      const name = design[error.column]?.name ?? String(error.column + 1);
      throw new DataError(`${method}: column "${name}" is a linear combination of the columns before it (for example constant over the data); drop it or change the windows`);
    }
    throw error;
  }
  const scores = zeros(n, k);
  for (let t = 0; t < n; t += 1) {
    for (let j = 0; j < k; j += 1) scores.data[t * k + j] = (x.data[t * k + j] as number) * (solution.residuals[t] as number);
  }
  const covariance = sandwich(solution.inverseCrossProduct, neweyWestMeat(scores, maxLags));
  if (options.useCorrection === true) for (let i = 0; i < covariance.data.length; i += 1) covariance.data[i] = (covariance.data[i] as number) * (n / (n - k));
  const dfResid = n - k;
  const reference = options.useT === true ? ({ distribution: "t", df: dfResid } as const) : ({ distribution: "normal" } as const);
  return {
    coefficients: waldCoefficients(
      design.map((column) => column.name),
      solution.coefficients,
      covariance,
      reference,
      confidenceLevel,
    ),
    covariance: toRows(covariance),
    maxLags,
    maxLagsSource,
    nobs: n,
    dfResid,
    distribution: reference.distribution,
    confidenceLevel,
    residuals: solution.residuals,
  };
}
