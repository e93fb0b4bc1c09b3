// Which calibrated window length a study is read against: the nearest on a ratio scale,
// ties to the shorter, and "shorter" when the study's shorter window is below every
// calibrated one.
import { describe, expect, it } from "vitest";
import { CALIBRATION_WINDOWS } from "../../src/calibration/calibrate.js";
import { matchWindows, orderWindows, windowDistance, windowsLabel, type WindowLengths } from "../../src/calibration/window-match.js";

const w = (preDays: number, postDays: number = preDays): WindowLengths => ({ preDays, postDays });
const calibrated = CALIBRATION_WINDOWS;

describe("matchWindows", () => {
  it("calibrates 7, 14, 30, 90 and the sample studies' 170/196 days, shortest first", () => {
    expect(calibrated).toEqual([w(7), w(14), w(30), w(90), w(170, 196)]);
    expect(orderWindows([...calibrated].reverse())).toEqual(calibrated);
  });

  it("an exact match is exact", () => {
    expect(matchWindows(w(170, 196), calibrated)).toEqual({ kind: "nearest", windows: w(170, 196), exact: true });
    expect(matchWindows(w(14), calibrated)).toEqual({ kind: "nearest", windows: w(14), exact: true });
    // the shortest calibrated length itself is covered, not "shorter"
    expect(matchWindows(w(7), calibrated)).toEqual({ kind: "nearest", windows: w(7), exact: true });
  });

  it("picks the nearest on a ratio scale", () => {
    expect(matchWindows(w(9), calibrated)).toMatchObject({ kind: "nearest", windows: w(7), exact: false }); // ln(9/7) < ln(14/9)
    expect(matchWindows(w(10), calibrated)).toMatchObject({ kind: "nearest", windows: w(14) }); // ln(10/7) > ln(14/10): 7 and 14 meet at 9.9
    expect(matchWindows(w(60), calibrated)).toMatchObject({ kind: "nearest", windows: w(90) }); // ln 2 > ln 1.5
    expect(matchWindows(w(45), calibrated)).toMatchObject({ kind: "nearest", windows: w(30) });
    expect(matchWindows(w(180), calibrated)).toMatchObject({ kind: "nearest", windows: w(170, 196) }); // the sample specs' ±180 days
    expect(matchWindows(w(365), calibrated)).toMatchObject({ kind: "nearest", windows: w(170, 196) }); // longer than all: the longest
    // pre 120, post 7: every calibrated length between the two is as near (ln(120/7)); the tie goes to the shortest
    expect(matchWindows(w(120, 7), calibrated)).toMatchObject({ kind: "nearest", windows: w(7) });
    expect(matchWindows(w(120, 20), calibrated)).toMatchObject({ kind: "nearest", windows: w(30) });
  });

  it("breaks a tie toward the shorter calibrated windows", () => {
    expect(windowDistance(w(20), w(10))).toBeCloseTo(windowDistance(w(20), w(40)), 12);
    expect(matchWindows(w(20), [w(40), w(10)])).toMatchObject({ kind: "nearest", windows: w(10) });
  });

  it("says 'shorter' when the study's shorter window is below every calibrated one", () => {
    expect(matchWindows(w(3), calibrated)).toEqual({ kind: "shorter", shortest: w(7) });
    expect(matchWindows(w(2), calibrated)).toEqual({ kind: "shorter", shortest: w(7) });
    expect(matchWindows(w(6, 7), calibrated)).toEqual({ kind: "shorter", shortest: w(7) });
    expect(matchWindows(w(200, 5), calibrated)).toEqual({ kind: "shorter", shortest: w(7) }); // one short side is enough
  });

  it("has nothing to match without a calibration, and rejects impossible windows", () => {
    expect(matchWindows(w(30), [])).toBeNull();
    expect(() => matchWindows(w(0), calibrated)).toThrow(/at least 1 day/);
  });

  it("labels windows in words", () => {
    expect(windowsLabel(w(14))).toBe("14-day windows");
    expect(windowsLabel(w(170, 196))).toBe("170-day pre / 196-day post windows");
  });
});
