import { expect } from "@playwright/test";
import { addSite, captureCallback, expectSigned, freshPhone, lastPin, signedVerifyUrl, test } from "./support";

// The hosted flow in a browser with JavaScript disabled: every step is a form post.

test("a visitor without JavaScript verifies and returns with a signed result", async ({ page }) => {
  const site = addSite();
  const phone = freshPhone();
  const returned = captureCallback(page);
  await page.goto(signedVerifyUrl(site));

  await page.getByRole("combobox", { name: "Country" }).selectOption("EE");
  await page.getByRole("textbox", { name: "Phone number" }).fill(phone.national);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(`We sent a code by SMS to ${phone.masked}.`)).toBeVisible();

  const pin = await lastPin(page, phone.e164);
  await page.getByRole("textbox", { name: "Code" }).fill(pin === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toHaveText("That code is not right. 4 tries left.");

  await page.getByRole("textbox", { name: "Code" }).fill(pin);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Your number is verified" })).toBeVisible();
  await page.getByRole("button", { name: "Continue to Shop" }).click();
  const fields = await returned;
  expect(fields.get("status")).toBe("VERIFIED");
  expectSigned(fields, site.secret);
});
