/**
 * Mann–Whitney U test (Wilcoxon rank-sum), two-sided, normal approximation with tie
 * correction and continuity correction.
 *
 * Asks whether values from one sample tend to be larger than values from the other,
 * using only ranks, so one huge hack cannot dominate it the way it dominates a mean.
 * With daily losses most days are tied at zero; ties get average ranks and the variance
 * is corrected for them. Because the windows here are long (tens to hundreds of days)
 * and full of ties, the exact distribution is not used.
 *
 * The reported statistic is U for x (the post window): the number of (x, y) pairs with
 * x > y, plus half the tied pairs. Matches
 * scipy.stats.mannwhitneyu(x, y, alternative='two-sided', use_continuity=True, method='asymptotic').
 */
import { InsufficientDataError } from "../errors.js";
import { normalCdf } from "./distributions.js";

export interface MannWhitneyResult {
  statistic: number;
  pValue: number;
  /** Which variant was computed, for the results and the report. */
  variant: string;
}

export const MANN_WHITNEY_VARIANT = "two-sided, normal approximation, tie-corrected variance, continuity correction 0.5";

export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 < 1 || n2 < 1) throw new InsufficientDataError("the Mann–Whitney U test", "at least 1 day in each window");
  const n = n1 + n2;
  const combined = new Float64Array(n);
  for (let index = 0; index < n1; index += 1) combined[index] = x[index] as number;
  for (let index = 0; index < n2; index += 1) combined[n1 + index] = y[index] as number;
  const order = Array.from({ length: n }, (_, index) => index).sort((a, b) => (combined[a] as number) - (combined[b] as number));

  // Average ranks over runs of ties; collect sum(t^3 - t) for the variance correction.
  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && combined[order[end + 1] as number] === combined[order[start] as number]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    const runLength = end - start + 1;
    tieTerm += runLength ** 3 - runLength;
    for (let position = start; position <= end; position += 1) {
      if ((order[position] as number) < n1) rankSumX += averageRank;
    }
    start = end + 1;
  }

  const statistic = rankSumX - (n1 * (n1 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // Two-sided: use the larger of U1 and U2, move it half a unit toward the mean.
  const larger = Math.max(statistic, n1 * n2 - statistic);
  const z = (larger - meanU - 0.5) / sd;
  const pValue = sd === 0 ? 1 : Math.min(1, 2 * normalCdf(-z));
  return { statistic, pValue, variant: MANN_WHITNEY_VARIANT };
}
