/**
 * Helpers for building SQL from spec values. Identifiers (column names from the spec) are
 * always double-quoted with embedded quotes doubled; values are always bound parameters,
 * never spliced into the text, so a spec value such as `x'); DROP TABLE t; --` stays data.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal, only for values the engine itself produced (file paths, enum words). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Collects positional parameters while a query is assembled. */
export class SqlParameters {
  readonly values: Array<string | number | boolean> = [];

  /** Adds a value and returns its placeholder. */
  add(value: string | number | boolean): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * SqlParameters whose placeholders are session variables (`getvariable`), for SQL that
 * becomes a view (a view has no parameters of its own). `bind` sets them, each value bound
 * as a parameter of its own SET statement: still never spliced into SQL text.
 */
export class VariableParameters extends SqlParameters {
  constructor(private readonly prefix: string) {
    super();
  }

  override add(value: string | number | boolean): string {
    super.add(value);
    return `getvariable('${this.prefix}${this.values.length}')`;
  }

  async bind(session: { run(sql: string, values?: ReadonlyArray<string | number | boolean>): Promise<void> }): Promise<void> {
    for (const [index, value] of this.values.entries()) await session.run(`SET VARIABLE ${this.prefix}${index + 1} = $1`, [value]);
  }
}

/** 2^56: amounts are summed as integers in units of 2^-56. */
const SCALE = "72057594037927936::DOUBLE";
/** 2^40 (about 1.1e12): amounts below it, times 2^56, fit a HUGEINT with room to add 2^31 of them. */
const EXACT_LIMIT = "1099511627776::DOUBLE";

/**
 * Summing DOUBLEs the same way whatever order the rows arrive in. A plain sum() of
 * doubles is not: DuckDB adds rows in whatever order its threads reach them, so one file
 * gave different last digits from run to run, and the same data as CSV and as Parquet
 * gave different results.
 *
 * Each value below 2^40 is scaled by 2^56 (exact: a power of two) and becomes a 128-bit
 * integer; integers add exactly in any order, and partial sums can be added up later just
 * as exactly. That is exact for every value from 2^-4 up (its last bit is worth at least
 * 2^-56); smaller ones are rounded to the nearest 2^-56 (below 1.4e-17), the same way
 * every time. The total becomes a DOUBLE once. The rare values of 2^40 and more (over a
 * trillion) are kept in a list and summed in sorted order.
 *
 * `exactSumParts` gives the two aggregates (name_exact, name_large) for a GROUP BY;
 * `exactSumOfParts` adds up such parts from several rows into the final DOUBLE.
 */
export function exactSumParts(column: string, name: string): string {
  return `sum(CASE WHEN abs(${column}) < ${EXACT_LIMIT} THEN (${column} * ${SCALE})::HUGEINT END) AS ${name}_exact,
          list(${column}) FILTER (WHERE abs(${column}) >= ${EXACT_LIMIT}) AS ${name}_large`;
}

export function exactSumOfParts(name: string): string {
  return `(coalesce(sum(${name}_exact), 0)::DOUBLE / ${SCALE}
           + coalesce(list_sum(list_sort(flatten(list(${name}_large) FILTER (WHERE ${name}_large IS NOT NULL)))), 0))`;
}
