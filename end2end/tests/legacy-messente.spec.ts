import { expect } from "@playwright/test";
import { addLegacySite, consoleErrors, freshPhone, lastPin, md5Sig, test } from "./support";

// A site that used the Messente Verification Widget changes only the host name: the same
// MD5-signed request, the same POST back. Signatures are computed here with Node's crypto.

test("a legacy Messente widget request verifies and posts back the Messente way", async ({ page }) => {
  const errors = consoleErrors(page);
  const callback = "http://mydemo.example/verification/";
  const { user, pass } = addLegacySite(callback);
  const phone = freshPhone();
  let posted: URLSearchParams | undefined;
  await page.route(`${callback}**`, async (route) => {
    posted = new URLSearchParams(route.request().postData() ?? "");
    await route.fulfill({ contentType: "text/html", body: "<h1>Back at My Demo</h1>" });
  });

  const request: [string, string][] = [["user", user], ["version", "1"], ["callback_url", callback], ["phone", phone.e164]];
  const query = new URLSearchParams([...request, ["sig", md5Sig(request, pass)]]);
  await page.goto(`/?${query}`);
  await expect(page).toHaveURL(/\/verify\/[A-Za-z0-9_-]{22}$/);
  await page.locator("html[data-hydrated]").waitFor();
  await expect(page.getByRole("textbox", { name: "Phone number" })).toHaveValue(phone.e164);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByText("We sent a code by SMS").waitFor();
  await page.getByRole("textbox", { name: "Code" }).fill(await lastPin(page, phone.e164));
  await page.getByRole("button", { name: "Verify" }).click();

  await expect(page.getByRole("heading", { name: "Back at My Demo" })).toBeVisible();
  expect([...posted!.keys()].sort()).toEqual(["phone", "sig", "status", "user", "version"]);
  expect(posted!.get("status")).toBe("VERIFIED");
  expect(posted!.get("user")).toBe(user);
  expect(posted!.get("sig")).toBe(md5Sig([...posted!.entries()] as [string, string][], pass));
  expect(errors).toEqual([]);
});
