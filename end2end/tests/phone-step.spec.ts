import { expect, test, type Page } from "@playwright/test";

// The phone check page with JavaScript: patch.rs posts the form and patches the
// answer into the page, without a page load.

async function openHydrated(page: Page) {
  const errors: string[] = [];
  page.on("console", (message) => {
    // A refused number is answered with 422, which Chromium reports as a failed load.
    const expected = message.text().includes("status of 422");
    if (message.type() === "error" && !expected) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/verify");
  await page.locator("html[data-hydrated]").waitFor();
  // A full page load would drop this value.
  await page.evaluate(() => ((window as any).__samePage = true));
  return errors;
}

async function stillSamePage(page: Page) {
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
}

test("a national number is read in the chosen country, in place", async ({ page }) => {
  const errors = await openHydrated(page);
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(new URL(request.url()).pathname);
  });

  await page.getByRole("combobox", { name: "Country" }).selectOption("EE");
  await page.getByRole("textbox", { name: "Phone number" }).fill("5123 4567");
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.locator("#phone-feedback output")).toHaveText("+37251234567");
  await expect(page.getByRole("textbox", { name: "Phone number" })).toHaveAttribute("aria-invalid", "false");
  expect(posts).toEqual(["/verify"]);
  await stillSamePage(page);
  expect(errors).toEqual([]);
});

test("a wrong number gets a message beside the field, in place", async ({ page }) => {
  const errors = await openHydrated(page);

  await page.getByRole("textbox", { name: "Phone number" }).fill("+1 415 555");
  await page.getByRole("button", { name: "Continue" }).click();

  const feedback = page.locator("#phone-feedback");
  await expect(feedback).toContainText("not a valid phone number");
  await expect(feedback).toHaveAttribute("aria-live", "polite");
  await expect(page.getByRole("textbox", { name: "Phone number" })).toHaveAttribute("aria-invalid", "true");

  // Correcting it replaces the message with the number.
  await page.getByRole("textbox", { name: "Phone number" }).fill("+1 (415) 555-2671");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#phone-feedback output")).toHaveText("+14155552671");
  await expect(feedback).not.toContainText("not a valid");

  await stillSamePage(page);
  expect(errors).toEqual([]);
});

test("the hosted page refuses to be framed", async ({ page }) => {
  const response = await page.goto("/verify");
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
});

test("the country follows a number typed or pasted with its +", async ({ page }) => {
  const errors = await openHydrated(page);
  const country = page.getByRole("combobox", { name: "Country" });
  const phone = page.getByRole("textbox", { name: "Phone number" });
  await phone.fill("+372 5123 4567");
  await expect(country).toHaveValue("EE");
  await phone.fill("+44 7400 123456");
  await expect(country).toHaveValue("GB");
  // A calling code countries share keeps the one picked, or else takes its main country.
  await country.selectOption("CA");
  await phone.fill("+1 416 555 0100");
  await expect(country).toHaveValue("CA");
  await country.selectOption("EE");
  await phone.fill("+1 202 555 0100");
  await expect(country).toHaveValue("US");
  // A national number leaves the picker alone.
  await country.selectOption("DE");
  await phone.fill("0151 23456789");
  await expect(country).toHaveValue("DE");
  await stillSamePage(page);
  expect(errors).toEqual([]);
});
