import { expect, test } from "@playwright/test";

// The hosted page in a browser with JavaScript disabled: plain form posts, server answers.

test("a posted number comes back normalised", async ({ page }) => {
  await page.goto("/verify");
  await page.getByRole("combobox", { name: "Country" }).selectOption("GB");
  await page.getByRole("textbox", { name: "Phone number" }).fill("020 7946 0958");
  await Promise.all([
    page.waitForURL("**/verify"),
    page.getByRole("button", { name: "Continue" }).click(),
  ]);

  await expect(page.locator("#phone-feedback output")).toHaveText("+442079460958");
  // The form keeps what the visitor typed and picked.
  await expect(page.getByRole("textbox", { name: "Phone number" })).toHaveValue("020 7946 0958");
  await expect(page.getByRole("combobox", { name: "Country" })).toHaveValue("GB");
});

test("a posted wrong number comes back with a message", async ({ page }) => {
  await page.goto("/verify");
  await page.getByRole("textbox", { name: "Phone number" }).fill("call me maybe");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Continue" }).click(),
  ]);
  expect(response.status()).toBe(422);

  await expect(page.locator("#phone-feedback")).toContainText("Use digits only");
  await expect(page.getByRole("textbox", { name: "Phone number" })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("textbox", { name: "Phone number" })).toHaveValue("call me maybe");
});
