/**
 * Every sentence the ClickHouse source prints, as functions (to be merged into
 * src/messages.ts). Each names the server or the settings' origin, the problem and the
 * fix, on one line. None ever includes a password.
 */

export const EXAMPLE_CONNECTION = `{"url": "http://127.0.0.1:8123", "user": "default", "password": ""}`;

/** `500` -> `0.5 s`, `30000` -> `30 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The first line of a text, cut to `max` characters. */
function firstLine(text: string, max = 300): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? "";
  return line.length > max ? `${line.slice(0, max)}...` : line;
}

/** What to check when the server refuses the engine's SQL, by what the spec reads. */
const CHECK_SOURCE = {
  table: "Check data.clickhouse.table (database.table, or a table in the connection's database) and the columns named in data.columns.",
  query: "Check data.clickhouse.query (one SELECT with no FORMAT clause; try it in clickhouse-client) and the columns named in data.columns.",
} as const;

/** A text as a sentence: a final period added when it ends with none. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

export const clickhouseMessages = {
  // ---- talking to the server ------------------------------------------------------------
  connectionRefused: (url: string, source: string) =>
    `ClickHouse at ${url}: connection refused. Start the server or check the url in ${source}.`,
  hostNotFound: (url: string, host: string, source: string) =>
    `ClickHouse at ${url}: the host "${host}" was not found. Check the url in ${source}.`,
  networkError: (url: string, reason: string, source: string) =>
    `ClickHouse at ${url}: the connection failed (${firstLine(reason)}). Check that the server is running and the url in ${source}.`,
  /** `fromSpec`: the timeout is the spec's data.clickhouse.timeout_seconds, so that is what to raise. */
  timeout: (url: string, timeoutMs: number, fromSpec = false) =>
    `ClickHouse at ${url} did not answer within ${seconds(timeoutMs)}. The server may be overloaded or the query too heavy; ${
      fromSpec ? `raise data.clickhouse.timeout_seconds (now ${timeoutMs / 1000})` : "raise the timeout"
    } or try again.`,
  /** `source`: what the spec reads, so the message says which setting to check. */
  serverError: (url: string, exception: string, source?: "table" | "query") =>
    source === undefined
      ? `ClickHouse at ${url} returned an error: ${firstLine(exception, 500)}`
      : `ClickHouse at ${url} returned an error: ${sentence(firstLine(exception, 500))} ${CHECK_SOURCE[source]}`,
  authenticationFailed: (url: string, user: string, exception: string, source: string) =>
    `ClickHouse at ${url} refused the user "${user}" (${firstLine(exception, 300)}). Check the user and password in ${source}.`,
  notClickHouse: (url: string, status: number, body: string) =>
    `ClickHouse at ${url} answered HTTP ${status} with something that is not ClickHouse rows ("${firstLine(body, 80)}"). Check that the url is ClickHouse's HTTP port (8123 by default), not the native port (9000) or another web server.`,

  // ---- where the settings come from --------------------------------------------------------
  noConnection: () =>
    `ClickHouse connection: no url. Set EVENTSTUDY_CLICKHOUSE_URL (and EVENTSTUDY_CLICKHOUSE_USER, EVENTSTUDY_CLICKHOUSE_PASSWORD), or name a connection file holding ${EXAMPLE_CONNECTION}.`,
  connectionFileMissing: (file: string) =>
    `${file}: ClickHouse connection file not found. Create it with ${EXAMPLE_CONNECTION}, or set EVENTSTUDY_CLICKHOUSE_URL.`,
  connectionFileUnreadable: (file: string, reason: string) =>
    `${file}: cannot read the ClickHouse connection file (${firstLine(reason)}). Check the file's permissions.`,
  connectionFileBadJson: (file: string, reason: string) =>
    `${file}: the ClickHouse connection file is not valid JSON (${firstLine(reason)}). Write it like ${EXAMPLE_CONNECTION}.`,
  connectionFileNotObject: (file: string) =>
    `${file}: the ClickHouse connection file must be one JSON object, like ${EXAMPLE_CONNECTION}.`,
  connectionFileUnknownKey: (file: string, key: string, allowed: readonly string[]) =>
    `${file}: unknown key "${key}" in the ClickHouse connection file. Allowed keys: ${allowed.join(", ")}.`,
  connectionFileNotString: (file: string, key: string) =>
    `${file}: "${key}" must be a string in the ClickHouse connection file, e.g. ${EXAMPLE_CONNECTION}.`,
  connectionFileNoUrl: (file: string) =>
    `${file}: the ClickHouse connection file has no "url". Add "url": "http://127.0.0.1:8123", or set EVENTSTUDY_CLICKHOUSE_URL.`,
  badUrl: (url: string, source: string) =>
    `${source}: "${firstLine(url, 200)}" is not an http:// or https:// URL. Write it like http://127.0.0.1:8123.`,
  urlWithCredentials: (source: string) =>
    `${source}: the ClickHouse url carries a user name or password. Remove them from the url and set them as "user" and "password" in the connection file, or in EVENTSTUDY_CLICKHOUSE_USER and EVENTSTUDY_CLICKHOUSE_PASSWORD.`,
};
