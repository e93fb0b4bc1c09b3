/**
 * Which rows a ClickHouse warning shows as examples: the first EXAMPLES_PER_WARNING rows of
 * the tally in the order `raw_date, raw_amount, name, row` (NULLs last, text compared byte
 * by byte, as ClickHouse's ORDER BY does), so a rerun on the same table shows the same rows.
 *
 * ClickHouse 18.16 has no bounded "smallest n" aggregate, and sorting every row to find three
 * is what made each question slow. So the day cube (day-cube.ts) keeps, for each cell and
 * each kind of row in it, its first row (`min` of the key) and, for a part of at most three
 * rows, all of them (`groupArray(3)`): bounded, in the pass that counts. From those the
 * first rows of a tally are known exactly in most cases; when they are not, `firstExamples`
 * returns an upper bound on the key, and one follow-up query sorts only the rows at or
 * below it (a handful: the bound is a real row of the tally, at most the third first row of
 * a cell).
 */
import type { RowExample } from "../incident-queries.js";
import { quoteClickHouseString } from "./sql.js";

/** How many example rows a warning lists (as for a file). */
export const EXAMPLES_PER_WARNING = 3;

/**
 * The sort key of a row, as ClickHouse returns `exampleKeySql`: NULL flags before each text
 * so that NULLs sort last, then the content hash that identifies the row.
 */
export type ExampleKey = [dateIsNull: number, date: string, amountIsNull: number, amount: string, nameIsNull: number, name: string, row: number];

/** The key in ClickHouse SQL, over the columns of the incidents relation (incident-sql.ts). */
export const EXAMPLE_KEY_SQL =
  "tuple(isNull(raw_date), ifNull(raw_date, ''), isNull(raw_amount), ifNull(raw_amount, ''), isNull(name), ifNull(name, ''), row)";

/** The rows of one part of a cube cell that belong to a tally. */
export interface TallyPart {
  /** Distinct rows in the part. */
  count: number;
  /** Every row of the part when count <= EXAMPLES_PER_WARNING, else only its first. */
  first: ExampleKey[];
}

/** Either the tally's examples, or the key the follow-up query may stop at (null: no bound known). */
export type ExampleChoice = { examples: ExampleKey[] } | { bound: ExampleKey | null };

const encoder = new TextEncoder();

/** ClickHouse's order of two texts: byte by byte in UTF-8 (memcmp), a prefix first. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(encoder.encode(a)), Buffer.from(encoder.encode(b)));
}

/** ClickHouse's order of nullable texts: NULL last. */
export function compareNullableText(a: string | null, b: string | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return compareText(a, b);
}

export function compareKeys(a: ExampleKey, b: ExampleKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    const order = typeof x === "string" ? compareText(x, y as string) : x - (y as number);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * A text that reached JavaScript with a replacement character may not be the bytes the
 * server sorted (invalid UTF-8 is decoded to U+FFFD), so it can be neither compared here
 * nor sent back as a bound.
 */
function exact(key: ExampleKey): boolean {
  return ![key[1], key[3], key[5]].some((text) => text.includes("\uFFFD"));
}

/**
 * The first rows of a tally from its parts, when the parts tell them: every part not known
 * in full must start at or after the third candidate, so none of its unseen rows (all after
 * its first) can come before it. Otherwise the third candidate bounds the follow-up query.
 */
export function firstExamples(parts: readonly TallyPart[]): ExampleChoice {
  const candidates = parts.flatMap((part) => part.first).sort(compareKeys);
  if (!candidates.every(exact)) return { bound: null };
  const third = candidates[EXAMPLES_PER_WARNING - 1];
  const partial = parts.filter((part) => part.count > part.first.length);
  if (partial.length === 0) return { examples: candidates.slice(0, EXAMPLES_PER_WARNING) };
  if (third === undefined) return { bound: null };
  const settled = partial.every((part) => compareKeys(part.first[0] as ExampleKey, third) >= 0);
  return settled ? { examples: candidates.slice(0, EXAMPLES_PER_WARNING) } : { bound: third };
}

/**
 * A row as a warning shows it. Its `row` is the row's content hash (incident-sql.ts), not a
 * line number: a table has no row order. `identifiedBy` says so, and a warning then names
 * it "row with content hash N" (pipeline.ts, describeRow), never "row N".
 */
export interface ClickHouseRowExample extends RowExample {
  identifiedBy: "content hash";
}

export function toRowExample(key: ExampleKey): ClickHouseRowExample {
  const [dateIsNull, date, amountIsNull, amount, nameIsNull, name, row] = key;
  return { row, name: nameIsNull ? null : name, date: dateIsNull ? null : date, amount: amountIsNull ? null : amount, identifiedBy: "content hash" };
}

/** The follow-up's name for used rows with an unknown amount (not an exclusion reason). */
export const UNKNOWN_AMOUNT = "unknown_amount";
/** The follow-up's name for copies of a row (`duplicates: drop`; never a value of `excluded`). */
export const DUPLICATE = "duplicate";

/** Which rows a follow-up tally holds, in SQL over the incidents relation. */
function tallyCondition(tally: string): string {
  if (tally === UNKNOWN_AMOUNT) return "excluded IS NULL AND NOT filtered_out AND amount IS NULL";
  if (tally === DUPLICATE) return "excluded IS NULL AND copies > 1";
  return `ifNull(excluded = ${quoteClickHouseString(tally)}, 0)`;
}

/** A key as a ClickHouse tuple literal (texts escaped, the hash exact: it is below 2^53). */
export function keyLiteral(key: ExampleKey): string {
  const [dateIsNull, date, amountIsNull, amount, nameIsNull, name, row] = key;
  const flag = (value: number): string => `toUInt8(${value === 0 ? 0 : 1})`;
  if (!Number.isSafeInteger(row)) throw new Error(`not a row hash: ${row}`);
  return `tuple(${flag(dateIsNull)}, ${quoteClickHouseString(date)}, ${flag(amountIsNull)}, ${quoteClickHouseString(amount)}, ${flag(nameIsNull)}, ${quoteClickHouseString(name)}, toFloat64(${row}))`;
}

/**
 * The first rows of the tallies the cube could not settle, in one query: only their rows are
 * read into the sort, and of a tally with a bound only those at or below it.
 */
export function followUpSql(incidents: string, requests: ReadonlyArray<{ tally: string; bound: ExampleKey | null }>): string {
  const tallies = `arrayFilter(t -> t != '', [${requests.map((request) => `if(${tallyCondition(request.tally)}, ${quoteClickHouseString(request.tally)}, '')`).join(", ")}])`;
  const wanted = requests.map((request) => `(tally = ${quoteClickHouseString(request.tally)}${request.bound === null ? "" : ` AND key <= ${keyLiteral(request.bound)}`})`);
  return `SELECT tally, key FROM (
    SELECT arrayJoin(${tallies}) AS tally, ${EXAMPLE_KEY_SQL} AS key FROM ${incidents}
    WHERE ${requests.map((request) => `(${tallyCondition(request.tally)})`).join(" OR ")})
  WHERE ${wanted.join(" OR ")}
  ORDER BY tally, key LIMIT ${EXAMPLES_PER_WARNING} BY tally`;
}

/** The first rows of the used rows dated outside [from, to]: ClickHouse keeps only three while it sorts (ORDER BY ... LIMIT). */
export function outsideExamplesSql(incidents: string, from: number, to: number): string {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new Error(`not a day: ${from}, ${to}`);
  return `SELECT ${EXAMPLE_KEY_SQL} AS key FROM ${incidents}
  WHERE excluded IS NULL AND NOT filtered_out AND (day < ${from} OR day > ${to})
  ORDER BY key LIMIT ${EXAMPLES_PER_WARNING}`;
}
