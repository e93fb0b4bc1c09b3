/**
 * Calendar days as integers (days since 1970-01-01). Every window, coverage bound and
 * daily series index is a day number, so day arithmetic never meets a time zone or DST.
 */
export type DayNumber = number;

/** An inclusive range of days. */
export interface DayRange {
  start: DayNumber;
  end: DayNumber;
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a YYYY-MM-DD string, or undefined if it is not a real calendar date. */
export function parseIsoDay(text: string): DayNumber | undefined {
  const match = ISO_DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return Math.round(ms / MS_PER_DAY);
}

export function formatDay(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isValidTimeZone(zone: string): boolean {
  // The first Intl.DateTimeFormat loads ICU's zone data (~25 ms, a tenth of an unchanged
  // rerun's budget): the default zone needs no check.
  if (zone === "UTC") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
