// Hand-checkable tables: every expected number below can be verified by adding up the
// rows of the CSV in the same test. Tests run under TZ=Pacific/Chatham (vitest.config.ts)
// so a bucketing bug that uses the process's zone shows up as an off-by-one day.
import { describe, expect, it } from "vitest";
import type { StudyRun } from "../../src/pipeline.js";
import { basicSpec, runFixture } from "../helpers/study-fixture.js";

const find = (run: StudyRun, group: string, metric: "daily_loss" | "daily_incidents") => {
  const comparison = run.comparisons.find((item) => item.group === group && item.metric === metric);
  if (comparison === undefined) throw new Error(`no comparison for ${group} ${metric}`);
  return comparison;
};
const seriesOf = (run: StudyRun, group: string) => {
  const series = run.series.groups.find((item) => item.group === group);
  if (series === undefined) throw new Error(`no series for ${group}`);
  return series;
};

describe("daily series", () => {
  it("fills days without incidents with zero and sums same-day incidents", async () => {
    const csv = "date,amount,name,actor\n2024-01-03,100,x1,a\n2024-01-03,50,x2,a\n2024-01-09,30,x3,b\n2024-01-12,400,x4,a\n";
    const run = await runFixture(basicSpec(), csv);
    // pre = 2024-01-01..2024-01-10, post = 2024-01-11..2024-01-20
    expect(run.windows.pre).toEqual({ start: 19723, end: 19732 });
    const a = seriesOf(run, "A");
    expect(Array.from(a.loss.subarray(0, 10))).toEqual([0, 0, 150, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(a.incidents.subarray(0, 10))).toEqual([0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
    const loss = find(run, "A", "daily_loss");
    expect(loss.pre).toMatchObject({ days: 10, incidents: 2, total: 150, mean: 15, median: 0, daysWithIncidents: 1 });
    expect(loss.post).toMatchObject({ days: 10, incidents: 1, total: 400, mean: 40 });
    expect(loss.change).toEqual({ absolute: 25, relative: 25 / 15, relativeNote: null });
    const all = find(run, "All", "daily_loss");
    expect(all.pre.total).toBe(180);
    expect(all.post.total).toBe(400);
  });

  it("reports the relative change as undefined, with a reason, when the pre mean is 0", async () => {
    const csv = "date,amount,name,actor\n2024-01-12,400,x4,a\n2024-01-02,5,y,b\n";
    const run = await runFixture(basicSpec(), csv);
    expect(find(run, "A", "daily_loss").change).toEqual({
      absolute: 40,
      relative: null,
      relativeNote: "undefined: the pre-window mean is 0, so a relative change has no baseline",
    });
  });
});

describe("coverage", () => {
  it("cuts a post window at the coverage end instead of counting uncovered days as zero", async () => {
    const csv = "date,amount,name,actor\n2024-01-02,10,x,a\n2024-01-12,20,y,a\n";
    const run = await runFixture(basicSpec({ coverage: "coverage: {start: 2024-01-01, end: 2024-01-15}" }), csv);
    const loss = find(run, "A", "daily_loss");
    expect(loss.post).toMatchObject({ start: "2024-01-11", end: "2024-01-15", days: 5, mean: 4 });
    expect(run.warnings).toContainEqual({
      code: "window_clipped",
      message: "the post window 2024-01-11..2024-01-20 was cut to 2024-01-11..2024-01-15 to stay inside the data's coverage.",
    });
  });

  it("infers coverage from the first and last incident, with a warning", async () => {
    const csv = "date,amount,name,actor\n2024-01-05,10,x,a\n2024-01-14,20,y,a\n";
    const run = await runFixture(basicSpec({ coverage: "" }), csv);
    expect(run.coverage).toEqual({ start: 19727, end: 19736, startInferred: true, endInferred: true });
    // "Rest" has no incidents: that is worth a warning too.
    expect(run.warnings.map((warning) => warning.code)).toEqual(["coverage_inferred", "coverage_inferred", "window_clipped", "window_clipped", "group_empty"]);
    expect(find(run, "A", "daily_loss").pre.days).toBe(6); // 2024-01-05..2024-01-10
  });
});

describe("groups and filters", () => {
  it("gives a row to the first matching group; unclaimed rows count only in the total", async () => {
    const csv = "date,amount,name,actor,kind\n2024-01-02,10,r1,a,hack\n2024-01-03,20,r2,a,scam\n2024-01-04,40,r3,b,scam\n2024-01-05,80,r4,c,hack\n";
    const groups = "groups:\n  - name: A\n    where: {actor: a}\n  - name: Scams\n    where: {kind: [scam, fraud]}";
    const run = await runFixture(basicSpec({ groups }), csv);
    expect(find(run, "A", "daily_loss").pre.total).toBe(30); // r1 + r2
    expect(find(run, "Scams", "daily_loss").pre.total).toBe(40); // r3 only: r2 went to A first
    expect(find(run, "All", "daily_loss").pre.total).toBe(150); // r4 is in no group
    expect(run.provenance.rowsInNoGroup).toBe(1);
  });

  it("applies include, exclude and min_amount before groups; unknown amounts pass min_amount", async () => {
    const csv = "date,amount,name,actor,kind\n2024-01-02,10,r1,a,hack\n2024-01-03,2000,r2,a,scam\n2024-01-04,5000,r3,a,hack\n2024-01-05,,r4,a,hack\n2024-01-06,9000,r5,a,test\n";
    const data = "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  filters:\n    include: {actor: a}\n    exclude: {kind: [scam, test]}\n    min_amount: 100";
    const run = await runFixture(basicSpec({ data }), csv);
    const loss = find(run, "A", "daily_loss");
    expect(loss.pre.total).toBe(5000); // r3; r1 below min, r2 and r5 excluded, r4 unknown
    expect(loss.pre.incidents).toBe(2); // r3 and r4
    expect(loss.pre.unknownAmountIncidents).toBe(1);
    expect(run.provenance).toMatchObject({ rowsRead: 5, rowsFilteredOut: 3, rowsUsed: 2, rowsExcluded: 0 });
  });
});

describe("time zones", () => {
  it("places a timestamp on its calendar day in the spec's zone, and leaves plain dates alone", async () => {
    const csv = [
      "date,amount,name,actor",
      "2024-01-10T23:30:00Z,1,utc-late,a", // 08:30 on 2024-01-11 in Seoul: post
      "2024-01-10 23:30:00,2,naive-late,a", // no offset: read as UTC, so also 2024-01-11 in Seoul
      "2024-01-10T10:00:00-05:00,4,ny-morning,a", // 15:00 UTC = 2024-01-11 00:00 Seoul: post
      "2024-01-10,8,plain-date,a", // a plain date is that day in any zone: pre
      "2024-01-10T14:59:59Z,16,just-before,a", // 23:59:59 on 2024-01-10 in Seoul: pre
    ].join("\n");
    const data = "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  timezone: Asia/Seoul";
    const run = await runFixture(basicSpec({ data }), csv);
    const a = seriesOf(run, "A");
    expect(a.loss[9]).toBe(24); // 2024-01-10: plain-date + just-before
    expect(a.loss[10]).toBe(7); // 2024-01-11: utc-late + naive-late + ny-morning
  });

  it("uses UTC by default, whatever the process's TZ", async () => {
    const csv = "date,amount,name,actor\n2024-01-10T23:30:00Z,1,late,a\n";
    const run = await runFixture(basicSpec(), csv);
    expect(seriesOf(run, "A").loss[9]).toBe(1); // 2024-01-10 in UTC (it is 2024-01-11 in Chatham)
  });
});

describe("row quality", () => {
  it("counts and names every row left out, and keeps unknown amounts as incidents", async () => {
    const csv = [
      "date,amount,name,actor",
      "2024-01-02,10,good,a",
      ",10,no-date,a",
      "18/01/2024,10,bad-date,a",
      "2024-01-03,$5M,bad-amount,a",
      "2024-01-03,-4,negative,a",
      "2024-01-02,10,good,a",
      "2024-01-04,,unknown,a",
      "2024-01-05,NaN,not-a-number,a",
    ].join("\n");
    const run = await runFixture(basicSpec(), csv);
    expect(run.warnings).toEqual([
      { code: "rows_missing_date", message: '1 row(s) left out: the date is empty (e.g. row 2 "no-date" (date "", amount "10")).' },
      { code: "rows_bad_date", message: '1 row(s) left out: the date is not YYYY-MM-DD or an ISO 8601 timestamp (e.g. row 3 "bad-date" (date "18/01/2024", amount "10")).' },
      {
        code: "rows_bad_amount",
        message:
          '2 row(s) left out: the amount is not a plain number (no currency signs, commas or words; NaN and infinity are not amounts) (e.g. row 4 "bad-amount" (date "2024-01-03", amount "$5M"); row 8 "not-a-number" (date "2024-01-05", amount "NaN")).',
      },
      { code: "rows_negative_amount", message: '1 row(s) left out: the amount is negative (e.g. row 5 "negative" (date "2024-01-03", amount "-4")).' },
      { code: "rows_duplicate", message: '1 row(s) left out: an exact duplicate of an earlier row (data.duplicates is "drop") (e.g. row 6 "good" (date "2024-01-02", amount "10")).' },
      {
        code: "unknown_amounts",
        message: '1 incident(s) have an unknown amount (empty): they count as incidents but add nothing to daily losses, so losses are a lower bound (e.g. row 7 "unknown" (date "2024-01-04", amount "")).',
      },
      { code: "group_empty", message: 'group "Rest" has no incidents in the data after filters; check its rule\'s column values.' },
    ]);
    expect(run.provenance).toMatchObject({ rowsRead: 8, rowsExcluded: 6, rowsUsed: 2 });
    expect(find(run, "A", "daily_incidents").pre.total).toBe(2);
    expect(find(run, "A", "daily_loss").pre.total).toBe(10);
  });

  it("treats 0 as unknown when zero_amount_is_unknown is set", async () => {
    const csv = "date,amount,name,actor\n2024-01-02,0,zero,a\n2024-01-03,5,five,a\n";
    const data = "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  zero_amount_is_unknown: true";
    const run = await runFixture(basicSpec({ data }), csv);
    expect(find(run, "A", "daily_loss").pre.unknownAmountIncidents).toBe(1);
    expect(run.warnings.map((warning) => warning.code)).toEqual(["unknown_amounts", "group_empty"]);
  });

  it("says a 0 is dropped as unknown when zero_amount_is_unknown and missing_amount: drop are both set (it said 'the amount is empty' of a 0)", async () => {
    const csv = "date,amount,name,actor\n2024-01-02,0,zero,a\n2024-01-03,,empty,a\n2024-01-04,5,five,a\n";
    const data = "data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  zero_amount_is_unknown: true\n  missing_amount: drop";
    const run = await runFixture(basicSpec({ data }), csv);
    expect(run.warnings[0]).toEqual({
      code: "rows_missing_amount",
      message:
        '2 row(s) left out: the amount is empty or 0 (data.zero_amount_is_unknown is true) and data.missing_amount is "drop" (e.g. row 1 "zero" (date "2024-01-02", amount "0"); row 2 "empty" (date "2024-01-03", amount "")).',
    });
  });

  it("does not warn about unknown amounts understating losses in a study of incident counts only", async () => {
    const csv = "date,amount,name,actor\n2024-01-02,,empty,a\n2024-01-14,5,five,a\n";
    const run = await runFixture(basicSpec({ extra: "metrics: [daily_incidents]" }), csv);
    expect(run.warnings.map((warning) => warning.code)).toEqual(["group_empty"]);
    // The same data with losses studied too: the warning is there.
    const both = await runFixture(basicSpec(), csv);
    expect(both.warnings.map((warning) => warning.code)).toEqual(["unknown_amounts", "group_empty"]);
  });
});

describe("a group with nothing in either window", () => {
  // Coverage 2023-12-01..2024-01-20, event 2024-01-11: pre 2024-01-01..01-10, post 01-11..01-20.
  // A's only incident (2023-12-05) is before both windows; U's two are in them, with no amount.
  const spec = (groups: string): string =>
    basicSpec({ coverage: "coverage: {start: 2023-12-01, end: 2024-01-20}", groups: `groups:\n${groups}  - name: Rest\n    otherwise: true` });
  const withA = "  - name: A\n    where: {actor: a}\n  - name: U\n    where: {actor: u}\n";
  const rows = "2024-01-03,100,r1,b\n2024-01-15,300,r2,b\n2024-01-04,,u1,u\n2024-01-16,,u2,u\n";

  it("is not tested (every test 'not computed', no placebo), its verdicts are undetermined with the reason, a warning says so, and the family is as without it", async () => {
    const run = await runFixture(spec(withA), `date,amount,name,actor\n2023-12-05,500,old,a\n${rows}`);
    for (const metric of ["daily_loss", "daily_incidents"] as const) {
      const a = find(run, "A", metric);
      const reason = metric === "daily_loss" ? "no loss in either window (no incident of known amount above 0), so there is nothing to compare" : "no incidents in either window, so there is nothing to compare";
      expect(a.tests.length).toBeGreaterThan(0);
      for (const test of a.tests) expect({ pValue: test.pValue, note: test.note }, test.method).toEqual({ pValue: null, note: `not computed: ${reason}` });
      expect(a.placebo).toBeNull();
      expect(a.verdict?.level).toBe("undetermined");
      expect(a.verdict?.text).toContain(`could not be computed (${reason}), so the engine draws no conclusion.`);
    }
    // U's incidents have no amount: its loss is not tested, its incident counts are.
    expect(find(run, "U", "daily_loss").verdict?.level).toBe("undetermined");
    expect(find(run, "U", "daily_incidents").tests.find((test) => test.method === "block_permutation")?.pValue).not.toBeNull();
    expect(run.warnings.filter((warning) => warning.code.startsWith("group_"))).toEqual([
      {
        code: "group_empty_in_windows",
        message:
          'group "A" has no incidents in either window (pre 2024-01-01 to 2024-01-10, post 2024-01-11 to 2024-01-20), only outside them: there is nothing to compare, so its tests are not computed and its verdicts are undetermined. Check the event date and the windows, or whether the data covers this group in those years.',
      },
      {
        code: "group_no_loss_in_windows",
        message:
          'group "U" has no loss in either window (its 2 incident(s) there have unknown amounts): there is no loss to compare, so its loss tests are not computed and its loss verdict is undetermined; its incident counts are tested as usual.',
      },
    ]);
    // A study of losses only: the warning does not speak of incident counts it does not test.
    const lossOnly = await runFixture(`${spec(withA)}\nmetrics: [daily_loss]`, `date,amount,name,actor\n2023-12-05,500,old,a\n${rows}`);
    expect(lossOnly.warnings.find((warning) => warning.code === "group_no_loss_in_windows")?.message).toBe(
      'group "U" has no loss in either window (its 2 incident(s) there have unknown amounts): there is no loss to compare, so its loss tests are not computed and its loss verdict is undetermined.',
    );
    // The multiple-testing family: A adds nothing to it (its p-values of 1 used to count).
    const withoutA = await runFixture(spec("  - name: U\n    where: {actor: u}\n"), `date,amount,name,actor\n${rows}`);
    expect(run.analysis.family).toBe(withoutA.analysis.family);
    expect(run.analysis.family).toBeGreaterThan(0);
  });
});
