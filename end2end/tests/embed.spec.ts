import { createServer, type Server } from "node:http";
import { expect, type Page } from "@playwright/test";
import { addSite, canonical, consoleErrors, freshPhone, hmacHex, lastPin, signedVerifyUrl, test } from "./support";

// The iframe on a host page of another origin (http://localhost:4000, a small HTTP server of
// the test's own), with the widget at http://127.0.0.1:3000 loaded through embed.js.

const WIDGET = "http://127.0.0.1:3000";
const HOST = "http://localhost:4000";
const OTHER_HOST = "http://localhost:4001";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The host's signup page: embeds the widget URL given in its `embed` query parameter. */
function hostServer(port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const embed = new URL(request.url ?? "/", "http://localhost").searchParams.get("embed") ?? "";
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><title>Shop signup</title><h1>Sign up</h1>
      <div id="widget" data-phone-verify="${escape(WIDGET + embed)}"></div>
      <script>
        window.events = [];
        for (const type of ["ready", "verified", "cancelled", "error"]) {
          document.addEventListener("phone-verify:" + type, (e) => events.push(e.detail));
        }
      </script>
      <script src="${WIDGET}/embed.js" async></script>`);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

let servers: Server[] = [];
test.beforeAll(async () => {
  servers = await Promise.all([hostServer(4000), hostServer(4001)]);
});
test.afterAll(() => servers.forEach((server) => server.close()));

async function hostPage(page: Page, origin: string, embedUrl: string) {
  await page.goto(`${origin}/signup?embed=${encodeURIComponent(embedUrl)}`);
}

async function events(page: Page): Promise<any[]> {
  return page.evaluate(() => (window as any).events);
}

test("the widget verifies inside the host's iframe and the host page gets a signed token", async ({ page }) => {
  const errors = consoleErrors(page);
  const site = addSite(HOST, `${HOST}/done`);
  const phone = freshPhone();
  await hostPage(page, HOST, signedVerifyUrl(site, {}, "/embed"));

  await expect.poll(() => events(page)).toContainEqual(expect.objectContaining({ type: "ready" }));
  const iframe = page.locator("#widget iframe");
  await expect(iframe).toHaveAttribute("allow", "otp-credentials");
  const frame = page.frameLocator("#widget iframe");
  await frame.locator("html[data-hydrated]").waitFor();

  await frame.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
  await frame.getByRole("button", { name: "Send code" }).click();
  await frame.getByText(`We sent a code by SMS to ${phone.masked}.`).waitFor();
  await expect(frame.getByRole("textbox", { name: "Code" })).toBeFocused();
  await expect(frame.getByRole("button", { name: /Send a new code in \d+ s/ })).toBeDisabled();
  const pin = await lastPin(page, phone.e164);
  await frame.getByRole("textbox", { name: "Code" }).fill(pin === "000000" ? "111111" : "000000");
  await frame.getByRole("button", { name: "Verify" }).click();
  await expect(frame.getByRole("alert")).toHaveText("That code is not right. 4 tries left.");

  // Once the countdown ends, a new code: the countdown starts again, the tries are back.
  test.setTimeout(75_000);
  const resend = frame.getByRole("button", { name: "Send a new code", exact: true });
  await expect(resend).toBeEnabled({ timeout: 35_000 });
  await resend.click();
  await expect(frame.getByRole("button", { name: /Send a new code in \d+ s/ })).toBeDisabled();
  await expect(frame.getByText("5 tries left.")).toBeVisible();
  const newPin = await lastPin(page, phone.e164);
  await frame.getByRole("textbox", { name: "Code" }).fill(newPin);
  await frame.getByRole("button", { name: "Verify" }).click();

  await expect.poll(() => events(page)).toContainEqual(expect.objectContaining({ type: "verified" }));
  const verified = (await events(page)).find((e) => e.type === "verified");
  expect(verified.protocol).toBe("phone-verify");
  const fields = new URLSearchParams(verified.token);
  expect(fields.get("status")).toBe("VERIFIED");
  expect(fields.get("phone")).toBe(phone.e164);
  expect(fields.get("sig")).toBe(hmacHex(site.secret, canonical([...fields.entries()] as [string, string][])));
  // The iframe grew or shrank to its content.
  expect(await iframe.evaluate((el: HTMLIFrameElement) => el.style.height)).toMatch(/^\d+px$/);
  // The host page never navigated.
  await expect(page).toHaveURL(/^http:\/\/localhost:4000\/signup\?/);
  expect(errors).toEqual([]);

  // The way back without the host's script: the form posts the whole page to the callback,
  // by the browser itself (patch.rs fetches only the widget's own pages).
  await frame.getByRole("button", { name: "Continue to Shop" }).click();
  await expect(page).toHaveURL("http://localhost:4000/done");
});

test("a locked session inside the iframe tells the host page with an error", async ({ page }) => {
  const site = addSite(HOST, `${HOST}/done`);
  const phone = freshPhone();
  await hostPage(page, HOST, signedVerifyUrl(site, {}, "/embed"));
  const frame = page.frameLocator("#widget iframe");
  await frame.locator("html[data-hydrated]").waitFor();
  await frame.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
  await frame.getByRole("button", { name: "Send code" }).click();
  await frame.getByText(`We sent a code by SMS to ${phone.masked}.`).waitFor();
  const pin = await lastPin(page, phone.e164);
  const wrong = pin === "000000" ? "111111" : "000000";
  for (const left of ["4 tries", "3 tries", "2 tries", "1 try"]) {
    await frame.getByRole("textbox", { name: "Code" }).fill(wrong);
    await frame.getByRole("button", { name: "Verify" }).click();
    await expect(frame.getByRole("alert")).toHaveText(`That code is not right. ${left} left.`);
  }
  // The fifth wrong code locks the verification.
  await frame.getByRole("textbox", { name: "Code" }).fill(wrong);
  await frame.getByRole("button", { name: "Verify" }).click();
  await expect(frame.getByRole("heading", { name: "Too many wrong codes" })).toBeVisible();
  await expect.poll(() => events(page)).toContainEqual(expect.objectContaining({ type: "error", reason: "locked" }));
});

test("cancelling inside the iframe tells the host page", async ({ page }) => {
  const site = addSite(HOST, `${HOST}/done`);
  await hostPage(page, HOST, signedVerifyUrl(site, {}, "/embed"));
  const frame = page.frameLocator("#widget iframe");
  await frame.locator("html[data-hydrated]").waitFor();
  await frame.getByRole("button", { name: "Cancel" }).click();
  await expect.poll(() => events(page)).toContainEqual(expect.objectContaining({ type: "cancelled" }));
});

test("a page on an origin the site did not list cannot frame the widget", async ({ page }) => {
  const site = addSite(HOST, `${HOST}/done`);
  const blocked = page.waitForEvent("console", (m) => /frame-ancestors/.test(m.text()));
  await hostPage(page, OTHER_HOST, signedVerifyUrl(site, {}, "/embed"));
  await blocked;
  await expect(page.frameLocator("#widget iframe").getByRole("button", { name: "Send code" })).toHaveCount(0);
  expect(await events(page)).toEqual([]);
});
