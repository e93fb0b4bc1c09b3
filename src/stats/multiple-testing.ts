/**
 * Multiple-testing adjustments of p-values: Holm (family-wise error rate) and
 * Benjamini–Hochberg (false discovery rate).
 *
 * What: with m p-values sorted ascending, p_(1) <= ... <= p_(m),
 * - Holm: adj_(i) = max_{j <= i} (m - j + 1) p_(j), capped at 1. Controls the chance of
 *   any false rejection, under any dependence between the tests.
 * - Benjamini–Hochberg: adj_(i) = min_{j >= i} p_(j) / (j / m), capped at 1. Controls
 *   the expected share of false rejections; valid for independent or positively
 *   dependent tests (PRDS).
 * A hypothesis is rejected at level alpha when its adjusted p-value is <= alpha.
 * When to use: a study reports several tests (groups x metrics x methods) and a verdict
 * should not rest on the one that happened to come out small. Holm when any false claim
 * is costly; BH when screening many groups.
 *
 * Missing values: null entries (tests that could not be computed) stay null and are not
 * counted in m. Non-null entries must be numbers in [0, 1].
 *
 * Arithmetic as statsmodels 0.13.5 `statsmodels.stats.multitest.multipletests(p,
 * method='holm' | 'fdr_bh')` (the BH step divides by (i / m), as its _ecdf does), so the
 * adjusted values are the same doubles; ties get the same adjusted value in any order.
 * References: Holm (1979), Scand. J. Statistics 6; Benjamini & Hochberg (1995), JRSS B 57.
 */

export type AdjustmentMethod = "holm" | "bh";

export function adjustPValues(pValues: readonly (number | null)[], method: AdjustmentMethod): (number | null)[] {
  const present: number[] = [];
  pValues.forEach((p, index) => {
    if (p === null) return;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`adjustPValues: p-value ${index + 1} is ${p}; p-values must be in [0, 1] (or null for a missing test)`);
    present.push(index);
  });
  // Stable ascending order of the non-null p-values.
  const order = present.sort((a, b) => (pValues[a] as number) - (pValues[b] as number) || a - b);
  const m = order.length;
  const sorted = order.map((index) => pValues[index] as number);
  const adjusted = new Array<number>(m);
  if (method === "holm") {
    let running = 0;
    for (let i = 0; i < m; i += 1) {
      running = Math.max(running, (sorted[i] as number) * (m - i));
      adjusted[i] = running;
    }
  } else {
    let running = Number.POSITIVE_INFINITY;
    for (let i = m - 1; i >= 0; i -= 1) {
      running = Math.min(running, (sorted[i] as number) / ((i + 1) / m));
      adjusted[i] = running;
    }
  }
  const result: (number | null)[] = pValues.map(() => null);
  order.forEach((index, rank) => {
    result[index] = Math.min(1, adjusted[rank] as number);
  });
  return result;
}

/** Holm step-down adjusted p-values; nulls stay null and are not counted. */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  return adjustPValues(pValues, "holm");
}

/** Benjamini–Hochberg step-up adjusted p-values; nulls stay null and are not counted. */
export function benjaminiHochbergAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  return adjustPValues(pValues, "bh");
}
