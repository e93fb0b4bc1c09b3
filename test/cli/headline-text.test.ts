// The one line `run` prints per headline number: changes per day as the report writes them
// (dollars for losses, incidents for counts) and signed, never in exponent notation.
import { describe, expect, it } from "vitest";
import { headlineText } from "../../src/cli/print-outcome.js";
import type { Headline } from "../../src/living/headlines.js";

const base: Headline = {
  subject: "DPRK − Other (DiD)",
  did: { treated: "DPRK", controls: ["Other"] },
  metric: "daily_loss",
  kind: "did",
  preMean: 0,
  postMean: 0,
  change: -183009,
  relative: null,
  interval: null,
  primaryMethod: "block_permutation",
  pValue: 0.312,
  adjustedPValue: 1,
  level: "none",
  preIncidents: null,
  postIncidents: null,
};

describe("headlineText", () => {
  it("writes a difference in differences per day in dollars or incidents, with its sign (it printed -1.830e+5/day and 0.007323/day)", () => {
    expect(headlineText(base)).toBe("DPRK − Other (DiD) daily_loss: -$183.0k/day; block_permutation p=0.312 (adjusted 1.00); evidence: none");
    expect(headlineText({ ...base, change: 1_611_000 })).toContain("daily_loss: +$1.61M/day;");
    expect(headlineText({ ...base, metric: "daily_incidents", change: 0.007323 })).toContain("daily_incidents: +0.007 incidents/day;");
  });

  it("writes a group's change as a signed percentage, and per day when there is no baseline", () => {
    expect(headlineText({ ...base, subject: "DPRK", kind: "group", relative: -0.152, change: -1 })).toContain("DPRK daily_loss: -15.2%;");
    expect(headlineText({ ...base, subject: "DPRK", kind: "group", relative: null, change: 5000 })).toContain("DPRK daily_loss: +$5.0k/day;");
  });
});
