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
