/**
 * Exact conditional test for the ratio of two Poisson rates, with an exact interval.
 *
 * What: k1 incidents over n1 post-window days against k0 incidents over n0 pre-window
 * days. If both counts are Poisson, then given the total k1 + k0 the post count is
 * Binomial(k1 + k0, pi) with pi = n1 * R / (n1 * R + n0), where R is the rate ratio
 * (post rate / pre rate). Under H0: R = 1, pi = n1 / (n1 + n0), and the test is a
 * binomial test that needs no large-sample approximation, so it stays valid with the
 * handful of incidents a hack window usually holds.
 *
 * Two-sided p-value: the "minlike" definition of scipy.stats.binomtest, which
 * statsmodels 0.13.5 calls for method='exact-cond': the total probability of every
 * outcome x with P(x) <= P(k1) * (1 + 1e-7) (the relative tolerance treats outcomes whose
 * probabilities differ only by rounding as ties). Ported line by line, including scipy's
 * binary search for the far-side cut-off, so the p-value is the same number.
 *
 * Interval: Clopper–Pearson for pi, mapped through R = pi / (1 - pi) * n0 / n1 (the
 * exact conditional interval of R; statsmodels 0.13.5 has no confint_poisson_2indep, so
 * the reference is scipy's beta quantiles). The upper limit for pi is computed as
 * 1 - (a lower limit of 1 - pi), so it keeps full precision when pi is near 1.
 *
 * When to use: comparing incident counts between the two windows when days are roughly
 * independent and the daily rate is constant within each window. Clustered incidents
 * (overdispersion) make this test too liberal; see overdispersed-rate-ratio.ts.
 *
 * Zero counts: k1 = 0 gives R = 0 with a lower limit of 0; k0 = 0 gives an unbounded R
 * (rateRatio and ciHigh null, with a note) while the p-value and the lower limit are
 * still exact; k1 = k0 = 0 says nothing (everything null, with a note; scipy raises).
 *
 * Numerics: the binomial probabilities come from the ratio recurrence
 * P(x + 1) / P(x) = (N - x) / (x + 1) * pi / (1 - pi) in log space, normalized with
 * log-sum-exp, so their relative error stays near 1e-13 for any realistic N; quantiles of
 * the beta distribution are found by safeguarded Newton iteration on the incomplete beta
 * function of distributions.ts.
 *
 * References: Przyborowski & Wilenski (1940), Biometrika 31; Gu, Ng, Tang & Schucany
 * (2008), Biometrical Journal 50; Clopper & Pearson (1934), Biometrika 26. Matches
 * statsmodels.stats.rates.test_poisson_2indep(k1, n1, k0, n0, method='exact-cond') and
 * scipy.stats.beta.ppf for the interval.
 */
import { InsufficientDataError } from "../errors.js";
import { logGamma, regularizedIncompleteBeta } from "./distributions.js";

export interface PoissonCounts {
  /** Number of incidents in the window (a non-negative integer). */
  count: number;
  /** Exposure: the number of days in the window (positive). */
  days: number;
}

export interface PoissonRateTestResult {
  /** Post rate over pre rate, (k1 / n1) / (k0 / n0); null when k0 = 0 (unbounded or undefined). */
  rateRatio: number | null;
  /** Two-sided exact conditional p-value (binomtest "minlike"); null when k1 = k0 = 0. */
  pValue: number | null;
  /** Probability of a post-window incident under H0: n1 / (n1 + n0). */
  nullProportion: number;
  confidenceLevel: number;
  /** Exact (Clopper–Pearson) lower limit for the rate ratio; null when k1 = k0 = 0. */
  ciLow: number | null;
  /** Exact upper limit; null when unbounded (k0 = 0) or undefined. */
  ciHigh: number | null;
  note: string | null;
}

export const POISSON_RATE_TEST_VARIANT =
  "exact conditional binomial test of the post/pre Poisson rate ratio, two-sided by the minimum-likelihood rule, Clopper–Pearson interval";

const METHOD = "the exact Poisson rate-ratio test";

export function poissonRateTest(post: PoissonCounts, pre: PoissonCounts, confidenceLevel = 0.95): PoissonRateTestResult {
  for (const [name, window] of [
    ["post", post],
    ["pre", pre],
  ] as const) {
    if (!(window.days > 0)) throw new InsufficientDataError(METHOD, `at least 1 day in each window (the ${name} window has ${window.days})`);
    if (!Number.isInteger(window.count) || window.count < 0) {
      throw new RangeError(`${METHOD}: the ${name} count must be a non-negative integer, got ${window.count}`);
    }
  }
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError(`${METHOD}: confidenceLevel must be between 0 and 1, got ${confidenceLevel}`);

  const k1 = post.count;
  const k0 = pre.count;
  const total = k1 + k0;
  // statsmodels' arithmetic: d = n0 / n1, r_d = ratio_null / d, prop = r_d / (1 + r_d).
  const rd = 1 / (pre.days / post.days);
  const nullProportion = rd / (1 + rd);
  if (total === 0) {
    return {
      rateRatio: null,
      pValue: null,
      nullProportion,
      confidenceLevel,
      ciLow: null,
      ciHigh: null,
      note: "no incidents in either window, so the rate ratio is undefined and there is nothing to test",
    };
  }

  const pValue = binomialTwoSidedMinLike(k1, total, nullProportion);

  // Clopper–Pearson limits for pi, then R = pi / (1 - pi) * n0 / n1.
  const alphaHalf = (1 - confidenceLevel) / 2;
  const exposureRatio = pre.days / post.days;
  const piLow = k1 === 0 ? 0 : betaQuantile(alphaHalf, k1, k0 + 1);
  const ciLow = (piLow / (1 - piLow)) * exposureRatio;
  let ciHigh: number | null = null;
  if (k0 > 0) {
    const oneMinusPiHigh = betaQuantile(alphaHalf, k0, k1 + 1);
    ciHigh = ((1 - oneMinusPiHigh) / oneMinusPiHigh) * exposureRatio;
  }

  if (k0 === 0) {
    return {
      rateRatio: null,
      pValue,
      nullProportion,
      confidenceLevel,
      ciLow,
      ciHigh: null,
      note: "no incidents in the pre window, so the rate ratio and the upper confidence limit are unbounded; the p-value and the lower limit are exact",
    };
  }
  const rateRatio = k1 / post.days / (k0 / pre.days);
  return {
    rateRatio,
    pValue,
    nullProportion,
    confidenceLevel,
    ciLow,
    ciHigh,
    note: k1 === 0 ? "no incidents in the post window, so the rate ratio is 0 and the lower confidence limit is 0" : null,
  };
}

/**
 * The Binomial(n, p) probabilities worth computing: P(first + i) is `probabilities[i]`, and
 * every outcome outside first..last has probability 0 in floating point (a few just inside
 * the ends may be 0 too).
 */
export interface BinomialMass {
  first: number;
  last: number;
  probabilities: Float64Array;
}

/**
 * Binomial(n, p) probabilities, relative error ~1e-13: log ratios from the mode outwards,
 * then normalized so they sum to 1.
 *
 * Only the outcomes whose weight (before normalizing) does not underflow are kept. The
 * log weights fall monotonically away from the mode (0 there), so once exp() of one is 0,
 * so is every one further out: leaving them out changes no sum (x + 0 is x) and no
 * probability (they are 0 either way), and the probabilities and p-values are bit for bit
 * those of the whole range. What it saves: the whole range is the total incident count,
 * millions in a telemetry study (5M at 50M rows: ~1 s per test), where the kept range is
 * ~38 standard deviations either side of the mode (~86,000 outcomes at 5M, p = 0.5).
 */
export function binomialMass(n: number, p: number): BinomialMass {
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logOdds = Math.log(p) - Math.log1p(-p);
  // Log weights above the mode (from the mode up) and below it (from the mode down).
  const above = [0];
  for (let x = mode; x < n; x += 1) {
    const next = (above[above.length - 1] as number) + Math.log((n - x) / (x + 1)) + logOdds;
    if (Math.exp(next) === 0) break;
    above.push(next);
  }
  const below: number[] = [];
  for (let x = mode, previous = 0; x > 0; x -= 1) {
    const next = previous + Math.log(x / (n - x + 1)) - logOdds;
    if (Math.exp(next) === 0) break;
    below.push(next);
    previous = next;
  }
  const first = mode - below.length;
  const logWeights = Float64Array.from([...below.reverse(), ...above]);
  // logWeights at the mode is 0, the largest, so the sum is at least 1 and nothing overflows.
  let total = 0;
  for (const logWeight of logWeights) total += Math.exp(logWeight);
  const logTotal = Math.log(total);
  const probabilities = logWeights.map((logWeight) => Math.exp(logWeight - logTotal));
  return { first, last: first + probabilities.length - 1, probabilities };
}

/** scipy.stats.binomtest(k, n, p, alternative='two-sided').pvalue (scipy 1.10), ported. */
export function binomialTwoSidedMinLike(k: number, n: number, p: number): number {
  const { first, last, probabilities } = binomialMass(n, p);
  const at = (x: number): number => (x < first || x > last ? 0 : (probabilities[x - first] as number));
  // Sums over every outcome in order, skipping only the ones of probability 0.
  const cdf = (x: number): number => {
    let sum = 0;
    for (let i = first; i <= Math.min(x, last); i += 1) sum += at(i);
    return sum;
  };
  const sf = (x: number): number => {
    let sum = 0;
    for (let i = Math.max(x + 1, first); i <= last; i += 1) sum += at(i);
    return sum;
  };
  const d = at(k);
  const rerr = 1 + 1e-7;
  let pValue: number;
  if (k === p * n) {
    pValue = 1;
  } else if (k < p * n) {
    const ix = binarySearchForBinomTest((x) => -at(x), -d * rerr, Math.ceil(p * n), n);
    const y = n - ix + (d * rerr === at(ix) ? 1 : 0);
    pValue = cdf(k) + sf(n - y);
  } else {
    const ix = binarySearchForBinomTest(at, d * rerr, 0, Math.floor(p * n));
    const y = ix + 1;
    pValue = cdf(y - 1) + sf(k - 1);
  }
  return Math.min(1, pValue);
}

/** scipy's _binary_search_for_binom_tst: the i in [lo, hi] with a(i) <= d < a(i + 1), a ascending. */
function binarySearchForBinomTest(a: (x: number) => number, d: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const midValue = a(mid);
    if (midValue < d) lo = mid + 1;
    else if (midValue > d) hi = mid - 1;
    else return mid;
  }
  return a(lo) <= d ? lo : lo - 1;
}

/**
 * The q-quantile of Beta(a, b): the x with I_x(a, b) = q. Newton steps on the regularized
 * incomplete beta, kept inside a shrinking bisection bracket; converges to ~1e-14 relative.
 */
export function betaQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  const logBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
  let lo = 0;
  let hi = 1;
  let x = a / (a + b);
  for (let iteration = 0; iteration < 500; iteration += 1) {
    const error = regularizedIncompleteBeta(x, a, b) - q;
    if (error === 0) return x;
    if (error > 0) hi = x;
    else lo = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta);
    let next = x - error / density;
    // Outside the bracket (or not finite): bisect instead, geometrically near 0 so tiny
    // quantiles are reached in a few dozen steps.
    if (!(next > lo && next < hi)) next = lo === 0 ? hi / 16 : (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * x) return next;
    x = next;
  }
  return x;
}
