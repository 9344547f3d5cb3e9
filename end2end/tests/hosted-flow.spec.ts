import { expect } from "@playwright/test";
import { addSite, captureCallback, consoleErrors, expectSigned, freshPhone, lastPin, signedVerifyUrl, test } from "./support";

// The hosted flow with JavaScript: one page load, then every step in place.

test("a visitor verifies a number and returns to the host with a signed result", async ({ page }) => {
  const errors = consoleErrors(page);
  const site = addSite();
  const phone = freshPhone();
  const returned = captureCallback(page);

  await page.goto(signedVerifyUrl(site, { state: "signup-42" }));
  await expect(page).toHaveURL(/\/verify\/[A-Za-z0-9_-]{22}$/);
  await page.locator("html[data-hydrated]").waitFor();
  await page.evaluate(() => ((window as any).__samePage = true));

  await page.getByRole("combobox", { name: "Country" }).selectOption("EE");
  await page.getByRole("textbox", { name: "Phone number" }).fill(phone.national);
  await page.getByRole("button", { name: "Send code" }).click();

  await expect(page.getByText(`We sent a code by SMS to ${phone.masked}.`)).toBeVisible();
  const code = page.getByRole("textbox", { name: "Code" });
  // The keyboard focus follows the visitor to the new field.
  await expect(code).toBeFocused();
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await expect(page.getByRole("button", { name: /Send a new code in \d+ s/ })).toBeDisabled();
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);

  const pin = await lastPin(page, phone.e164);
  await code.fill(pin === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toHaveText("That code is not right. 4 tries left.");

  await code.fill(pin);
  await page.getByRole("button", { name: "Verify" }).click();
  const fields = await returned;
  expect(fields.get("status")).toBe("VERIFIED");
  expect(fields.get("phone")).toBe(phone.e164);
  expect(fields.get("state")).toBe("signup-42");
  expect(fields.get("site")).toBe(site.id);
  expectSigned(fields, site.secret);
  await expect(page.getByRole("heading", { name: "Welcome back to Shop" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a visitor can change the number, then cancel", async ({ page }) => {
  const errors = consoleErrors(page);
  const site = addSite();
  const phone = freshPhone();
  const returned = captureCallback(page);
  await page.goto(signedVerifyUrl(site));
  await page.locator("html[data-hydrated]").waitFor();

  // A slow network: the step shows it is on its way, and a second click does nothing.
  // Steps post to their server functions (/api/step/…).
  await page.route("**/api/step/*", async (route) => {
    if (route.request().method() === "POST") await new Promise((done) => setTimeout(done, 500));
    await route.continue();
  });
  await page.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
  const sendCode = page.getByRole("button", { name: "Send code" });
  await sendCode.click();
  await expect(page.locator('form[aria-busy="true"]')).toHaveCount(1);
  await expect(page.getByText(`We sent a code by SMS to ${phone.masked}.`)).toBeVisible();
  await expect(page.locator("form[aria-busy]")).toHaveCount(0);
  await page.getByRole("button", { name: "Change number" }).click();
  await expect(page.getByRole("button", { name: "Send code" })).toBeVisible();

  await page.getByRole("button", { name: "Cancel" }).click();
  const fields = await returned;
  expect(fields.get("status")).toBe("CANCELLED");
  expect(fields.has("phone")).toBe(false);
  expectSigned(fields, site.secret);
  expect(errors).toEqual([]);
});

test("a refused request shows what is wrong", async ({ page }) => {
  const site = addSite();
  const tampered = signedVerifyUrl(site).replace("alice", "mallory");
  const response = await page.goto(tampered);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("heading", { name: "This verification link cannot be used" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("signature does not match");
});
