/**
 * Where a study finds its ClickHouse server: never in the spec itself. The spec may name a
 * connection file (a path, never credentials); environment variables override it field by
 * field:
 *
 *   EVENTSTUDY_CLICKHOUSE_URL        e.g. http://127.0.0.1:8123 (the HTTP port)
 *   EVENTSTUDY_CLICKHOUSE_USER       default "default"
 *   EVENTSTUDY_CLICKHOUSE_PASSWORD   default "" (no password)
 *
 * A connection file is one JSON object with "url" (required unless the environment has
 * it), "user", "password" and "database" (all optional strings), e.g.
 * `{"url": "http://127.0.0.1:8123", "user": "eventstudy", "password": "..."}`. It is read
 * only when the environment leaves one of url, user or password unset, so CI can supply
 * everything through the environment. Each field remembers where it came from, and the
 * client's messages name that place ("check the url in EVENTSTUDY_CLICKHOUSE_URL").
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DataError } from "../../errors.js";
import { clickhouseMessages as m } from "./messages.js";

export const CLICKHOUSE_ENV = {
  url: "EVENTSTUDY_CLICKHOUSE_URL",
  user: "EVENTSTUDY_CLICKHOUSE_USER",
  password: "EVENTSTUDY_CLICKHOUSE_PASSWORD",
} as const;

export const DEFAULT_CLICKHOUSE_USER = "default";
/** data.clickhouse.timeout_seconds when the spec does not say (normalize.ts). */
export const DEFAULT_CLICKHOUSE_TIMEOUT_MS = 60_000;

/** What the client needs; `urlSource` and `credentialsSource` only shape its messages. */
export interface ClickHouseSettings {
  /** The HTTP interface, without a trailing slash and without credentials. */
  url: string;
  user: string;
  password: string;
  /** The database unqualified table names refer to; the server's default when absent. */
  database?: string;
  /** The client gives up on a query after this many milliseconds. */
  timeoutMs: number;
  /** Where the url came from, e.g. "EVENTSTUDY_CLICKHOUSE_URL" or "conn/clickhouse.json". */
  urlSource?: string;
  /** Where the user and password came from (or where to set them). */
  credentialsSource?: string;
}

export interface ResolveClickHouseOptions {
  /** The connection file's path as the spec names it (also how messages name it). */
  connectionFile?: string;
  /** A relative connectionFile is read from here; default the working directory. */
  baseDir?: string;
  /** Default process.env; tests pass their own. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the file's "database". */
  database?: string;
  timeoutMs?: number;
}

const FILE_KEYS = ["url", "user", "password", "database"] as const;
type FileKey = (typeof FILE_KEYS)[number];
type ConnectionFile = Partial<Record<FileKey, string>>;

export function resolveClickHouseSettings(options: ResolveClickHouseOptions = {}): ClickHouseSettings {
  const env = options.env ?? process.env;
  const fromEnv = {
    url: env[CLICKHOUSE_ENV.url],
    user: env[CLICKHOUSE_ENV.user],
    password: env[CLICKHOUSE_ENV.password],
  };
  const needFile = fromEnv.url === undefined || fromEnv.user === undefined || fromEnv.password === undefined;
  // With url, user and password in the environment the file is not needed, but its
  // database still names where unqualified tables are, so a file that is there is read.
  const file =
    options.connectionFile === undefined
      ? {}
      : needFile || existsSync(resolve(options.baseDir ?? process.cwd(), options.connectionFile))
        ? readConnectionFile(options.connectionFile, options.baseDir)
        : {};
  const fileName = options.connectionFile ?? "";

  const pick = (key: "url" | "user" | "password"): { value: string | undefined; source: string } => {
    if (fromEnv[key] !== undefined) return { value: fromEnv[key], source: CLICKHOUSE_ENV[key] };
    if (file[key] !== undefined) return { value: file[key], source: fileName };
    return { value: undefined, source: options.connectionFile ?? CLICKHOUSE_ENV[key] };
  };
  const url = pick("url");
  const user = pick("user");
  const password = pick("password");
  if (url.value === undefined) {
    throw new DataError(options.connectionFile === undefined ? m.noConnection() : m.connectionFileNoUrl(options.connectionFile));
  }

  const settings: ClickHouseSettings = {
    url: checkUrl(url.value, url.source),
    user: user.value ?? DEFAULT_CLICKHOUSE_USER,
    password: password.value ?? "",
    timeoutMs: options.timeoutMs ?? DEFAULT_CLICKHOUSE_TIMEOUT_MS,
    urlSource: url.source,
    credentialsSource: [...new Set([user.source, password.source])].join(" and "),
  };
  const database = options.database ?? file.database;
  if (database !== undefined) settings.database = database;
  return settings;
}

function readConnectionFile(path: string, baseDir: string | undefined): ConnectionFile {
  let text: string;
  try {
    text = readFileSync(resolve(baseDir ?? process.cwd(), path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DataError(m.connectionFileMissing(path));
    throw new DataError(m.connectionFileUnreadable(path, (error as Error).message));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataError(m.connectionFileBadJson(path, (error as Error).message));
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new DataError(m.connectionFileNotObject(path));
  const result: ConnectionFile = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) throw new DataError(m.connectionFileUnknownKey(path, key, FILE_KEYS));
    if (typeof value !== "string") throw new DataError(m.connectionFileNotString(path, key));
    result[key as FileKey] = value;
  }
  return result;
}

/** An http(s) URL without credentials, returned without a trailing slash. */
function checkUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DataError(m.badUrl(redactCredentials(text), source));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new DataError(m.badUrl(redactCredentials(text), source));
  if (url.username !== "" || url.password !== "") throw new DataError(m.urlWithCredentials(source));
  return url.toString().replace(/\/+$/, "");
}

/** `http://u:secret@host` -> `http://***@host`, so a message never shows a password. */
function redactCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/, "//***@");
}
