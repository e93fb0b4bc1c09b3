import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // A non-UTC zone, so an off-by-one-day bucketing bug shows up (STYLE.md, 9).
    env: { TZ: "Pacific/Chatham" },
    testTimeout: 30_000,
    globalSetup: ["test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    // The browser tests need a built sample report and Chromium: npm run test:browser.
    // The ClickHouse server tests need a running ClickHouse: npm run test:clickhouse.
    exclude: ["test/browser/**", "test/data/clickhouse/**/*.server.test.ts", "**/node_modules/**"],
  },
});
