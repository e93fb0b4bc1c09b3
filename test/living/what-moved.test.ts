// "What moved" between two runs, on hand-made history lines and snapshots whose
// differences can be checked by eye (STYLE.md, 8).
import { describe, expect, it } from "vitest";
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
});
