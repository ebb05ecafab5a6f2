import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoPath } from "@/lib/repo-root";
import { expect, test, type Page } from "@playwright/test";

const selfInstructSeeds = repoPath("data", "self-instruct", "seed_tasks.jsonl");
const brokenFile = repoPath("e2e", "fixtures", "two-broken-lines.jsonl");

async function createProject(page: Page, name: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

test("import the Self-Instruct seeds, find them after a reload, refuse a file with two broken lines", async ({
  page,
}) => {
  await createProject(page, "Self-Instruct seeds");

  await page.getByLabel("Seed file").setInputFiles(selfInstructSeeds);
  await expect(page.getByTestId("preview-summary")).toContainText("175 records");
  await expect(page.getByLabel("Instruction field")).toHaveValue("instruction");
  await expect(page.getByLabel("Input / context field (optional)")).toHaveValue("instances[0].input");
  await page.getByRole("button", { name: "Import 175 records" }).click();
  await expect(page.getByRole("status")).toHaveText("Imported 175 seeds");
  await expect(page.getByTestId("seed-total")).toHaveText("175");

  // A file with two bad lines is refused whole, each bad line named.
  await page.getByLabel("Seed file").setInputFiles(brokenFile);
  await page.getByRole("button", { name: /Import \d+ records/ }).click();
  const problems = page.getByRole("list", { name: "Problems by line" });
  await expect(problems).toContainText("Line 2");
  await expect(problems).toContainText("Line 4");
  await expect(problems).toContainText('missing field "instruction"');
  await expect(page.getByTestId("seed-total")).toHaveText("175");

  // Importing the same file again skips every exact duplicate.
  await page.getByLabel("Seed file").setInputFiles(selfInstructSeeds);
  await page.getByRole("button", { name: "Import 175 records" }).click();
  await expect(page.getByRole("status")).toContainText("Imported 0 seeds; 175 exact duplicates skipped");

  // A file over the 50 MB limit is refused in the page, with its size, before anything is sent.
  const bigFile = path.join(test.info().outputDir, "too-big.jsonl");
  mkdirSync(path.dirname(bigFile), { recursive: true });
  writeFileSync(bigFile, Buffer.alloc(60 * 1024 * 1024, "a"));
  await page.getByLabel("Seed file").setInputFiles(bigFile);
  await expect(page.getByRole("alert").filter({ hasText: "too-big.jsonl" })).toContainText(
    "too-big.jsonl is 60.0 MB; the largest seed file accepted is 50.0 MB",
  );
  await expect(page.getByRole("button", { name: /Import \d+ records/ })).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId("seed-total")).toHaveText("175");
  await page.getByRole("searchbox", { name: "Search seeds" }).fill("haiku");
  await expect(page.getByRole("cell", { name: "Generate a haiku using the following word:" })).toBeVisible();
});

test("paste plain text and delete a seed with confirmation", async ({ page }) => {
  await createProject(page, "Pasted seeds");
  await page.getByRole("tab", { name: "Paste text" }).click();
  await page
    .getByRole("textbox", { name: "Instructions" })
    .fill("Write a limerick about a cat.\nExplain recursion to a child.\n\nWrite a limerick about a cat.\n");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-summary")).toContainText("3 records");
  await page.getByRole("button", { name: "Import 3 records" }).click();
  await expect(page.getByRole("status")).toContainText("Imported 2 seeds; 1 exact duplicate skipped");
  await expect(page.getByTestId("seed-total")).toHaveText("2");

  await page
    .getByRole("row", { name: /Explain recursion/ })
    .getByRole("checkbox")
    .check();
  await page.getByRole("button", { name: "Delete selected" }).click();
  await page.getByRole("button", { name: "Delete seeds" }).click();
  await expect(page.getByTestId("seed-total")).toHaveText("1");
  await expect(page.getByRole("cell", { name: "Explain recursion to a child." })).toHaveCount(0);
});
