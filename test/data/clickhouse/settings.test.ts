// Where the ClickHouse connection comes from: environment variables win over the
// connection file, field by field; every bad file or url stops with one clear line.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { DataError, ExitCode } from "../../../src/errors.js";
import { resolveClickHouseSettings, type ResolveClickHouseOptions } from "../../../src/data/clickhouse/settings.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "eventstudy-ch-settings-"));
});

function writeFile(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const FULL = JSON.stringify({ url: "http://file-host:8123/", user: "file-user", password: "file-secret" });

/** The error a resolution throws, checked to be a DataError (exit code 3). */
function failure(options: ResolveClickHouseOptions): string {
  try {
    resolveClickHouseSettings({ baseDir: dir, env: {}, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).exitCode).toBe(ExitCode.badData);
    return (error as Error).message;
  }
  throw new Error("expected the settings to be refused");
}

describe("resolveClickHouseSettings: where each field comes from", () => {
  it("reads everything from the environment", () => {
    const env = { EVENTSTUDY_CLICKHOUSE_URL: "http://env-host:8123", EVENTSTUDY_CLICKHOUSE_USER: "env-user", EVENTSTUDY_CLICKHOUSE_PASSWORD: "env-secret" };
    expect(resolveClickHouseSettings({ env })).toEqual({
      url: "http://env-host:8123",
      user: "env-user",
      password: "env-secret",
      timeoutMs: 60_000,
      urlSource: "EVENTSTUDY_CLICKHOUSE_URL",
      credentialsSource: "EVENTSTUDY_CLICKHOUSE_USER and EVENTSTUDY_CLICKHOUSE_PASSWORD",
    });
  });

  it("defaults the user to `default` with no password when only the url is set", () => {
    const settings = resolveClickHouseSettings({ env: { EVENTSTUDY_CLICKHOUSE_URL: "https://ch.example.com" } });
    expect(settings).toMatchObject({ url: "https://ch.example.com", user: "default", password: "" });
    expect(settings.credentialsSource).toBe("EVENTSTUDY_CLICKHOUSE_USER and EVENTSTUDY_CLICKHOUSE_PASSWORD");
  });

  it("reads everything from the connection file, relative to baseDir, without the trailing slash", () => {
    const file = writeFile("conn.json", JSON.stringify({ url: "http://file-host:8123/", user: "file-user", password: "file-secret", database: "db1" }));
    expect(resolveClickHouseSettings({ connectionFile: file, baseDir: dir, env: {}, timeoutMs: 5000 })).toEqual({
      url: "http://file-host:8123",
      user: "file-user",
      password: "file-secret",
      database: "db1",
      timeoutMs: 5000,
      urlSource: "conn.json",
      credentialsSource: "conn.json",
    });
  });

  it("lets each environment variable override its field of the file", () => {
    const file = writeFile("conn.json", FULL);
    const settings = resolveClickHouseSettings({ connectionFile: file, baseDir: dir, env: { EVENTSTUDY_CLICKHOUSE_PASSWORD: "env-secret" } });
    expect(settings).toMatchObject({ url: "http://file-host:8123", user: "file-user", password: "env-secret" });
    expect(settings.credentialsSource).toBe("conn.json and EVENTSTUDY_CLICKHOUSE_PASSWORD");

    const byUrl = resolveClickHouseSettings({ connectionFile: file, baseDir: dir, env: { EVENTSTUDY_CLICKHOUSE_URL: "http://env-host:9999" } });
    expect(byUrl).toMatchObject({ url: "http://env-host:9999", user: "file-user", password: "file-secret", urlSource: "EVENTSTUDY_CLICKHOUSE_URL" });
  });

  it("takes an empty password from the environment as a password, not as unset", () => {
    const file = writeFile("conn.json", FULL);
    expect(resolveClickHouseSettings({ connectionFile: file, baseDir: dir, env: { EVENTSTUDY_CLICKHOUSE_PASSWORD: "" } }).password).toBe("");
  });

  it("does not need the file when the environment has url, user and password, but still takes its database", () => {
    const env = { EVENTSTUDY_CLICKHOUSE_URL: "http://env-host:8123", EVENTSTUDY_CLICKHOUSE_USER: "u", EVENTSTUDY_CLICKHOUSE_PASSWORD: "p" };
    expect(resolveClickHouseSettings({ connectionFile: "missing.json", baseDir: dir, env }).url).toBe("http://env-host:8123");
    const file = writeFile("with-database.json", JSON.stringify({ url: "http://file-host:8123", user: "f", password: "f", database: "from_file" }));
    expect(resolveClickHouseSettings({ connectionFile: file, baseDir: dir, env })).toMatchObject({ url: "http://env-host:8123", user: "u", password: "p", database: "from_file" });
  });

  it("lets the caller's database override the file's", () => {
    const file = writeFile("conn.json", JSON.stringify({ url: "http://h:8123", database: "from_file" }));
    expect(resolveClickHouseSettings({ connectionFile: file, baseDir: dir, env: {}, database: "from_spec" }).database).toBe("from_spec");
  });

  it("uses process.env when no env is passed", () => {
    const saved = process.env.EVENTSTUDY_CLICKHOUSE_URL;
    process.env.EVENTSTUDY_CLICKHOUSE_URL = "http://process-env:8123";
    try {
      expect(resolveClickHouseSettings({}).url).toBe("http://process-env:8123");
    } finally {
      if (saved === undefined) delete process.env.EVENTSTUDY_CLICKHOUSE_URL;
      else process.env.EVENTSTUDY_CLICKHOUSE_URL = saved;
    }
  });
});

describe("resolveClickHouseSettings: clear messages", () => {
  it("no url anywhere", () => {
    expect(failure({})).toBe(
      'ClickHouse connection: no url. Set EVENTSTUDY_CLICKHOUSE_URL (and EVENTSTUDY_CLICKHOUSE_USER, EVENTSTUDY_CLICKHOUSE_PASSWORD), or name a connection file holding {"url": "http://127.0.0.1:8123", "user": "default", "password": ""}.',
    );
  });

  it("a missing connection file", () => {
    expect(failure({ connectionFile: "conn/nope.json" })).toBe(
      'conn/nope.json: ClickHouse connection file not found. Create it with {"url": "http://127.0.0.1:8123", "user": "default", "password": ""}, or set EVENTSTUDY_CLICKHOUSE_URL.',
    );
  });

  it("a file that is not JSON", () => {
    const file = writeFile("conn.json", "{url: http://h:8123}");
    expect(failure({ connectionFile: file })).toMatch(
      /^conn\.json: the ClickHouse connection file is not valid JSON \(.+\)\. Write it like \{"url": "http:\/\/127\.0\.0\.1:8123", "user": "default", "password": ""\}\.$/,
    );
  });

  it("a file that is not one object", () => {
    const file = writeFile("conn.json", '["http://h:8123"]');
    expect(failure({ connectionFile: file })).toBe(
      'conn.json: the ClickHouse connection file must be one JSON object, like {"url": "http://127.0.0.1:8123", "user": "default", "password": ""}.',
    );
  });

  it("a misspelt key", () => {
    const file = writeFile("conn.json", JSON.stringify({ url: "http://h:8123", pasword: "x" }));
    expect(failure({ connectionFile: file })).toBe('conn.json: unknown key "pasword" in the ClickHouse connection file. Allowed keys: url, user, password, database.');
  });

  it("a value that is not a string", () => {
    const file = writeFile("conn.json", JSON.stringify({ url: "http://h:8123", password: 1234 }));
    expect(failure({ connectionFile: file })).toBe(
      'conn.json: "password" must be a string in the ClickHouse connection file, e.g. {"url": "http://127.0.0.1:8123", "user": "default", "password": ""}.',
    );
  });

  it("a file without a url", () => {
    const file = writeFile("conn.json", JSON.stringify({ user: "u", password: "p" }));
    expect(failure({ connectionFile: file })).toBe(
      'conn.json: the ClickHouse connection file has no "url". Add "url": "http://127.0.0.1:8123", or set EVENTSTUDY_CLICKHOUSE_URL.',
    );
  });

  it("a file that cannot be read", () => {
    mkdirSync(join(dir, "a-folder.json"));
    expect(failure({ connectionFile: "a-folder.json" })).toMatch(/^a-folder\.json: cannot read the ClickHouse connection file \(EISDIR.*\)\. Check the file's permissions\.$/);
  });

  it("a url that is not http(s), naming where it came from", () => {
    expect(failure({ env: { EVENTSTUDY_CLICKHOUSE_URL: "127.0.0.1:8123" } })).toBe(
      'EVENTSTUDY_CLICKHOUSE_URL: "127.0.0.1:8123" is not an http:// or https:// URL. Write it like http://127.0.0.1:8123.',
    );
    expect(failure({ env: { EVENTSTUDY_CLICKHOUSE_URL: "" } })).toBe('EVENTSTUDY_CLICKHOUSE_URL: "" is not an http:// or https:// URL. Write it like http://127.0.0.1:8123.');
    const file = writeFile("conn.json", JSON.stringify({ url: "tcp://h:9000" }));
    expect(failure({ connectionFile: file })).toBe('conn.json: "tcp://h:9000" is not an http:// or https:// URL. Write it like http://127.0.0.1:8123.');
  });

  it("a url carrying credentials, without printing the password", () => {
    const message = failure({ env: { EVENTSTUDY_CLICKHOUSE_URL: "http://me:s3cret@h:8123" } });
    expect(message).toBe(
      'EVENTSTUDY_CLICKHOUSE_URL: the ClickHouse url carries a user name or password. Remove them from the url and set them as "user" and "password" in the connection file, or in EVENTSTUDY_CLICKHOUSE_USER and EVENTSTUDY_CLICKHOUSE_PASSWORD.',
    );
    expect(failure({ env: { EVENTSTUDY_CLICKHOUSE_URL: "http://me:s3cret@h:bad-port" } })).not.toContain("s3cret");
  });
});
