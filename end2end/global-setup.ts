import type { FullConfig } from "@playwright/test";

// Waits until the server answers, for up to 60 seconds.
export default async function globalSetup(config: FullConfig) {
  const base = config.projects[0].use.baseURL ?? "http://127.0.0.1:3000";
  const deadline = Date.now() + 60_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL("/verify", base));
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server at ${base} did not answer within 60 s (${last})`);
}
