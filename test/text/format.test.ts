// Percentages as the report and the CLI print them: one decimal, except where one decimal
// would call a fall that is not total "-100.0%".
import { describe, expect, it } from "vitest";
import { formatPercent, percentDigits } from "../../src/text/format.js";

describe("formatPercent", () => {
  it("prints one decimal with a sign", () => {
    expect(formatPercent(-0.152)).toBe("-15.2%");
    expect(formatPercent(2.743)).toBe("+274.3%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatPercent(null)).toBe("undefined");
  });

  it("never rounds a fall that is not total to -100.0%: $25.0k to $10 a day is -99.96%", () => {
    expect(formatPercent(10 / 25_000 - 1)).toBe("-99.96%");
    expect(formatPercent(1 / 1e6 - 1)).toBe("-99.9999%");
    // A total fall is -100.0%, and a doubling +100.0%.
    expect(formatPercent(-1)).toBe("-100.0%");
    expect(formatPercent(1)).toBe("+100.0%");
    expect(percentDigits(0.99996)).toBe("99.996");
  });
});
