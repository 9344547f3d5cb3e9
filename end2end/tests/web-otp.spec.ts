import { expect, type Page } from "@playwright/test";
import { addSite, captureCallback, consoleErrors, expectSigned, freshPhone, lastPin, serveHostPage, signedVerifyUrl, test } from "./support";

// WebOTP, with Chromium's `navigator.credentials.get` stubbed as Android Chrome answers it once
// the visitor allows: the code step asks for the SMS's code, fills it in and sends it. The
// stub hands out the code a test puts in `window.__otpCode`, and records what it was asked.

const WIDGET = "http://127.0.0.1:3000";
const HOST = "http://localhost:4002";

async function stubWebOtp(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    w.OTPCredential = function OTPCredential() {};
    Object.defineProperty(navigator, "credentials", {
      value: {
        get: (options: any) => {
          w.__otpAsked = options?.otp?.transport;
          return new Promise((resolve, reject) => {
            options?.signal?.addEventListener("abort", () => {
              w.__otpAborted = true;
              reject(new DOMException("aborted", "AbortError"));
            });
            const poll = () => (w.__otpCode ? resolve({ type: "otp", code: w.__otpCode }) : setTimeout(poll, 50));
            poll();
          });
        },
      },
    });
  });
}

/** The body of the newest SMS to `phone`. */
async function lastSms(page: Page, phone: string): Promise<string> {
  const messages: { recipient: string; body: string }[] = await (await page.request.get(`${WIDGET}/dev/outbox.json`)).json();
  return messages.find((m) => m.recipient === phone)?.body ?? "";
}

test("on the hosted page, the code from the SMS is filled in and sent", async ({ page }) => {
  const errors = consoleErrors(page);
  await stubWebOtp(page);
  const site = addSite();
  const phone = freshPhone();
  const returned = captureCallback(page);
  await page.goto(signedVerifyUrl(site));
  await page.locator("html[data-hydrated]").waitFor();
  await page.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("textbox", { name: "Code" })).toBeVisible();
  await expect.poll(() => page.evaluate(() => (window as any).__otpAsked)).toEqual(["sms"]);

  const pin = await lastPin(page, phone.e164);
  expect(await lastSms(page, phone.e164)).toMatch(new RegExp(`\\n\\n@127\\.0\\.0\\.1 #${pin}$`));
  await page.evaluate((code) => ((window as any).__otpCode = code), pin);
  const fields = await returned;
  expect(fields.get("status")).toBe("VERIFIED");
  expectSigned(fields, site.secret);
  expect(errors).toEqual([]);
});

test("typing in the code field first stops waiting for the SMS", async ({ page }) => {
  await stubWebOtp(page);
  const site = addSite();
  const phone = freshPhone();
  await page.goto(signedVerifyUrl(site));
  await page.locator("html[data-hydrated]").waitFor();
  await page.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
  await page.getByRole("button", { name: "Send code" }).click();
  const code = page.getByRole("textbox", { name: "Code" });
  await expect.poll(() => page.evaluate(() => (window as any).__otpAsked)).toEqual(["sms"]);
  await code.pressSequentially("12");
  await expect.poll(() => page.evaluate(() => (window as any).__otpAborted)).toBe(true);
  await expect(code).toHaveValue("12");
});

test("in the host's iframe, the code from the SMS is filled in and sent", async ({ page }) => {
  await stubWebOtp(page);
  const site = addSite(HOST, `${HOST}/done`);
  const server = await serveHostPage(4002, WIDGET + signedVerifyUrl(site, {}, "/embed"));
  try {
    const errors = consoleErrors(page);
    const phone = freshPhone();
    await page.goto(`${HOST}/signup`);
    await expect(page.locator("#widget iframe")).toHaveAttribute("allow", "otp-credentials");
    const frame = page.frameLocator("#widget iframe");
    await frame.locator("html[data-hydrated]").waitFor();
    await frame.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
    await frame.getByRole("button", { name: "Send code" }).click();
    await expect(frame.getByRole("textbox", { name: "Code" })).toBeVisible();
    const widget = page.frames().find((f) => f.url().startsWith(`${WIDGET}/embed/`))!;
    await expect.poll(() => widget.evaluate(() => (window as any).__otpAsked)).toEqual(["sms"]);

    const pin = await lastPin(page, phone.e164);
    // The host page's host, then the widget's: the browser checks both.
    expect(await lastSms(page, phone.e164)).toMatch(new RegExp(`\\n\\n@localhost #${pin} @127\\.0\\.0\\.1$`));
    await widget.evaluate((code) => ((window as any).__otpCode = code), pin);
    await expect.poll(() => page.evaluate(() => (window as any).events.length)).toBe(1);
    const verified = await page.evaluate(() => (window as any).events[0]);
    expect(new URLSearchParams(verified.token).get("status")).toBe("VERIFIED");
    expect(errors).toEqual([]);
  } finally {
    server.close();
  }
});
