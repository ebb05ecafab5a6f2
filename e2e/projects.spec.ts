import { expect, test } from "@playwright/test";

test("create, rename and delete a project", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Name").fill("Support bot");
  await page.getByLabel("Downstream task").fill("Answer customer questions about invoices");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Support bot" })).toBeVisible();

  await page.goto("/");
  const row = page.getByRole("row", { name: /Support bot/ });
  await row.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("New project name").fill("Invoice helper");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("link", { name: "Invoice helper" })).toBeVisible();

  await page.getByRole("button", { name: "Delete Invoice helper" }).click();
  await expect(page.getByRole("dialog")).toContainText("cannot be undone");
  await page.getByRole("button", { name: "Delete project" }).click();
  await expect(page.getByRole("link", { name: "Invoice helper" })).toHaveCount(0);
});
