// "What moved" between two runs, on hand-made history lines and snapshots whose
// differences can be checked by eye (STYLE.md, 8).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffLines, lastChanges } from "../../src/cli/diff.js";
import type { Headline } from "../../src/living/headlines.js";
import type { HistoryEntry } from "../../src/living/history.js";
import type { CellSnapshot } from "../../src/living/window-incidents.js";
import { nothingMoved, whatMoved } from "../../src/living/what-moved.js";
import { whatMovedLines } from "../../src/living/what-moved-text.js";

const headline = (subject: string, postMean: number, pValue: number, level: string): Headline => ({
  subject,
  metric: "daily_loss",
  kind: "group",
  preMean: 100,
  postMean,
  change: postMean - 100,
  relative: (postMean - 100) / 100,
  interval: null,
  primaryMethod: "block_permutation",
  pValue,
  adjustedPValue: Math.min(1, pValue * 2),
  level,
  preIncidents: 3,
  postIncidents: 3,
});

const entry = (runAt: string, dataSha: string, headlines: Headline[]): HistoryEntry => ({
  runAt,
  engineVersion: "0.1.0",
  inputsHash: dataSha,
  specFiles: [{ path: "analyses/s.yaml", sha256: "spec" }],
  dataFiles: [{ path: "data/x.csv", sha256: dataSha }],
  engine: "engine",
  cells: [{ id: "main", event: { id: "e", label: "Event", date: "2024-06-19" }, variant: null, headlines, incidents: { pre: 3, post: 3 } }],
});

/** An incidents-per-day headline, numbers written out: 0.1 -> 0.25 a day. */
const rateHeadline = (subject: string): Headline => ({
  ...headline(subject, 0, 0.03, "weak"),
  metric: "daily_incidents",
  preMean: 0.1,
  postMean: 0.25,
  change: 0.15,
  relative: 1.5,
  adjustedPValue: 0.06,
});

const snapshot = (post: CellSnapshot["post"]["incidents"]): CellSnapshot => ({
  pre: { counts: { A: 1 }, incidents: [["2024-01-01", "A", "a", 1]] },
  post: { counts: { A: post?.length ?? 0 }, incidents: post },
});

describe("whatMoved", () => {
  it("says there is nothing to compare on a first run", () => {
    const moved = whatMoved(undefined, { entry: entry("t1", "d1", [headline("DPRK", 50, 0.2, "none")]), snapshots: undefined });
    expect(moved.previousRunAt).toBeNull();
    expect(whatMovedLines(moved)).toEqual(["first recorded run: nothing to compare with yet"]);
  });

  it("lists added and removed incidents as a multiset, the changed inputs, and each changed number", () => {
    const before = {
      entry: entry("t1", "d1", [headline("DPRK", 50, 0.2, "none"), headline("Other", 120, 0.5, "none")]),
      snapshots: { main: snapshot([["2024-07-01", "A", "dup", 5], ["2024-07-01", "A", "dup", 5], ["2024-07-02", "B", "gone", 7]]) },
    };
    const after = {
      entry: entry("t2", "d2", [headline("DPRK", 20, 0.01, "some"), headline("Other", 120, 0.5, "none")]),
      snapshots: { main: snapshot([["2024-07-01", "A", "dup", 5], ["2024-07-03", "A", "new", 300_000_000]]) },
    };
    const moved = whatMoved(before, after);
    expect(moved.inputs).toEqual({ specFiles: [], dataFiles: ["data/x.csv"], engine: false });
    const cell = moved.cells[0]!;
    // One of the two identical "dup" incidents is gone: removed once, not zero or twice.
    expect(cell.incidents.post.removed).toEqual([["2024-07-01", "A", "dup", 5], ["2024-07-02", "B", "gone", 7]]);
    expect(cell.incidents.post.added).toEqual([["2024-07-03", "A", "new", 300_000_000]]);
    expect(cell.incidents.pre).toEqual({ added: [], removed: [], countsOnly: null });
    expect(cell.numbers).toHaveLength(1);
    expect(cell.numbers[0]!.verdictChanged).toBe(true);
    expect(cell.unchangedHeadlines).toBe(1);
    expect(whatMovedLines(moved)).toEqual([
      "since the run of t1: data data/x.csv changed",
      "post window: 1 incident(s) added: 2024-07-03 new (A, $300.00M)",
      "post window: 2 incident(s) removed: 2024-07-01 dup (A, $5); 2024-07-02 gone (B, $7)",
      "DPRK daily loss: post mean $50/day -> $20/day, change -$50/day -> -$80/day, relative change -50.0% -> -80.0%, p 0.2000 -> 0.0100, adjusted p 0.4000 -> 0.0200, evidence none -> some (VERDICT CHANGED)",
      "1 other headline(s) unchanged",
    ]);
    expect(nothingMoved(moved)).toBe(false);
  });

  it("compares counts only when a window had too many incidents to keep one by one", () => {
    const counts = (n: number): CellSnapshot => ({ pre: { counts: { A: 1 }, incidents: null }, post: { counts: { A: n, B: 2 }, incidents: null } });
    const moved = whatMoved(
      { entry: entry("t1", "d1", []), snapshots: { main: counts(30_000) } },
      { entry: entry("t2", "d1", []), snapshots: { main: counts(30_001) } },
    );
    expect(moved.cells[0]!.incidents.post.countsOnly).toEqual({ before: { A: 30_000, B: 2 }, after: { A: 30_001, B: 2 } });
    expect(whatMovedLines(moved)[1]).toBe("post window: incidents per group A 30000 -> 30001 (too many to list one by one)");
    const same = whatMoved({ entry: entry("t1", "d1", []), snapshots: { main: counts(5) } }, { entry: entry("t2", "d1", []), snapshots: { main: counts(5) } });
    expect(nothingMoved(same)).toBe(true);
    expect(whatMovedLines(same)[0]).toBe("since the run of t1: no input changed (rerun forced)");
  });

  it("reports a headline the spec added and one it removed, with their numbers, and does not call the headlines unchanged", () => {
    // The spec edit: group "Other" removed, metric daily_incidents added for DPRK.
    const before = { entry: entry("t1", "d1", [headline("DPRK", 50, 0.2, "none"), headline("Other", 120, 0.5, "none")]), snapshots: undefined };
    const after = { entry: entry("t2", "d1", [headline("DPRK", 50, 0.2, "none"), rateHeadline("DPRK")]), snapshots: undefined };
    const moved = whatMoved(before, after);
    const cell = moved.cells[0]!;
    expect(cell.numbers).toEqual([]);
    expect(cell.unchangedHeadlines).toBe(1);
    expect(cell.addedHeadlines).toEqual([
      { subject: "DPRK", metric: "daily_incidents", after: { preMean: 0.1, postMean: 0.25, change: 0.15, relative: 1.5, pValue: 0.03, adjustedPValue: 0.06, level: "weak" } },
    ]);
    expect(cell.removedHeadlines).toEqual([
      { subject: "Other", metric: "daily_loss", before: { preMean: 100, postMean: 120, change: 20, relative: 0.2, pValue: 0.5, adjustedPValue: 1, level: "none" } },
    ]);
    expect(whatMovedLines(moved)).toEqual([
      "since the run of t1: no input changed (rerun forced)",
      "DPRK incidents per day: new headline: pre mean 0.100/day, post mean 0.250/day, change 0.150/day, relative change +150.0%, p 0.0300, adjusted p 0.0600, evidence weak",
      "Other daily loss: no longer a headline; it was: pre mean $100/day, post mean $120/day, change $20/day, relative change +20.0%, p 0.5000, adjusted p 1.0000, evidence none",
      "1 other headline(s) unchanged",
    ]);
    expect(nothingMoved(moved)).toBe(false);
  });

  it("says \"headline numbers unchanged\" only when no headline moved, appeared or disappeared", () => {
    const same = [headline("DPRK", 50, 0.2, "none")];
    const unchanged = whatMoved({ entry: entry("t1", "d1", same), snapshots: undefined }, { entry: entry("t2", "d1", same), snapshots: undefined });
    expect(whatMovedLines(unchanged)).toEqual(["since the run of t1: no input changed (rerun forced)", "headline numbers unchanged (1)"]);
    expect(nothingMoved(unchanged)).toBe(true);
    // Only a removal, nothing else left: no "unchanged" line at all.
    const onlyRemoved = whatMoved({ entry: entry("t1", "d1", same), snapshots: undefined }, { entry: entry("t2", "d1", []), snapshots: undefined });
    expect(whatMovedLines(onlyRemoved)).toEqual([
      "since the run of t1: no input changed (rerun forced)",
      "DPRK daily loss: no longer a headline; it was: pre mean $100/day, post mean $50/day, change -$50/day, relative change -50.0%, p 0.2000, adjusted p 0.4000, evidence none",
    ]);
    expect(nothingMoved(onlyRemoved)).toBe(false);
  });

  it("matches a difference in differences recorded under its former name (\"A vs B+C (DiD)\") with its label now", () => {
    const did = (subject: string, postMean: number): Headline => ({ ...headline(subject, postMean, 0.2, "none"), kind: "did", relative: null });
    // A history line from before the rename: no `did` field, the old spelling of the subject.
    const before = { entry: entry("t1", "d1", [did("DPRK vs DEX+Other (DiD)", 50)]), snapshots: undefined };
    const now = { ...did("DPRK − DEX + Other (DiD)", 40), did: { treated: "DPRK", controls: ["DEX", "Other"] } };
    const moved = whatMovedLines(whatMoved(before, { entry: entry("t2", "d1", [now]), snapshots: undefined }));
    expect(moved).toEqual(["since the run of t1: no input changed (rerun forced)", "DPRK − DEX + Other (DiD) daily loss: post mean $50/day -> $40/day, change -$50/day -> -$60/day"]);
    // Without the groups (a headline that cannot have had the former name) nothing is matched by guesswork.
    const unmatched = whatMovedLines(whatMoved(before, { entry: entry("t2", "d1", [{ ...now, did: undefined }]), snapshots: undefined }));
    expect(unmatched.filter((line) => / new headline| no longer a headline/.test(line))).toHaveLength(2);
  });

  it("does not list a new cell's headlines as added: the whole cell is new", () => {
    const kept = [headline("DPRK", 50, 0.2, "none")];
    const after = entry("t2", "d1", kept);
    after.cells.push({ ...after.cells[0]!, id: "second", variant: { id: "v2", name: "Variant 2" }, headlines: [headline("Other", 120, 0.5, "none")] });
    const moved = whatMoved({ entry: entry("t1", "d1", kept), snapshots: undefined }, { entry: after, snapshots: undefined });
    expect(moved.cells[1]).toMatchObject({ id: "second", isNew: true, addedHeadlines: [], removedHeadlines: [], numbers: [], unchangedHeadlines: 0 });
    expect(whatMovedLines(moved)).toEqual([
      "since the run of t1: no input changed (rerun forced)",
      "[Event] headline numbers unchanged (1)",
      "[Event / Variant 2] new in this run (no earlier numbers to compare)",
    ]);
  });
});

describe("eventstudy diff on report folders written by older engines", () => {
  const folder = (files: Record<string, string>): string => {
    const reports = mkdtempSync(join(tmpdir(), "eventstudy-diff-"));
    const dir = join(reports, "s");
    mkdirSync(dir);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return reports;
  };
  const history = `${[entry("t1", "d1", [headline("DPRK", 50, 0.2, "none")]), entry("t2", "d1", [headline("DPRK", 50, 0.2, "none"), headline("Other", 120, 0.5, "none")])].map((line) => JSON.stringify(line)).join("\n")}\n`;

  it("reads a changes.json without addedHeadlines and removedHeadlines as having none", () => {
    // What the engine wrote before those fields existed (its compareCell skipped the new "Other").
    const oldChanges = {
      previousRunAt: "t1",
      inputs: { specFiles: [], dataFiles: [], engine: false },
      cells: [{ id: "main", event: "Event", variant: null, isNew: false, incidents: { pre: { added: [], removed: [], countsOnly: null }, post: { added: [], removed: [], countsOnly: null } }, numbers: [], unchangedHeadlines: 1 }],
      removedCells: [],
    };
    const reports = folder({ "history.jsonl": history, "changes.json": JSON.stringify(oldChanges) });
    expect(lastChanges("s", reports).moved.cells[0]).toMatchObject({ addedHeadlines: [], removedHeadlines: [], unchangedHeadlines: 1 });
    expect(diffLines("s", reports)).toEqual(["s: 2 run(s) recorded in history.jsonl; the last one:", "  since the run of t1: no input changed (rerun forced)", "  headline numbers unchanged (1)"]);
  });

  it("without changes.json, compares the last two history lines and reports the added headline", () => {
    const reports = folder({ "history.jsonl": history });
    expect(diffLines("s", reports)).toEqual([
      "s: 2 run(s) recorded in history.jsonl; the last one:",
      "  since the run of t1: no input changed (rerun forced)",
      "  Other daily loss: new headline: pre mean $100/day, post mean $120/day, change $20/day, relative change +20.0%, p 0.5000, adjusted p 1.0000, evidence none",
      "  1 other headline(s) unchanged",
    ]);
  });

  it("prints a name holding a newline or a terminal escape as one line with the escapes written out", () => {
    const hostile = "Lazarus\u001b[2J\nfake line";
    const lines = `${[entry("t1", "d1", [headline("DPRK", 50, 0.2, "none")]), entry("t2", "d1", [headline("DPRK", 50, 0.2, "none"), headline(hostile, 120, 0.5, "none")])].map((line) => JSON.stringify(line)).join("\n")}\n`;
    const printed = diffLines("s", folder({ "history.jsonl": lines }));
    expect(printed[2]).toBe("  Lazarus\\u001b[2J\\nfake line daily loss: new headline: pre mean $100/day, post mean $120/day, change $20/day, relative change +20.0%, p 0.5000, adjusted p 1.0000, evidence none");
    for (const line of printed) expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});
