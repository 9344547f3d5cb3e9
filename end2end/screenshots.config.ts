import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// `scripts/screenshots.sh` runs this: every step of the widget, pictured for the README
// (docs/screenshots/). Not a test: the end-to-end suite does not run it.
export default defineConfig({
  ...base,
  testDir: "./screenshots",
  retries: 0,
  timeout: 120_000,
  projects: base.projects?.filter((project) => project.name === "chromium"),
});
