// The report's calibration notes (src/report/calibration-notes.ts): they quote the
// calibration at the window length nearest the study's, name that length, and say when
// the study's windows are shorter than every calibrated one, quoting what the shortest
// calibrated length measured for the HAC-based tests. Wording on a fixed table, then the
// committed docs/calibration.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CALIBRATION_WINDOWS } from "../../src/calibration/calibrate.js";
import {
  calibratedWindows,
  calibrationMatch,
  calibrationWarnings,
  coverageNote,
  intervalCoverage,
  levelNote,
  overRejections,
  type CalibrationFile,
  type CalibrationScenario,
  type StudyWindows,
} from "../../src/report/calibration-notes.js";

const study = (pre: number, post: number = pre): StudyWindows => ({ pre: { days: pre }, post: { days: post } });

/** Two scenarios (A, B) at 7/7, 30/30 and 170/196 days: segmented regression over-rejects only at 7 days. */
function scenario(title: string, preDays: number, postDays: number, segmented: number, permutation: number, coverage: number): CalibrationScenario {
  return {
    id: title,
    title,
    preDays,
    postDays,
    tests: [
      { metric: "daily_loss", method: "segmented_regression", rate: segmented, holdsLevel: segmented <= 0.07, simulations: 2000, computed: 2000 },
      { metric: "daily_incidents", method: "segmented_regression", rate: segmented + 0.1, holdsLevel: false, simulations: 2000, computed: 1500 },
      { metric: "daily_incidents", method: "permutation", rate: permutation, holdsLevel: permutation <= 0.07, simulations: 2000, computed: 2000 },
      { metric: "daily_loss", method: "block_permutation", rate: 0.05, holdsLevel: true, simulations: 2000, computed: 2000 },
    ],
    intervals: [
      { metric: "daily_loss", kind: "percentile", coverage },
      { metric: "daily_incidents", kind: "percentile", coverage: coverage + 0.02 },
    ],
  };
}
const fixture: CalibrationFile = {
  measuredAt: "2026-01-01",
  scenarios: [
    scenario("A", 7, 7, 0.3, 0.02, 0.8),
    scenario("B", 7, 7, 0.25, 0.09, 0.82),
    scenario("A", 30, 30, 0.06, 0.08, 0.88),
    scenario("B", 30, 30, 0.05, 0.06, 0.86),
    scenario("A", 170, 196, 0.03, 0.05, 0.9),
    scenario("B", 170, 196, 0.031, 0.11, 0.91),
  ],
};
const shown = [
  { metric: "daily_loss", method: "segmented_regression" },
  { metric: "daily_incidents", method: "segmented_regression" },
  { metric: "daily_incidents", method: "permutation" },
  { metric: "daily_loss", method: "block_permutation" },
];

describe("calibration notes: which window length applies", () => {
  it("lists the calibrated lengths and matches a study to the nearest", () => {
    expect(calibratedWindows(fixture)).toEqual([
      { preDays: 7, postDays: 7 },
      { preDays: 30, postDays: 30 },
      { preDays: 170, postDays: 196 },
    ]);
    expect(calibrationMatch(study(10), fixture)).toMatchObject({ kind: "nearest", windows: { preDays: 7, postDays: 7 } });
    expect(calibrationMatch(study(25, 35), fixture)).toMatchObject({ kind: "nearest", windows: { preDays: 30, postDays: 30 } });
    expect(calibrationMatch(study(170, 196), fixture)).toMatchObject({ kind: "nearest", exact: true });
    expect(calibrationMatch(study(3), fixture)).toEqual({ kind: "shorter", shortest: { preDays: 7, postDays: 7 } });
    // without windows (an older caller): the longest calibrated, the sample studies'
    expect(calibrationMatch(undefined, fixture)).toMatchObject({ kind: "nearest", windows: { preDays: 170, postDays: 196 } });
    expect(calibrationMatch(study(30), null)).toBeNull();
  });

  it("quotes the over-rejections of the nearest length only, naming it", () => {
    expect(overRejections("daily_loss", "segmented_regression", study(10), fixture)).toEqual([
      { scenario: "A, 7-day windows", title: "A", rate: 0.3, windows: { preDays: 7, postDays: 7 } },
      { scenario: "B, 7-day windows", title: "B", rate: 0.25, windows: { preDays: 7, postDays: 7 } },
    ]);
    expect(overRejections("daily_loss", "segmented_regression", study(40), fixture)).toEqual([]);
    expect(overRejections("daily_incidents", "permutation", study(40), fixture).map((item) => item.scenario)).toEqual(["A, 30-day windows"]);
    expect(overRejections("daily_incidents", "permutation", undefined, fixture).map((item) => item.scenario)).toEqual(["B, 170-day pre / 196-day post windows"]);
  });

  it("gives the coverage range at the nearest length, and flags one quoted from a longer length", () => {
    expect(intervalCoverage("daily_loss", "percentile", study(28), fixture)).toEqual({ low: 0.86, high: 0.88, windows: { preDays: 30, postDays: 30 }, covers: true });
    expect(intervalCoverage("daily_loss", "percentile", study(4), fixture)).toEqual({ low: 0.8, high: 0.82, windows: { preDays: 7, postDays: 7 }, covers: false });
    expect(intervalCoverage("daily_loss", "bca", study(28), fixture)).toBeNull();
  });
});

describe("calibration notes: the sentences", () => {
  it("names the length in the level column", () => {
    expect(levelNote("daily_loss", "segmented_regression", study(28), fixture)).toBe("yes (at 30-day windows)");
    expect(levelNote("daily_loss", "segmented_regression", study(8), fixture)).toBe("no: 30.0% false positives at alpha 0.05 (A); 25.0% false positives at alpha 0.05 (B) (at 7-day windows)");
    expect(levelNote("daily_loss", "segmented_regression", study(3), fixture)).toBe(
      "not known: no calibration covers windows this short; at 7-day windows it already gave 30.0% false positives at alpha 0.05 (A); 25.0% false positives at alpha 0.05 (B); HAC-based tests over-reject on short windows, so read its p-values as too small",
    );
    expect(levelNote("daily_loss", "block_permutation", study(3), fixture)).toBe("not known: no calibration covers windows this short; at 7-day windows it did not over-reject");
    expect(levelNote("daily_loss", "block_permutation", study(3), null)).toBe("not calibrated");
  });

  it("names the length in the coverage note", () => {
    expect(coverageNote("percentile", study(25, 35), fixture)).toBe(
      " (on simulated null data at 30-day windows, the calibrated length nearest this study's 25-day pre / 35-day post windows, a nominal 95% interval of this kind covered 86–88% of the time for daily losses and 88–90% for incident counts, so read it as narrower than 95%)",
    );
    expect(coverageNote("percentile", study(170, 196), fixture)).toContain("at 170-day pre / 196-day post windows, this study's own, a nominal 95%");
    expect(coverageNote("percentile", study(2), fixture)).toBe(
      " (no calibration covers windows this short: at 7-day windows, the shortest calibrated, a nominal 95% interval of this kind covered 80–82% of the time for daily losses and 82–84% for incident counts on simulated null data, so read it as narrower than 95%)",
    );
    expect(coverageNote(null, study(30), fixture)).toBe("");
  });

  it("warns per over-rejecting test at the nearest length, saying which length", () => {
    const notes = calibrationWarnings(shown, study(25), fixture);
    expect(notes).toEqual([
      {
        code: "test_level",
        message:
          "segmented regression (HAC) on incidents per day does not hold its level on simulated data like this at 30-day windows, the calibrated length nearest this study's 25-day windows: 16.0% false positives at alpha 0.05 (A); 15.0% false positives at alpha 0.05 (B). Read its p-values as too small there (docs/calibration.md).",
      },
      {
        code: "test_level",
        message:
          "permutation test on incidents per day does not hold its level on simulated data like this at 30-day windows, the calibrated length nearest this study's 25-day windows: 8.0% false positives at alpha 0.05 (A). Read its p-values as too small there (docs/calibration.md).",
      },
    ]);
  });

  it("says no calibration covers windows shorter than the shortest, with the HAC figures measured at the shortest", () => {
    const notes = calibrationWarnings(shown, study(3), fixture);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.code).toBe("calibration_windows");
    expect(notes[0]?.message).toBe(
      "No calibration covers this study's windows (3-day windows): the shortest calibrated are 7-day windows, so no test's false-positive rate is known here (docs/calibration.md). " +
        "Tests built on Newey–West (HAC) standard errors are known to over-reject on short windows: on simulated data with no effect at 7-day windows, " +
        "segmented regression (HAC) on daily loss gave 30.0% (A), 25.0% (B) false positives at alpha 0.05, against 3.0% (A), 3.1% (B) at 170-day pre / 196-day post windows; " +
        "segmented regression (HAC) on incidents per day gave 40.0% (A; 1500 of 2000 simulations gave a p-value), 35.0% (B; 1500 of 2000 simulations gave a p-value) false positives at alpha 0.05, " +
        "against 13.0% (A; 1500 of 2000 simulations gave a p-value), 13.1% (B; 1500 of 2000 simulations gave a p-value) at 170-day pre / 196-day post windows. " +
        "On windows shorter still, read their p-values as too small. " +
        "Other tests already over-reject at 7-day windows: permutation test on incidents per day (9.0% false positives at alpha 0.05 (B)).",
    );
    // a study that ran no HAC-based test gets the "not covered" sentence without the HAC figures
    const withoutHac = calibrationWarnings([{ metric: "daily_loss", method: "block_permutation" }], study(5, 60), fixture);
    expect(withoutHac).toEqual([
      {
        code: "calibration_windows",
        message: "No calibration covers this study's windows (5-day pre / 60-day post windows): the shortest calibrated are 7-day windows, so no test's false-positive rate is known here (docs/calibration.md).",
      },
    ]);
  });

  it("reads a calibration file written before window lengths were calibrated (windows in settings)", () => {
    const old: CalibrationFile = {
      measuredAt: "2026-11-24",
      settings: { preDays: 170, postDays: 196 },
      scenarios: fixture.scenarios.filter((item) => item.preDays === 170).map(({ preDays: _pre, postDays: _post, ...rest }) => rest),
    };
    expect(calibratedWindows(old)).toEqual([{ preDays: 170, postDays: 196 }]);
    expect(overRejections("daily_incidents", "permutation", undefined, old).map((item) => item.scenario)).toEqual(["B, 170-day pre / 196-day post windows"]);
    expect(calibrationWarnings(shown, study(3), old)[0]?.message).toContain("the shortest calibrated are 170-day pre / 196-day post windows");
  });
});

describe("calibration notes on the committed docs/calibration.json", () => {
  const committed = JSON.parse(readFileSync(new URL("../../docs/calibration.json", import.meta.url), "utf8")) as CalibrationFile & {
    settings: { windows: { preDays: number; postDays: number; simulations: number }[] };
  };

  it("holds every calibrated window length, each with the same three scenarios", () => {
    expect(calibratedWindows(committed)).toEqual(CALIBRATION_WINDOWS);
    expect(committed.settings.windows.map(({ preDays, postDays }) => ({ preDays, postDays }))).toEqual(CALIBRATION_WINDOWS);
    for (const windows of CALIBRATION_WINDOWS) {
      const here = committed.scenarios.filter((item) => item.preDays === windows.preDays && item.postDays === windows.postDays);
      expect(here.map((item) => item.id)).toEqual(["defillama", "slowmist", "clustered"]);
    }
  });

  it("a 3-day study is told that no calibration covers it, with the 7-day figures of the file", () => {
    const notes = calibrationWarnings([{ metric: "daily_loss", method: "segmented_regression" }], study(3));
    expect(notes).toHaveLength(1);
    const message = notes[0]?.message ?? "";
    expect(message).toMatch(/^No calibration covers this study's windows \(3-day windows\): the shortest calibrated are 7-day windows/);
    expect(message).toContain("Newey–West (HAC)");
    const at7 = committed.scenarios.filter((item) => item.preDays === 7 && item.postDays === 7);
    for (const item of at7) {
      const row = item.tests.find((test) => test.metric === "daily_loss" && test.method === "segmented_regression");
      expect(row?.rate).not.toBeNull();
      expect(message).toContain(`${((row?.rate as number) * 100).toFixed(1)}% (${item.title}`);
    }
  });

  it("a study with the sample windows is read against 170/196 days, as before", () => {
    expect(calibrationMatch(study(170, 196))).toMatchObject({ kind: "nearest", exact: true });
    expect(overRejections("daily_loss", "block_permutation", study(170, 196))).toEqual(overRejections("daily_loss", "block_permutation"));
  });
});
