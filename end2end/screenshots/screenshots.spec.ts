import path from "node:path";
import type { Page } from "@playwright/test";
import { addSite, freshPhone, lastPin, signedVerifyUrl, test } from "../tests/support";

// Every step a visitor meets, light and dark, left to right and right to left, 320 and 480
// CSS px wide, into docs/screenshots/STEP-LANG-SCHEME-WIDTH.png.

const out = path.resolve(__dirname, "../../docs/screenshots");

async function shoot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
}

async function ready(page: Page, url: string) {
  await page.goto(url);
  await page.locator("html[data-hydrated]").waitFor();
}

for (const scheme of ["light", "dark"] as const) {
  for (const lang of ["en", "ar"]) {
    for (const width of [320, 480]) {
      test(`${lang} ${scheme} ${width}`, async ({ page }) => {
        await page.setViewportSize({ width, height: 560 });
        await page.emulateMedia({ colorScheme: scheme });
        const site = addSite();
        const tag = `${lang}-${scheme}-${width}`;
        // The widget as the host's iframe shows it: the page a visitor sees after the last
        // step stays (the hosted page would go back to the host at once).
        const phone = freshPhone();
        await ready(page, signedVerifyUrl(site, { locale: lang, user: `a-${phone.national}` }, "/embed"));
        await page.locator("#phone").fill(phone.national);
        await page.locator("#country").selectOption("EE");
        await shoot(page, `1-phone-${tag}`);
        await page.locator("#phone").press("Enter");
        await page.locator("#code").waitFor();
        const pin = await lastPin(page, phone.e164);
        const wrong = pin === "000000" ? "111111" : "000000";
        await page.locator("#code").fill(wrong);
        await page.locator("#code").press("Enter");
        await page.locator("#code[aria-invalid=true]").waitFor();
        await page.locator("#code").fill("");
        await shoot(page, `2-code-${tag}`);
        await page.locator("#code").fill(pin);
        await page.locator("#code").press("Enter");
        await page.locator("form[data-result-type=verified]").waitFor();
        await shoot(page, `3-verified-${tag}`);

        const locked = freshPhone();
        await ready(page, signedVerifyUrl(site, { locale: lang, user: `b-${locked.national}` }, "/embed"));
        await page.locator("#phone").fill(locked.e164);
        await page.locator("#phone").press("Enter");
        await page.locator("#code").waitFor();
        const lockedPin = await lastPin(page, locked.e164);
        for (let i = 0; i < 5; i++) {
          const answered = page.waitForResponse((r) => r.request().method() === "GET" && /\/embed\/[\w-]{22}$/.test(r.url()));
          await page.locator("#code").fill(lockedPin === "000000" ? "111111" : "000000");
          await page.locator("#code").press("Enter");
          await answered;
        }
        await page.locator("[data-flow-end=locked]").waitFor();
        await shoot(page, `4-locked-${tag}`);
      });
    }
  }
}
