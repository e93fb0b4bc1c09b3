/**
 * A minimal client for ClickHouse's HTTP interface (checked against 18.16), on Node's
 * global fetch: no driver, no new dependency.
 *
 * - `query(sql)` POSTs the SQL as the request body and appends `FORMAT JSONEachRow`
 *   itself, on a new line (so a trailing `-- comment` cannot swallow it): callers write
 *   a plain SELECT with no FORMAT clause; a trailing `;` is dropped. One statement per
 *   call (the HTTP interface refuses more).
 * - Rows come back as parsed JSON objects. ClickHouse writes 64-bit integers (count(),
 *   sum of an integer, UInt64 columns) as JSON strings, Float64 as numbers, NULL, inf and
 *   nan as null, Date as "YYYY-MM-DD": cast in SQL (toFloat64, toString) or convert.
 * - Credentials go as HTTP basic auth, which 18.16 accepts (so does the
 *   X-ClickHouse-User/X-ClickHouse-Key pair; basic auth also carries non-Latin-1
 *   passwords); the database as the `database` URL parameter (18.16 has no
 *   X-ClickHouse-Database header).
 * - A query that takes longer than `timeoutMs`, from sending to the last byte, is aborted.
 *   The client sends no server settings (a readonly=1 user could not change them), so
 *   the server may finish an abandoned query on its own.
 *
 * Every failure is a ClickHouseError (a DataError, exit code 3) with a one-line message
 * naming the server, what went wrong and where to fix it; never a stack trace. For a
 * spec's source (`origin`) the message starts at the spec's data.clickhouse and names the
 * spec setting involved (data.clickhouse.timeout_seconds, .table or .query).
 */
import { DataError } from "../../errors.js";
import { clickhouseMessages as m } from "./messages.js";
import type { ClickHouseSettings } from "./settings.js";

export type ClickHouseClientSettings = Pick<ClickHouseSettings, "url" | "user" | "password" | "timeoutMs"> &
  Partial<Pick<ClickHouseSettings, "database" | "urlSource" | "credentialsSource">> & { origin?: ClickHouseSpecOrigin };

/**
 * Where a spec asks for this server. With it, every failure starts with the spec's file,
 * line and column of data.clickhouse, and names the spec setting to change: a user who
 * runs several specs sees which one failed and what in it to fix.
 */
export interface ClickHouseSpecOrigin {
  /** `text` after the place of data.clickhouse: `study.yaml:4:3 data.clickhouse: text`. */
  at(text: string): string;
  /** What the spec reads, so a server error says which of data.clickhouse.table or .query to check. */
  source: "table" | "query";
}

/** What went wrong: unreachable, too slow, refused credentials, SQL error, or not ClickHouse. */
export type ClickHouseErrorKind = "connection" | "timeout" | "authentication" | "server" | "response";

export class ClickHouseError extends DataError {
  constructor(
    message: string,
    readonly kind: ClickHouseErrorKind,
    /** ClickHouse's exception code (60 = unknown table, ...) when the server sent one. */
    readonly code?: number,
  ) {
    super(message);
  }
}

/** Exception codes that mean "who you are", not "what you asked": 18.16 and later. */
const AUTHENTICATION_CODES = new Set([192, 193, 194, 195, 516]);

export class ClickHouseClient {
  private readonly settings: ClickHouseClientSettings;

  constructor(settings: ClickHouseClientSettings) {
    this.settings = { ...settings, url: settings.url.replace(/\/+$/, "") };
  }

  get url(): string {
    return this.settings.url;
  }

  /** Runs one SELECT (without a FORMAT clause) and returns its rows. */
  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const body = `${sql.replace(/[\s;]+$/, "")}\nFORMAT JSONEachRow`;
    const text = await this.post(body);
    return this.parseRows<T>(text);
  }

  private async post(body: string): Promise<{ status: number; text: string }> {
    const { url, user, password, timeoutMs, database } = this.settings;
    const target = new URL(url);
    if (database !== undefined) target.searchParams.set("database", database);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await fetch(target, {
        method: "POST",
        headers: {
          Authorization: `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`,
          "Content-Type": "text/plain; charset=utf-8",
        },
        body,
        signal: controller.signal,
      });
      const text = await response.text();
      if (!response.ok) throw this.httpError(response.status, text);
      return { status: response.status, text };
    } catch (error) {
      if (error instanceof ClickHouseError) throw error;
      if (timedOut) throw this.error(m.timeout(url, timeoutMs, this.settings.origin !== undefined), "timeout");
      throw this.networkError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private parseRows<T>({ status, text }: { status: number; text: string }): T[] {
    const rows: T[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (line.trim() === "") continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        // An error after the first rows arrives in the body of a 200 response.
        if (/^Code: \d+/.test(line)) throw this.serverError(lines.slice(i).join("\n"));
        throw this.error(m.notClickHouse(this.settings.url, status, line), "response");
      }
      if (typeof row !== "object" || row === null || Array.isArray(row)) {
        throw this.error(m.notClickHouse(this.settings.url, status, line), "response");
      }
      rows.push(row as T);
    }
    return rows;
  }

  private httpError(status: number, text: string): ClickHouseError {
    if (/^Code: \d+/.test(text.trim())) return this.serverError(text);
    return this.error(m.notClickHouse(this.settings.url, status, text), "response");
  }

  private serverError(text: string): ClickHouseError {
    const exception = cleanException(text);
    const code = Number(/^Code: (\d+)/.exec(text.trim())?.[1]);
    if (AUTHENTICATION_CODES.has(code)) {
      const source = this.settings.credentialsSource ?? "the client settings";
      return this.error(m.authenticationFailed(this.settings.url, this.settings.user, exception, source), "authentication", code);
    }
    return this.error(m.serverError(this.settings.url, exception, this.settings.origin?.source), "server", code);
  }

  private networkError(error: unknown): ClickHouseError {
    const { url } = this.settings;
    const source = this.settings.urlSource ?? "the client settings";
    const cause = (error as { cause?: unknown }).cause ?? error;
    const code = errorCode(cause);
    if (code === "ECONNREFUSED") return this.error(m.connectionRefused(url, source), "connection");
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return this.error(m.hostNotFound(url, new URL(url).hostname, source), "connection");
    const reason = cause instanceof Error && cause.message !== "" ? cause.message : String(cause);
    return this.error(m.networkError(url, code === undefined ? reason : `${code}: ${reason}`, source), "connection");
  }

  /** A failure, placed at the spec's data.clickhouse when the client serves a spec. */
  private error(message: string, kind: ClickHouseErrorKind, code?: number): ClickHouseError {
    return new ClickHouseError(this.settings.origin?.at(message) ?? message, kind, code);
  }
}

/** A socket error's code; `localhost` tries ::1 and 127.0.0.1, failing with an AggregateError. */
function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== "object" || cause === null) return undefined;
  const { code, errors } = cause as { code?: unknown; errors?: unknown };
  if (typeof code === "string") return code;
  if (Array.isArray(errors)) return errors.map(errorCode).find((inner) => inner !== undefined);
  return undefined;
}

/**
 * `Code: 60, e.displayText() = DB::Exception: Table x doesn't exist., e.what() = DB::Exception`
 * (18.16) -> `Code: 60, DB::Exception: Table x doesn't exist.`; newer servers' one-line
 * form `Code: 60. DB::Exception: ... (UNKNOWN_TABLE) (version 23.8)` is kept as it is.
 */
function cleanException(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? "";
  return line.replace(/e\.displayText\(\) = /, "").replace(/,? e\.what\(\) = [\w:]+$/, "").trim();
}
