// The sentences across events and variants must be true of the numbers: same direction or
// not, same evidence level or not, with each cell's change.
import { describe, expect, it } from "vitest";
import type { Headline } from "../../src/living/headlines.js";
import type { CellOverview } from "../../src/report/results-json.js";
import { agreementLines } from "../../src/report/study-sections.js";

const headline = (subject: string, change: number, relative: number | null, level: string, metric: Headline["metric"] = "daily_loss"): Headline => ({
  subject,
  metric,
  kind: relative === null ? "did" : "group",
  preMean: 100,
  postMean: 100 + change,
  change,
  relative,
  interval: null,
  primaryMethod: "block_permutation",
  pValue: 0.5,
  adjustedPValue: 1,
  level,
  preIncidents: null,
  postIncidents: null,
});

const cell = (id: string, name: string, headlines: Headline[]): CellOverview => ({
  id,
  event: { id: "e", label: "Event", date: "2024-06-19" },
  variant: { id, name },
  headlines,
  incidents: { pre: 1, post: 1 },
  path: `${id}/index.html`,
});

describe("agreementLines", () => {
  it("says whether the variants agree on the direction and on the evidence, with each one's change", () => {
    const cells = [
      cell("a", "Source A", [headline("DPRK", -15, -0.15, "none"), headline("Other", 5, 0.05, "none"), headline("DPRK − Other (DiD)", -2_000_000, null, "none")]),
      cell("b", "Source B", [headline("DPRK", -54, -0.54, "some"), headline("Other", -3, -0.03, "none"), headline("DPRK − Other (DiD)", 1_500, null, "none")]),
    ];
    expect(agreementLines(cells, { events: false, variants: true })).toEqual([
      // -54% is 3.6 times -15%: same direction, not the same size.
      "DPRK, daily loss: all 2 point the same way (down), the largest 3.6 times the smallest, but differ on the evidence (none vs some): Source A -15.0%, Source B -54.0%.",
      // Opposite signs, neither significant: noise, not a disagreement.
      "Other, daily loss: the estimates point different ways, but none is significant (evidence none): Source A +5.0%, Source B -3.0%.",
      "DPRK − Other (DiD), daily loss: the estimates point different ways, but none is significant (evidence none): Source A -$2.00M/day, Source B +$1.5k/day.",
    ]);
  });

  it("calls opposite directions a disagreement only when at least one of them is significant, and similar sizes are not remarked on", () => {
    const cells = [
      cell("a", "Source A", [headline("DPRK", -50, -0.5, "strong"), headline("Other", 5, 0.05, "none")]),
      cell("b", "Source B", [headline("DPRK", 20, 0.2, "none"), headline("Other", 6, 0.06, "none")]),
    ];
    expect(agreementLines(cells, { events: false, variants: true })).toEqual([
      "DPRK, daily loss: they disagree on the direction, and on the evidence (strong vs none): Source A -50.0%, Source B +20.0%.",
      "Other, daily loss: all 2 point the same way (up), with the same evidence level (none): Source A +5.0%, Source B +6.0%.",
    ]);
  });
});
