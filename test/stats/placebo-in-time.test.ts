// Placebo in time on series small enough to enumerate by hand.
import { describe, expect, it } from "vitest";
import { placeboInTime, prefixSums } from "../../src/stats/placebo-in-time.js";

describe("prefixSums", () => {
  it("starts at zero and accumulates", () => {
    expect(Array.from(prefixSums([1, 2, 3]))).toEqual([0, 1, 3, 6]);
  });
});

describe("placeboInTime", () => {
  // 20 days; the real event at index 10 with 2-day windows: pre = 8..9, post = 10..11.
  const values = [0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 0, 2, 0, 0, 0, 0];
  const layout = { eventIndex: 10, preDays: 2, postDays: 2, gapBefore: 0, gapAfter: 0 };

  it("uses only dates whose windows fit in the series and miss the real span", () => {
    const result = placeboInTime(values, layout);
    // Eligible event days d: windows d-2..d+1 inside 0..19 and not touching 8..11,
    // so d in 2..6 (ends at d+1 <= 7) or d in 14..18 (starts at d-2 >= 12).
    expect(Array.from(result.eventIndices)).toEqual([2, 3, 4, 5, 6, 14, 15, 16, 17, 18]);
    // Real effect: post mean (6+0)/2 = 3 minus pre mean (0+0)/2 = 0.
    expect(result.observed).toBe(3);
    // Placebo effects by hand, post mean − pre mean:
    // d=2: (1+0)/2-(0+0)/2=0.5; d=3: 0-0.5=-0.5; d=4: 0-0.5=-0.5; d=5: (0+4)/2-0=2; d=6: 2-0=2
    // d=14: (0+2)/2-0=1; d=15: 1-0=1; d=16: 0-1=-1; d=17: 0-1=-1; d=18: 0-0=0
    expect(Array.from(result.effects)).toEqual([0.5, -0.5, -0.5, 2, 2, 1, 1, -1, -1, 0]);
    expect(result.atLeastAsExtreme).toBe(0);
    expect(result.pValue).toBe(1 / 11);
    // The pre mean is 0, so the log ratio is undefined at the real date.
    expect(result.relative).toEqual({ observed: null, eligible: 0, atLeastAsExtreme: 0, pValue: null });
  });

  it("counts ties with the real effect as at least as extreme", () => {
    const result = placeboInTime(values, { ...layout, eventIndex: 5 });
    // Real at d=5: pre 3..4 = 0, post 5..6 = (0+4)/2 = 2, effect 2.
    expect(result.observed).toBe(2);
    expect(result.pValue).toBe((1 + result.atLeastAsExtreme) / (1 + result.effects.length));
    expect(result.atLeastAsExtreme).toBeGreaterThanOrEqual(1); // d=10 gives 3 - 0 = 3
  });

  it("has no p-value when no date is eligible", () => {
    const result = placeboInTime([1, 2, 3, 4], { eventIndex: 2, preDays: 2, postDays: 2, gapBefore: 0, gapAfter: 0 });
    expect(result.effects.length).toBe(0);
    expect(result.pValue).toBeNull();
  });
});
