import { defineConfig } from "vitest/config";

// The ClickHouse tests (npm run test:clickhouse): a real two-shard ClickHouse on loopback,
// started by scripts/clickhouse-up.sh and loaded by scripts/clickhouse-load-test-data.sh.
export default defineConfig({
  test: {
    // A non-UTC zone, so an off-by-one-day bucketing bug shows up (STYLE.md, 9).
    env: { TZ: "Pacific/Chatham" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ["test/global-setup.ts", "test/data/clickhouse/server-setup.ts"],
    include: ["test/data/clickhouse/**/*.test.ts"],
  },
});
