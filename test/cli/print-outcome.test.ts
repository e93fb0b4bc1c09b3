// What `run` prints: one line per headline number, its change per day as the report writes
// it (dollars for losses, incidents for counts) and signed, never in exponent notation; and
// each warning once, however many events and variants share it.
import { describe, expect, it } from "vitest";
import { headlineText, warningLines } from "../../src/cli/print-outcome.js";
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

describe("warningLines", () => {
  const cell = (id: string, ...messages: string[]) => ({ spec: { cell: { id } }, warnings: messages.map((message) => ({ message })) });

  it("prints a warning every event and variant gives once, without naming them, and names the cells of one some give", () => {
    const runs = [cell("treaty", "9 incident(s) have an unknown amount", "the post window was cut"), cell("treaty--slowmist", "9 incident(s) have an unknown amount"), cell("tornado", "9 incident(s) have an unknown amount", "the post window was cut")];
    expect(warningLines("analyses/s.yaml", runs)).toEqual(["analyses/s.yaml: 9 incident(s) have an unknown amount", "analyses/s.yaml [treaty, tornado]: the post window was cut"]);
  });

  it("names no cell for a spec with one", () => {
    expect(warningLines("analyses/s.yaml", [cell("main", "a warning")])).toEqual(["analyses/s.yaml: a warning"]);
  });
});
