import { expect } from "@playwright/test";
import { consoleErrors, freshPhone, test } from "./support";

// The demo host page of a development server: http://localhost:3000/ embeds the widget from
// http://127.0.0.1:3000, and lists what it received with the signature checks.

test("the demo host embeds the widget from the other origin and receives signed results", async ({ page }) => {
  const errors = consoleErrors(page);
  await page.goto("http://localhost:3000/");
  await expect(page.getByRole("heading", { name: "Demo Shop: create your account" })).toBeVisible();
  const frame = page.frameLocator("#widget iframe");
  await expect(page.locator("#widget iframe")).toHaveAttribute("src", /^http:\/\/127\.0\.0\.1:3000\/embed\?/);
  await frame.locator("html[data-hydrated]").waitFor();

  const phone = freshPhone().e164;
  await frame.getByRole("textbox", { name: "Phone number" }).fill(phone);
  await frame.getByRole("button", { name: "Send code" }).click();
  await frame.getByText("We sent a code by SMS").waitFor();
  const messages: { recipient: string; body: string }[] = await (await page.request.get("http://127.0.0.1:3000/dev/outbox.json")).json();
  const pin = messages.find((m) => m.recipient === phone)?.body.match(/code is (\d+)/)?.[1] ?? "";
  await frame.getByRole("textbox", { name: "Code" }).fill(pin);
  await frame.getByRole("button", { name: "Verify" }).click();

  // The page forwards the iframe's token to its backend, then reloads its list.
  const received = page.locator("#received");
  await expect(received).toContainText("iframe token");
  await expect(received.getByRole("row").filter({ hasText: "iframe token" }).first()).toContainText("✓ valid");
  await expect(async () => {
    await page.reload();
    await expect(received.getByRole("row").filter({ hasText: "webhook" }).first()).toContainText("✓ valid", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  expect(errors).toEqual([]);
});
