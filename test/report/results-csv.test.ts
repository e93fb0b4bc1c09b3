import { describe, expect, it } from "vitest";
import { buildResultsCsv, csvCell } from "../../src/report/results-csv.js";
import type { ResultsJson } from "../../src/report/results-json.js";

describe("results.csv", () => {
  it("writes one row per group x metric x statistic, keyed by dotted paths", () => {
    const results = {
      results: [
        {
          group: 'Lazarus "TraderTraitor", DPRK',
          metric: "daily_loss",
          pre: { mean: 1.5, sd: null },
          change: { relative: -0.25, relativeNote: null },
          tests: [{ method: "welch_t", pValue: 0.04, significant: true }],
        },
      ],
    } as unknown as ResultsJson;
    expect(buildResultsCsv(results)).toBe(
      [
        "group,metric,statistic,value",
        '"Lazarus ""TraderTraitor"", DPRK",daily_loss,pre.mean,1.5',
        '"Lazarus ""TraderTraitor"", DPRK",daily_loss,pre.sd,',
        '"Lazarus ""TraderTraitor"", DPRK",daily_loss,change.relative,-0.25',
        '"Lazarus ""TraderTraitor"", DPRK",daily_loss,change.relativeNote,',
        '"Lazarus ""TraderTraitor"", DPRK",daily_loss,tests.welch_t.pValue,0.04',
        '"Lazarus ""TraderTraitor"", DPRK",daily_loss,tests.welch_t.significant,true',
        "",
      ].join("\n"),
    );
  });
  it("quotes cells with commas, quotes and newlines", () => {
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell(0.1 + 0.2)).toBe("0.30000000000000004");
  });
});
