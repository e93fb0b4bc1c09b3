/** Why a row is left out of a study, and how `incident_rows.code` records it. */

/** Why a row did not make it into the study; the order is the order of precedence. */
export const EXCLUSION_REASONS = {
  // Never in incident_rows: DuckDB leaves such a row out as it reads (ragged-rows.ts).
  ragged_row: "the row has more or fewer fields than the header (usually a comma or a line break inside an unquoted field: quote that field)",
  missing_date: "the date is empty",
  bad_date: "the date is not YYYY-MM-DD or an ISO 8601 timestamp",
  bad_amount: "the amount is not a plain number (no currency signs, commas or words; NaN and infinity are not amounts)",
  negative_amount: "the amount is negative",
  huge_amount: "the amount is above 1e15 (a thousand trillion), more than any loss; check the amount column's unit",
  missing_amount: "the amount is empty and data.missing_amount is \"drop\"",
  duplicate: "an exact duplicate of an earlier row (data.duplicates is \"drop\")",
} as const;
/**
 * Above this an amount is a unit or parsing error, not a loss (the largest hack on record is
 * about 1.5e9 USD). It also keeps sums of squares finite: 1e300 squared is Infinity, which
 * would turn every variance into NaN.
 */
export const MAX_AMOUNT = 1e15;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

/** `incident_rows.code`: 1.. in the order of EXCLUSION_REASONS; NULL = used (if no filter drops it). */
export const EXCLUSION_CODES: Readonly<Record<ExclusionReason, number>> = Object.fromEntries(
  Object.keys(EXCLUSION_REASONS).map((reason, index) => [reason, index + 1]),
) as Record<ExclusionReason, number>;
/** `incident_rows.code` of a later copy of a row kept because data.duplicates is "keep": not excluded. */
export const KEPT_COPY_CODE = Object.keys(EXCLUSION_REASONS).length + 1;
/** SQL: the row is not excluded (it may still be filtered out). */
export const NOT_EXCLUDED = `(code IS NULL OR code = ${KEPT_COPY_CODE})`;
