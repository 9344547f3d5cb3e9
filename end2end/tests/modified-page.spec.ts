import { expect, type Frame, type FrameLocator, type Page } from "@playwright/test";
import {
  addSite,
  captureCallback,
  consoleErrors,
  expectSigned,
  freshPhone,
  lastPin,
  modifyLikeAnExtension,
  serveHostPage,
  signedVerifyUrl,
  test,
} from "./support";

// Browser extensions add nodes to every page. The widget's steps must still land in the
// widget, with their errors shown, on the hosted page and inside the host's iframe.

const WIDGET = "http://127.0.0.1:3000";
const HOST = "http://localhost:4002";

/** Walks a visitor through a wrong code and then the right one, changing the page before each step. */
async function verifyOnAModifiedPage(page: Page, frame: FrameLocator | Page, target: () => Frame | Page) {
  const phone = freshPhone();
  await frame.locator("html[data-hydrated]").waitFor();
  await modifyLikeAnExtension(target());
  await frame.getByRole("textbox", { name: "Phone number" }).fill("12");
  await frame.getByRole("button", { name: "Send code" }).click();
  await expect(frame.getByRole("alert")).toContainText("not a valid phone number");

  await modifyLikeAnExtension(target());
  await frame.getByRole("textbox", { name: "Phone number" }).fill(phone.e164);
  await frame.getByRole("button", { name: "Send code" }).click();
  await expect(frame.getByText(`We sent a code by SMS to ${phone.masked}.`)).toBeVisible();

  const pin = await lastPin(page, phone.e164);
  await modifyLikeAnExtension(target());
  await frame.getByRole("textbox", { name: "Code" }).fill(pin === "000000" ? "111111" : "000000");
  await frame.getByRole("button", { name: "Verify" }).click();
  await expect(frame.getByRole("alert")).toHaveText("That code is not right. 4 tries left.");

  await modifyLikeAnExtension(target());
  await frame.getByRole("textbox", { name: "Code" }).fill(pin);
  await frame.getByRole("button", { name: "Verify" }).click();
  return phone;
}

test("the hosted flow completes on a page an extension changed", async ({ page }) => {
  const errors = consoleErrors(page);
  const site = addSite();
  const returned = captureCallback(page);
  await page.goto(signedVerifyUrl(site));
  await page.locator("html[data-hydrated]").waitFor();
  await page.evaluate(() => ((window as any).__samePage = true));

  const phone = await verifyOnAModifiedPage(page, page, () => page);
  const fields = await returned;
  expect(fields.get("status")).toBe("VERIFIED");
  expect(fields.get("phone")).toBe(phone.e164);
  expectSigned(fields, site.secret);
  expect(errors).toEqual([]);
});

test("the embedded flow completes in an iframe an extension changed", async ({ page }) => {
  const site = addSite(HOST, `${HOST}/done`);
  const server = await serveHostPage(4002, WIDGET + signedVerifyUrl(site, {}, "/embed"));
  try {
    const errors = consoleErrors(page);
    await page.goto(`${HOST}/signup`);
    const frame = page.frameLocator("#widget iframe");
    const widget = () => page.frames().find((f) => f.url().startsWith(`${WIDGET}/embed/`))!;
    await frame.locator("html[data-hydrated]").waitFor();
    // The host page is changed too.
    await modifyLikeAnExtension(page);
    await verifyOnAModifiedPage(page, frame, widget);
    await expect
      .poll(() => page.evaluate(() => (window as any).events.length))
      .toBe(1);
    expect(errors).toEqual([]);
  } finally {
    server.close();
  }
});
