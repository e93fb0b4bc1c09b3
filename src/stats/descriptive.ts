/**
 * Descriptive statistics of a daily series. Contract shared by every kernel here: inputs
 * are finite numbers (the data layer has already turned missing days into zeros and
 * dropped unusable rows); a statistic that needs more observations than it got throws
 * InsufficientDataError naming the method and the minimum.
 */
import { InsufficientDataError } from "../errors.js";

export function sum(values: ArrayLike<number>): number {
  // Neumaier's compensated sum: daily losses span 1 to 1e9 dollars, and naive summation
  // of thousands of such values loses the small ones.
  let total = 0;
  let compensation = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as number;
    const next = total + value;
    compensation += Math.abs(total) >= Math.abs(value) ? total - next + value : value - next + total;
    total = next;
  }
  return total + compensation;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new InsufficientDataError("mean", "at least 1 observation");
  return sum(values) / values.length;
}

/** Sample variance (denominator n - 1), two-pass for accuracy. */
export function sampleVariance(values: ArrayLike<number>): number {
  if (values.length < 2) throw new InsufficientDataError("sample variance", "at least 2 observations");
  const center = mean(values);
  const squares = new Float64Array(values.length);
  for (let index = 0; index < values.length; index += 1) squares[index] = ((values[index] as number) - center) ** 2;
  return sum(squares) / (values.length - 1);
}

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new InsufficientDataError("median", "at least 1 observation");
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
