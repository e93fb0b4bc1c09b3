/** Where the ClickHouse tests find the servers and data that the project's scripts set up. */
import { fileURLToPath } from "node:url";
import { ClickHouseClient, type ClickHouseClientSettings } from "../../../src/data/clickhouse/http-client.js";
import { resolveClickHouseSettings } from "../../../src/data/clickhouse/settings.js";

export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Written by scripts/clickhouse-up.sh: shard 1's HTTP url, user eventstudy and its password. */
export const CONNECTION_FILE = ".clickhouse/connection.json";
export const CSV_FILE = fileURLToPath(new URL("../fixtures/clickhouse-incidents.csv", import.meta.url));
export const DATABASE = "eventstudy_test";
export const CLUSTER = "eventstudy_two_shards";

/** The test server's settings from the connection file alone (the caller's environment is ignored). */
export function testSettings(overrides: Partial<ClickHouseClientSettings> = {}): ClickHouseClientSettings {
  return { ...resolveClickHouseSettings({ connectionFile: CONNECTION_FILE, baseDir: PROJECT_ROOT, env: {}, database: DATABASE }), ...overrides };
}

export function testClient(overrides: Partial<ClickHouseClientSettings> = {}): ClickHouseClient {
  return new ClickHouseClient(testSettings(overrides));
}
