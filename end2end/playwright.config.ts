import { defineConfig, devices } from "@playwright/test";

// Debian's chromium, never a downloaded browser. The flags keep it quiet on a closed network.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  // `cargo leptos end-to-end` starts the server without waiting for it to listen.
  globalSetup: "./global-setup.ts",
  fullyParallel: false,
  workers: 1,
  // One retry, as Playwright advises for CI: a test that passes only on its retry is reported
  // as flaky (scripts/test.sh lists it), and a test that fails twice fails the run.
  retries: 1,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: /no-js\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], launchOptions: chromium },
    },
    {
      name: "chromium-no-js",
      testMatch: /no-js\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], javaScriptEnabled: false, launchOptions: chromium },
    },
  ],
});
