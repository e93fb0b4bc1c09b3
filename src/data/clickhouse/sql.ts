/**
 * Quoting for ClickHouse SQL. ClickHouse 18.16's HTTP interface has no bound parameters
 * (`{name:Type}` came in 19.x), so spec values are spliced into the SQL text as literals,
 * and every one must go through `quoteClickHouseString`: a spec value such as
 * `x'); DROP TABLE t; --` then stays one string literal. (A second statement would be
 * refused anyway: the HTTP interface runs one statement per request.)
 *
 * ClickHouse reads backslash escapes inside both '...' strings and `...` identifiers:
 * \\ \' \` \n \t \r \0 \b \f \a \v \e and \xHH (two hex digits). Doubling a quote ('')
 * also works in strings but not in every place an identifier appears, so both functions
 * escape with a backslash. Checked against clickhouse-server 18.16.1 in
 * test/data/clickhouse/sql.test.ts.
 */

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "'": "\\'",
  "`": "\\`",
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
};

/** Backslash, the given quote, and every C0 control character and DEL. */
function escape(text: string, special: RegExp): string {
  return text.replace(special, (c) => NAMED_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`);
}

const STRING_SPECIALS = /[\\'\x00-\x1F\x7F]/g;
const IDENTIFIER_SPECIALS = /[\\`\x00-\x1F\x7F]/g;

/** A ClickHouse string literal: `it's` -> `'it\'s'`, a newline -> `\n`. */
export function quoteClickHouseString(value: string): string {
  return `'${escape(value, STRING_SPECIALS)}'`;
}

/**
 * A ClickHouse identifier (column, table or database name) in backticks: `` a`b `` ->
 * `` `a\`b` ``. An empty name cannot be written in ClickHouse SQL at all.
 */
export function quoteClickHouseIdentifier(name: string): string {
  if (name === "") throw new RangeError("quoteClickHouseIdentifier: an identifier cannot be empty");
  return `\`${escape(name, IDENTIFIER_SPECIALS)}\``;
}
