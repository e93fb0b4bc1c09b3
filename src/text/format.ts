/** Number formatting for people: money, rates, p-values and percentages. */

export function formatUsd(value: number): string {
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${sign}$${(magnitude / 1e9).toFixed(2)}B`;
  if (magnitude >= 1e6) return `${sign}$${(magnitude / 1e6).toFixed(2)}M`;
  if (magnitude >= 1e3) return `${sign}$${(magnitude / 1e3).toFixed(1)}k`;
  return `${sign}$${magnitude.toFixed(0)}`;
}

export function formatRate(value: number): string {
  return value.toFixed(3);
}

export function formatPercent(value: number | null): string {
  if (value === null) return "undefined";
  const sign = value > 0 ? "+" : "";
  return `${sign}${percentDigits(value)}%`;
}

/**
 * A fraction as a percentage number, one decimal ("-15.2"), with more where one decimal
 * would round a fall that is not total to "-100.0" (from $25.0k to $10 a day is -99.96%,
 * not a loss gone to zero).
 */
export function percentDigits(value: number): string {
  const percent = value * 100;
  for (let digits = 1; digits < 6; digits += 1) {
    const text = percent.toFixed(digits);
    if (Math.abs(value) === 1 || Math.abs(Number(text)) !== 100) return text;
  }
  return percent.toFixed(6);
}

export function formatP(value: number | null): string {
  if (value === null) return "n/a";
  if (value < 0.0001) return "<0.0001";
  return value.toFixed(4);
}

export function formatStatistic(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(3);
}
