// Window sensitivity when the data's coverage cuts the longer lengths short: a length cut
// to the same windows as a shorter one is listed once (it would only repeat that point and
// make "the same direction at every length" hold by construction), a cut length says so,
// and with fewer than two lengths left the verdict says the check could not be made.
import { describe, expect, it } from "vitest";
import { buildCharts } from "../../src/report/charts/index.js";
import { basicSpec, runFixture } from "../helpers/study-fixture.js";

// One incident every other day over the 40 days of coverage, group "a" on odd days of the month.
const csv = [
  "date,amount,name,actor",
  ...Array.from({ length: 20 }, (_, index) => {
    const day = new Date(Date.UTC(2024, 0, 1 + index * 2)).toISOString().slice(0, 10);
    return `${day},${1000 * (index + 1)},hack ${index},${index % 2 === 0 ? "a" : "b"}`;
  }),
].join("\n");

describe("window sensitivity cut by coverage", () => {
  it("lists a length cut to the same windows as a shorter one once, and marks a cut length", async () => {
    // Coverage 2024-01-01..02-09 (40 days), event 2024-01-21: at most 20 days fit each side.
    const run = await runFixture(
      basicSpec({
        coverage: "coverage: {start: 2024-01-01, end: 2024-02-09}",
        event: "event: {date: 2024-01-21, label: the event}",
        extra: "robustness: {placebo: false, sensitivity_days: [10, 15, 20, 30, 60]}",
      }),
      csv,
    );
    const a = run.analysis.comparisons.find((item) => item.group === "A" && item.metric === "daily_loss");
    // 10, 15 and 20 days fit; 30 and 60 are both cut to 20/20, the windows of 20: not listed again.
    expect(a?.sensitivity.map((point) => [point.days, point.pre.days, point.post.days, point.clipped])).toEqual([
      [10, 10, 10, false],
      [15, 15, 15, false],
      [20, 20, 20, false],
    ]);
    const chart = buildCharts(run).find((item) => item.id === "window-sensitivity");
    expect(chart?.table.rows.filter((row) => row[0] === "A").map((row) => row[1])).toEqual(["10", "15", "20"]);
  });

  it("marks a length the coverage cut short with the days used (pre/post)", async () => {
    // Event 2024-02-01: 31 days fit before it, 9 after (coverage ends 02-09).
    const run = await runFixture(
      basicSpec({
        coverage: "coverage: {start: 2024-01-01, end: 2024-02-09}",
        event: "event: {date: 2024-02-01, label: the event}",
        windows: "windows:\n  pre: {days: 9}\n  post: {days: 9}",
        extra: "robustness: {placebo: false, sensitivity_days: [30, 60]}",
      }),
      csv,
    );
    const a = run.analysis.comparisons.find((item) => item.group === "A" && item.metric === "daily_loss");
    // 30: pre 30 days, post cut to 9; 60: pre cut to 31, post 9: other windows, so listed.
    expect(a?.sensitivity.map((point) => [point.days, point.pre.days, point.post.days, point.clipped])).toEqual([
      [30, 30, 9, true],
      [60, 31, 9, true],
    ]);
    const chart = buildCharts(run).find((item) => item.id === "window-sensitivity");
    expect(chart?.table.rows.filter((row) => row[0] === "A").map((row) => row[1])).toEqual(["30 (cut: 30/9)", "60 (cut: 31/9)"]);
  });
});
