import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";
import path from "node:path";
import { test as base, expect, type Frame, type Page, type Request } from "@playwright/test";

// Helpers shared by the end-to-end tests. Signing is done here with Node's crypto, not with
// the product's code, as a host would do it.

export const CALLBACK = "https://shop.example.com/verified";

/**
 * Playwright's `test`, each test a visitor of its own: its page's requests name a client
 * address of their own in `x-forwarded-for`, which the server believes because
 * `scripts/test.sh` runs it behind a "proxy" on loopback. The abuse guard counts codes per
 * client, and every test would otherwise be the same client.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const [a, b] = randomBytes(2);
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `100.64.${a}.${b}` });
    await use(page);
  },
});
const root = path.resolve(__dirname, "../..");
const binary = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "release", "phone-verify");

/** Adds a site with the real CLI (on the server's database) and answers with its id and secret. */
export function addSite(origin = "https://shop.example.com", callback = CALLBACK): { id: string; secret: string; callback: string } {
  const id = `e2e-${randomBytes(4).toString("hex")}`;
  const out = execFileSync(
    binary,
    ["site", "add", id, "--name", "Shop", "--origin", origin, "--callback", callback],
    { cwd: root, env: { ...process.env, RUST_LOG: "error" } },
  ).toString();
  const secret = out.match(/whsec_\S+/)?.[0];
  if (!secret) throw new Error(`no secret in: ${out}`);
  return { id, secret, callback };
}

/** Adds a site accepting legacy Messente widget requests; answers with its Messente user and password. */
export function addLegacySite(callback: string): { user: string; pass: string } {
  const user = `e2e${randomBytes(6).toString("hex")}`;
  const pass = randomBytes(12).toString("hex");
  execFileSync(
    binary,
    ["site", "add", `legacy-${user}`, "--name", "My Demo", "--callback", callback, "--legacy-user", user],
    { cwd: root, env: { ...process.env, RUST_LOG: "error", MESSENTE_WIDGET_PASSWORD: pass } },
  );
  return { user, pass };
}

/** The legacy widget's signature: MD5 of sorted key+value pairs with `pass`. */
export function md5Sig(fields: [string, string][], pass: string): string {
  const all = [...fields.filter(([k]) => k !== "sig"), ["pass", pass] as [string, string]];
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("md5").update(all.map(([k, v]) => k + v).join("")).digest("hex");
}

/** The canonical form: every parameter but sig, sorted, form-encoded. */
export function canonical(pairs: [string, string][]): string {
  const sorted = pairs.filter(([k]) => k !== "sig").sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return new URLSearchParams(sorted).toString();
}

export function hmacHex(secret: string, text: string): string {
  return createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(text).digest("hex");
}

/** A signed `/verify?…` (or `/embed?…`) URL for `site`, with `extra` parameters. */
export function signedVerifyUrl(
  site: { id: string; secret: string; callback: string },
  extra: Record<string, string> = {},
  path = "/verify",
): string {
  // `extra` replaces a default of the same name (`user`, for one).
  const defaults: [string, string][] = [
    ["site", site.id],
    ["user", "alice@example.com"],
    ["callback_url", site.callback],
    ["ts", String(Math.floor(Date.now() / 1000))],
  ];
  const pairs: [string, string][] = [...defaults.filter(([name]) => !(name in extra)), ...Object.entries(extra)];
  const query = canonical(pairs);
  return `${path}?${query}&sig=${hmacHex(site.secret, query)}`;
}

/**
 * A new Estonian mobile number (`50` and six digits) at each call, as typed in the country
 * (`national`), in E.164 and as the widget shows it masked. SMS limits belong to a number, and
 * the test server's database outlives a run.
 */
export function freshPhone(): { e164: string; national: string; masked: string } {
  const national = "50" + String(randomInt(0, 1_000_000)).padStart(6, "0");
  const e164 = "+372" + national;
  return { e164, national, masked: e164.slice(0, 3) + "•".repeat(e164.length - 5) + e164.slice(-2) };
}

/**
 * The PIN of the newest SMS to `phone`, from the development outbox; waits up to 5 s for one,
 * since a click that sends it may still be on its way.
 */
export async function lastPin(page: Page, phone: string): Promise<string> {
  for (let waited = 0; waited < 5_000; waited += 100) {
    const messages: { recipient: string; body: string }[] = await (await page.request.get("/dev/outbox.json")).json();
    // The code is the last run of digits of the first line, in any language.
    const pin = messages.find((m) => m.recipient === phone)?.body.split("\n")[0].match(/(\d+)\D*$/)?.[1];
    if (pin) return pin;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no PIN to ${phone} in the outbox`);
}

/**
 * Ends the time of the session whose page is `pageUrl`, as 30 minutes would: SQLite's own CLI
 * writes the server's database (`DATABASE_URL`, as `scripts/test.sh` sets it).
 */
export function expireSession(pageUrl: string) {
  const id = new URL(pageUrl).pathname.split("/").pop() ?? "";
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) throw new Error(`not a session page: ${pageUrl}`);
  const file = (process.env.DATABASE_URL ?? "").replace(/^sqlite:\/\//, "").split("?")[0];
  execFileSync("sqlite3", [path.resolve(root, file), `UPDATE sessions SET expires_at = 0 WHERE id = '${id}'`]);
}

/** Serves the host's callback URL; resolves with the posted fields. */
export function captureCallback(page: Page): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    page.route(`${CALLBACK}**`, async (route) => {
      const request: Request = route.request();
      resolve(new URLSearchParams(request.postData() ?? ""));
      await route.fulfill({ contentType: "text/html", body: "<h1>Welcome back to Shop</h1>" });
    });
  });
}

/** Checks the return's signature as the host would. */
export function expectSigned(fields: URLSearchParams, secret: string) {
  const pairs = [...fields.entries()] as [string, string][];
  expect(fields.get("sig")).toBe(hmacHex(secret, canonical(pairs)));
}

/** Collects console errors, except the 4xx answers the flow gives on purpose. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    const expected = /status of 4(22|29)/.test(message.text());
    if (message.type() === "error" && !expected) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/**
 * Changes the page the way browser extensions do (dark-mode tools, password managers, grammar
 * checkers): a `<style>` and a `<script>` in `<head>`, a `<div>` first and last in `<body>`, an
 * attribute on `<html>`. Each call adds more.
 */
export async function modifyLikeAnExtension(target: Page | Frame) {
  await target.evaluate(() => {
    const added = (document.documentElement.dataset.extensionNodes = String(
      Number(document.documentElement.dataset.extensionNodes ?? 0) + 1,
    ));
    const style = document.createElement("style");
    // An extension's styles are not bound by the page's policy; the test's are, so they carry
    // the page's nonce where it has one.
    style.nonce = (document.querySelector("[nonce]") as HTMLElement | null)?.nonce ?? "";
    style.textContent = `html { --extension-${added}: 1; }`;
    document.head.append(style);
    const script = document.createElement("script");
    script.type = "application/json";
    script.textContent = "{}";
    document.head.append(script);
    const first = document.createElement("div");
    first.className = "extension-badge";
    document.body.prepend(first);
    const last = document.createElement("div");
    last.className = "extension-overlay";
    document.body.append(last);
  });
}

/**
 * Serves, on `port`, a host's signup page that embeds `widgetUrl` (an `/embed?…` URL of the
 * widget) with embed.js, and collects the `phone-verify:verified` events in `window.events`.
 * Close it when the test ends.
 */
export async function serveHostPage(port: number, widgetUrl: string): Promise<Server> {
  const embed = widgetUrl.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const widget = new URL(widgetUrl).origin;
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><title>Shop signup</title>
      <div id="widget" data-phone-verify="${embed}"></div>
      <script>
        window.events = [];
        document.addEventListener("phone-verify:verified", (e) => events.push(e.detail));
      </script>
      <script src="${widget}/embed.js" async></script>`);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}
