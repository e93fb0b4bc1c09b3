import { defineConfig } from "vitest/config";

// The browser tests (npm run test:browser): real headless Chromium, run after `npm start`.
export default defineConfig({
  test: {
    env: { TZ: "Pacific/Chatham" },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ["test/global-setup.ts"],
    include: ["test/browser/**/*.test.ts"],
  },
});
