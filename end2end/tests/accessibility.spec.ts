import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { addSite, expireSession, freshPhone, lastPin, signedVerifyUrl, test } from "./support";

// Accessibility, proven: axe-core scans every step and state of the widget, hosted and
// embedded, in light and dark, left to right and right to left, against WCAG 2.2 A and AA.
// Then a visitor with a keyboard only completes the flow, and the pages reflow at 320 CSS px
// and at 200 % zoom.

const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/** The violations axe finds on the page, one line each (rule, then where). */
async function violations(page: Page, state: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${state}: ${violation.id} at ${node.target.join(" ")} (${node.failureSummary ?? ""})`),
  );
}

/** Opens a session page for a new visitor and waits for its script. */
async function open(page: Page, url: string) {
  await page.goto(url);
  await page.locator("html[data-hydrated]").waitFor();
}

/** Sends a code to `phone` from the phone step and waits for the code step. */
async function sendCode(page: Page, phone: string) {
  await page.locator("#phone").fill(phone);
  await page.locator("#phone").press("Enter");
  await page.locator("#code").waitFor();
}

/** Types `code` and waits for the page after it. */
async function typeCode(page: Page, code: string) {
  const answered = page.waitForResponse((r) => r.request().method() === "GET" && /\/(verify|embed)\/[\w-]{22}$/.test(r.url()));
  await page.locator("#code").fill(code);
  await page.locator("#code").press("Enter");
  await answered;
}

for (const scheme of ["light", "dark"] as const) {
  for (const lang of ["en", "ar"]) {
    test(`every step and state passes axe's WCAG 2.2 AA rules (${scheme}, ${lang})`, async ({ page }) => {
      test.setTimeout(60_000);
      await page.emulateMedia({ colorScheme: scheme });
      const site = addSite();
      const found: string[] = [];

      const refused = signedVerifyUrl(site, { locale: lang }).replace(/sig=\w+/, `sig=${"0".repeat(64)}`);
      await page.goto(refused);
      found.push(...(await violations(page, "refused request")));

      const phone = freshPhone();
      await open(page, signedVerifyUrl(site, { locale: lang, user: `a-${phone.national}` }));
      await expect(page.locator("html")).toHaveAttribute("dir", lang === "ar" ? "rtl" : "ltr");
      found.push(...(await violations(page, "phone step")));
      await page.locator("#phone").fill("12");
      await page.locator("#phone").press("Enter");
      await expect(page.locator("#phone")).toHaveAttribute("aria-invalid", "true");
      found.push(...(await violations(page, "phone step, wrong number")));

      await sendCode(page, phone.e164);
      found.push(...(await violations(page, "code step")));
      const pin = await lastPin(page, phone.e164);
      const wrong = pin === "000000" ? "111111" : "000000";
      await typeCode(page, wrong);
      await expect(page.locator("#code")).toHaveAttribute("aria-invalid", "true");
      found.push(...(await violations(page, "wrong code")));
      for (let i = 0; i < 4; i++) await typeCode(page, wrong);
      // The step's heading takes the focus, so a screen reader starts there.
      await expect(page.locator("[data-flow-end=locked]")).toBeFocused();
      found.push(...(await violations(page, "locked")));

      const late = freshPhone();
      await open(page, signedVerifyUrl(site, { locale: lang, user: `b-${late.national}` }));
      expireSession(page.url());
      await page.reload();
      await expect(page.locator("[data-flow-end=expired]")).toBeVisible();
      found.push(...(await violations(page, "expired")));

      // Verified, hosted: the host's callback answers 204, so the page stays to be scanned.
      await page.route(`${site.callback}**`, (route) => route.fulfill({ status: 204 }));
      const done = freshPhone();
      await open(page, signedVerifyUrl(site, { locale: lang, user: `c-${done.national}` }));
      await sendCode(page, done.e164);
      await typeCode(page, await lastPin(page, done.e164));
      await expect(page.locator("form[data-at-once]")).toBeAttached();
      found.push(...(await violations(page, "verified, hosted")));

      // Verified, embedded (the page the host's iframe shows).
      const framed = freshPhone();
      await open(page, signedVerifyUrl(site, { locale: lang, user: `d-${framed.national}` }, "/embed"));
      await sendCode(page, framed.e164);
      found.push(...(await violations(page, "code step, embedded")));
      await typeCode(page, await lastPin(page, framed.e164));
      await expect(page.locator("form[data-result-type=verified]")).toBeAttached();
      found.push(...(await violations(page, "verified, embedded")));

      expect(found).toEqual([]);
    });
  }
}

test("a visitor with a keyboard only verifies a number, and the focus follows each step", async ({ page }) => {
  const site = addSite();
  const first = freshPhone();
  const phone = freshPhone();
  await page.route(`${site.callback}**`, (route) => route.fulfill({ contentType: "text/html", body: "<h1>Back at Shop</h1>" }));
  await open(page, signedVerifyUrl(site));

  // The number field has the focus; the country picker is one Shift+Tab back.
  await expect(page.locator("#phone")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(page.locator("#country")).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.type(first.e164);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Send code" })).toBeFocused();
  await page.keyboard.press("Enter");

  // The code field has the focus when the code step arrives; back to the number, the number's.
  await expect(page.locator("#code")).toBeFocused();
  const changeNumber = page.getByRole("button", { name: "Change number" });
  while (!(await changeNumber.evaluate((button) => button === document.activeElement))) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  await expect(page.locator("#phone")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(phone.e164);
  await page.keyboard.press("Enter");

  await expect(page.locator("#code")).toBeFocused();
  await page.keyboard.type(await lastPin(page, phone.e164));
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Verify" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Back at Shop" })).toBeVisible();
});

for (const [name, viewport] of [
  ["320 CSS px", { width: 320, height: 640 }],
  ["200 % zoom", { width: 640, height: 400 }],
] as const) {
  test(`every step reflows at ${name} without scrolling sideways`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const site = addSite();
    const fits = async (state: string) => {
      const [scrollWidth, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth, state).toBeLessThanOrEqual(width);
      for (const control of await page.locator("main input:visible, main select:visible, main button:visible").all()) {
        const box = await control.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= width, `${state}: a control is cut off`).toBe(true);
      }
    };
    for (const lang of ["en", "ar"]) {
      const phone = freshPhone();
      const user = `${lang}-${phone.national}`;
      await open(page, signedVerifyUrl(site, { locale: lang, user }));
      await fits(`phone step (${lang})`);
      await sendCode(page, phone.e164);
      await typeCode(page, "0000");
      await fits(`code step with an error (${lang})`);
      await page.getByRole("button", { name: lang === "en" ? "Change number" : "تغيير الرقم" }).click();
      await page.locator("#phone").waitFor();
    }
  });
}
