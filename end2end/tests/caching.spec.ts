import { expect } from "@playwright/test";
import { addSite, signedVerifyUrl, test } from "./support";

// The release build names its files by their content, and the server lets browsers keep them.

test("the page's build files are content-named and kept for good; the page itself never", async ({ page }) => {
  const files: { url: string; cacheControl: string | undefined }[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/pkg/")) {
      files.push({ url: response.url(), cacheControl: response.headers()["cache-control"] });
    }
  });
  const answer = await page.goto(signedVerifyUrl(addSite()));
  await page.locator("html[data-hydrated]").waitFor();
  expect(answer?.headers()["cache-control"]).toBe("no-store");

  // The stylesheet, the script and the wasm, each named stem.HASH.ext.
  const names = files.map((file) => new URL(file.url).pathname);
  for (const ext of ["css", "js", "wasm"]) {
    expect(names.some((name) => new RegExp(`^/pkg/phone_verify\\.[A-Za-z0-9_-]{22}\\.${ext}$`).test(name)), `${ext} in ${names}`).toBe(true);
  }
  for (const file of files) {
    expect(file.cacheControl, file.url).toBe("public, max-age=31536000, immutable");
  }

  const loader = await page.request.get("/embed.js");
  expect(loader.headers()["cache-control"]).toBe("public, max-age=300, must-revalidate");
});
