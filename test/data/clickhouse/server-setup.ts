/**
 * Global setup of the ClickHouse tests: stop at once, with the command to run, when the
 * test servers are not up or the test data is not loaded (instead of every test failing).
 */
import { ClickHouseClient } from "../../../src/data/clickhouse/http-client.js";
import { resolveClickHouseSettings } from "../../../src/data/clickhouse/settings.js";
import { CONNECTION_FILE, PROJECT_ROOT } from "./test-server.js";

export default async function setup(): Promise<void> {
  const start = "Start and load them with: bash scripts/clickhouse-up.sh && bash scripts/clickhouse-load-test-data.sh (or run npm run test:clickhouse).";
  let client: ClickHouseClient;
  try {
    client = new ClickHouseClient(resolveClickHouseSettings({ connectionFile: CONNECTION_FILE, baseDir: PROJECT_ROOT, env: {}, timeoutMs: 10_000 }));
    await client.query("SELECT count() AS n FROM eventstudy_test.incidents");
  } catch (error) {
    throw new Error(`The ClickHouse test servers are not ready: ${(error as Error).message} ${start}`);
  }
}
