/**
 * Which calibrated window lengths apply to a study. `npm run calibrate` measures every
 * test at several window lengths (CALIBRATION_WINDOWS in calibrate.ts); a study's report
 * uses the calibration whose windows are nearest the study's own, and says so. When the
 * study's shorter window is shorter than the shorter window of every calibrated length,
 * no calibration covers it: the report says that instead of quoting a level that was
 * measured on longer windows as if it applied.
 *
 * "Nearest" is on a ratio scale, |ln(pre / pre_c)| + |ln(post / post_c)|: the quantities
 * that drive a test's small-sample behaviour (standard errors, HAC bias, the number of
 * blocks) scale with the number of days, so 9 days is nearer 7 than 14, and 60 nearer
 * 90 than 30. A tie goes to the shorter calibrated windows, where tests over-reject more:
 * the cautious reading.
 */

export interface WindowLengths {
  preDays: number;
  postDays: number;
}

export type WindowMatch =
  /** The calibrated windows nearest the study's (exact: the same lengths). */
  | { kind: "nearest"; windows: WindowLengths; exact: boolean }
  /** The study's shorter window is shorter than any calibrated one; `shortest` is the shortest calibrated. */
  | { kind: "shorter"; shortest: WindowLengths };

/** The shorter of the two windows. */
export const shorterSide = (windows: WindowLengths): number => Math.min(windows.preDays, windows.postDays);

/** Distance on a ratio scale: |ln(pre_a / pre_b)| + |ln(post_a / post_b)|. */
export function windowDistance(a: WindowLengths, b: WindowLengths): number {
  return Math.abs(Math.log(a.preDays / b.preDays)) + Math.abs(Math.log(a.postDays / b.postDays));
}

/** Calibrated window sets ordered shortest first (by the shorter side, then the total). */
export function orderWindows(windows: readonly WindowLengths[]): WindowLengths[] {
  const distinct = windows.filter((item, index) => windows.findIndex((other) => other.preDays === item.preDays && other.postDays === item.postDays) === index);
  return distinct.sort((a, b) => shorterSide(a) - shorterSide(b) || a.preDays + a.postDays - (b.preDays + b.postDays));
}

/**
 * The calibrated windows that apply to a study with these windows: the nearest, or
 * "shorter" when the study's shorter window is below the shortest calibrated one. null
 * when nothing is calibrated.
 */
export function matchWindows(study: WindowLengths, calibrated: readonly WindowLengths[]): WindowMatch | null {
  const ordered = orderWindows(calibrated.filter((item) => item.preDays >= 1 && item.postDays >= 1));
  const shortest = ordered[0];
  if (shortest === undefined) return null;
  if (!(study.preDays >= 1 && study.postDays >= 1)) throw new RangeError(`matchWindows: window lengths ${study.preDays}/${study.postDays} must be at least 1 day`);
  if (shorterSide(study) < shorterSide(shortest)) return { kind: "shorter", shortest };
  let best = shortest;
  let bestDistance = windowDistance(study, shortest);
  for (const candidate of ordered.slice(1)) {
    const distance = windowDistance(study, candidate);
    if (distance < bestDistance - 1e-12) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return { kind: "nearest", windows: best, exact: best.preDays === study.preDays && best.postDays === study.postDays };
}

/** "14-day windows", or "170-day pre / 196-day post windows" when the two differ. */
export function windowsLabel(windows: WindowLengths): string {
  return windows.preDays === windows.postDays ? `${windows.preDays}-day windows` : `${windows.preDays}-day pre / ${windows.postDays}-day post windows`;
}
