/**
 * Welch's two-sample t-test (unequal variances), two-sided.
 *
 * Compares the means of two independent samples without assuming equal variances; the
 * degrees of freedom come from the Welch–Satterthwaite equation. Here the samples are
 * the post- and pre-window daily values, so a positive t means the post mean is higher.
 *
 * Caveat for this engine's data: the test assumes independent days and a roughly normal
 * sampling distribution of the mean. Daily hack losses are mostly zero, heavy-tailed and
 * autocorrelated, so the p-value can be far from its nominal level; the report says so.
 *
 * Reference: Welch (1947), Biometrika 34. Matches scipy.stats.ttest_ind(x, y, equal_var=False).
 */
import { InsufficientDataError } from "../errors.js";
import { studentTCdf } from "./distributions.js";
import { mean, sampleVariance } from "./descriptive.js";

export interface WelchResult {
  /** t = (mean(x) - mean(y)) / standard error; null when both samples are constant. */
  statistic: number | null;
  df: number | null;
  pValue: number | null;
  note: string | null;
}

export function welchTTest(x: ArrayLike<number>, y: ArrayLike<number>): WelchResult {
  if (x.length < 2 || y.length < 2) throw new InsufficientDataError("Welch's t-test", "at least 2 days in each window");
  const varianceOverN = [sampleVariance(x) / x.length, sampleVariance(y) / y.length] as const;
  const standardErrorSquared = varianceOverN[0] + varianceOverN[1];
  if (standardErrorSquared === 0) {
    return { statistic: null, df: null, pValue: null, note: "both windows have constant daily values, so the t statistic is undefined" };
  }
  const statistic = (mean(x) - mean(y)) / Math.sqrt(standardErrorSquared);
  const df = standardErrorSquared ** 2 / (varianceOverN[0] ** 2 / (x.length - 1) + varianceOverN[1] ** 2 / (y.length - 1));
  // 2 * lower tail at -|t|: keeps precision for tiny p-values, where 1 - cdf would round to 0.
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(statistic), df));
  return { statistic, df, pValue, note: null };
}
