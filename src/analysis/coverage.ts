/**
 * Decides which days the study may use. Coverage is the span the data is complete for:
 * declared in the spec, or inferred from the first and last incident (with a warning).
 * Windows are clipped to coverage, because a day the data does not cover yet is not a
 * zero-loss day; an event outside coverage, or a window with no covered day, is an error.
 */
import { DataError } from "../errors.js";
import { messages } from "../messages.js";
import type { DayRange, NormalizedSpec } from "../spec/normalized-spec.js";
import type { DayNumber } from "../util/days.js";
import type { WarningList } from "./warnings.js";

export interface StudyCoverage {
  start: DayNumber;
  end: DayNumber;
  startInferred: boolean;
  endInferred: boolean;
}

export interface StudyWindows {
  pre: DayRange;
  post: DayRange;
  /** The windows as the spec wrote them, before clipping. */
  requested: { pre: DayRange; post: DayRange };
}

export function resolveCoverage(
  spec: NormalizedSpec,
  extent: { first: DayNumber; last: DayNumber },
  warnings: WarningList,
): StudyCoverage {
  const startInferred = spec.coverage.start === null;
  const endInferred = spec.coverage.end === null;
  const coverage = {
    start: spec.coverage.start ?? extent.first,
    end: spec.coverage.end ?? extent.last,
    startInferred,
    endInferred,
  };
  if (startInferred) warnings.add("coverage_inferred", messages.coverageInferred("start", coverage.start));
  if (endInferred) warnings.add("coverage_inferred", messages.coverageInferred("end", coverage.end));
  if (spec.event.day < coverage.start || spec.event.day > coverage.end) {
    throw new DataError(
      messages.located(spec.source, ["event", "date"], messages.eventOutsideCoverage(spec.event.day, coverage.start, coverage.end, startInferred || endInferred)),
    );
  }
  return coverage;
}

export function clipWindows(spec: NormalizedSpec, coverage: StudyCoverage, warnings: WarningList): StudyWindows {
  const clip = (which: "pre" | "post"): DayRange => {
    const window = spec.windows[which];
    const clipped = { start: Math.max(window.start, coverage.start), end: Math.min(window.end, coverage.end) };
    if (clipped.end < clipped.start) {
      throw new DataError(messages.located(spec.source, ["windows", which], messages.windowOutsideCoverage(which, window, coverage.start, coverage.end)));
    }
    if (clipped.start !== window.start || clipped.end !== window.end) {
      warnings.add("window_clipped", messages.windowClipped(which, window, clipped));
    }
    return clipped;
  };
  return { pre: clip("pre"), post: clip("post"), requested: { pre: spec.windows.pre, post: spec.windows.post } };
}
