import { readFileSync } from "node:fs";
import { repoPath } from "@/lib/repo-root";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { snap } from "./snap";

// The daily journey: seeds → settings → models (with a failing connection test) → run → review → export.
const selfInstructSeeds = repoPath("data", "self-instruct", "seed_tasks.jsonl");

function fakeLlmUrl(): string {
  const url = process.env.E2E_FAKE_LLM_URL;
  if (!url) throw new Error("E2E_FAKE_LLM_URL is not set: e2e/global-setup.ts starts the fake LLM server");
  return url;
}

async function fillEndpoint(form: Locator, baseUrl: string, model: string): Promise<void> {
  await form.getByLabel("Base URL").fill(baseUrl);
  await form.getByLabel("Model", { exact: true }).fill(model);
}

export async function setUpProjectWithRun(page: Page, name: string): Promise<string> {
  await page.goto("/");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Downstream task").fill("A helpful general assistant");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const projectUrl = page.url();

  await page.getByLabel("Seed file").setInputFiles(selfInstructSeeds);
  await page.getByRole("button", { name: "Import 175 records" }).click();
  await expect(page.getByRole("status")).toHaveText("Imported 175 seeds");

  // A small run: 12 metadata entries, 16 kept instructions wanted.
  await page.getByRole("link", { name: "Method" }).click();
  await page.getByLabel("Metadata pool size").fill("12");
  await page.getByLabel("Target dataset size").fill("16");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText(/^Saved /)).toBeVisible();

  await page.getByRole("link", { name: "Models" }).click();
  const strong = page.getByRole("form", { name: "strong endpoint" });
  // A wrong URL first: the test names what failed.
  await fillEndpoint(strong, "http://127.0.0.1:1/v1", "strong-model");
  await strong.getByRole("button", { name: "Test connection" }).click();
  await expect(strong.getByTestId("connection-result")).toContainText(/unreachable|refuse/i);
  await fillEndpoint(strong, fakeLlmUrl(), "strong-model");
  await strong.getByRole("button", { name: "Test connection" }).click();
  await expect(strong.getByTestId("connection-result")).toContainText("Connected");
  await strong.getByRole("button", { name: "Save" }).click();
  await expect(strong.getByText(/Saved/)).toBeVisible();

  const target = page.getByRole("form", { name: "target endpoint" });
  await fillEndpoint(target, fakeLlmUrl(), "target-model");
  await target.getByRole("button", { name: "Save" }).click();
  await expect(target.getByText(/Saved/)).toBeVisible();

  await page.getByRole("link", { name: "Run" }).click();
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("completed", { timeout: 90_000 });
  await expect(page.getByTestId("kept-count")).not.toHaveText("0");
  await snap(page, "run");
  return projectUrl;
}

async function downloadExport(page: Page): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("status").getByRole("link", { name: "Download" }).click(),
  ]);
  const file = await download.path();
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

function openedId(detailLabel: string | null): number {
  const match = /Instruction (\d+)/.exec(detailLabel ?? "");
  if (!match) throw new Error(`no instruction id in ${detailLabel}`);
  return Number(match[1]);
}

test("run, review (accept, reject, edit, bulk) and export chat and Alpaca files", async ({ page }) => {
  const projectUrl = await setUpProjectWithRun(page, "Curation journey");
  await expect(page.getByTestId("stage-encode")).toContainText("175");

  // The run survives a reload: it lives in the workers, not the tab.
  await page.reload();
  await expect(page.getByTestId("run-state")).toHaveText("completed");

  await page.getByRole("link", { name: "Review", exact: true }).click();
  await page.getByLabel("State").selectOption("kept");
  await page.getByLabel("Minimum gap").fill("3");
  await page.getByLabel("Minimum gap").press("Enter");
  await expect(page).toHaveURL(/gapMin=3/);
  const rows = page.getByTestId("review-row");
  await expect(rows.first()).toBeVisible();
  const keptStrong = await rows.count();
  expect(keptStrong).toBeGreaterThan(2);

  // Open one: its evolution, both answers and both judge orders.
  await page
    .getByRole("button", { name: /^Open instruction/ })
    .first()
    .click();
  const detail = page.getByTestId("review-detail");
  await expect(detail.getByTestId("review-evolution").getByTestId("evolution-step").first()).toBeVisible();
  await expect(detail.getByTestId("answer-strong")).not.toBeEmpty();
  await expect(detail.getByTestId("answer-target")).not.toBeEmpty();
  await expect(detail.getByTestId("review-judgement")).toBeVisible();
  await snap(page, "review");

  // Accept one (button), reject the next (keyboard), edit the one after.
  const acceptedId = openedId(await detail.getAttribute("aria-label"));
  await detail.getByRole("button", { name: "Accept (a)" }).click();
  await expect(page.getByTestId("review-status")).toContainText(/accepted/i);
  await page.keyboard.press("j");
  await expect(detail).not.toHaveAttribute("aria-label", `Instruction ${acceptedId}`);
  const rejectedId = openedId(await detail.getAttribute("aria-label"));
  await page.keyboard.press("r");
  await expect(page.getByTestId("review-status")).toContainText(/rejected/i);
  await expect(detail).not.toHaveAttribute("aria-label", `Instruction ${rejectedId}`);
  const editedId = openedId(await detail.getAttribute("aria-label"));
  await detail.getByRole("button", { name: "Edit (e)" }).click();
  const editedText = `Edited by the journey: write a two-line poem about review tools (${editedId}).`;
  await detail.getByRole("textbox", { name: "Instruction" }).fill(editedText);
  await detail.getByRole("button", { name: "Save edit" }).click();
  await expect(detail).toContainText(editedText);

  // Bulk-accept everything that matches the filter, after a confirmation naming the count.
  await page.getByRole("button", { name: /^Accept all \d+/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(/Accept all \d+ matching/);
  await dialog.getByRole("button", { name: /^Accept \d+/ }).click();
  await expect(page.getByTestId("review-status")).toContainText(/accepted/i);

  // Export chat JSONL: every kept pair but the rejected one, with the edit applied.
  await page.goto(`${projectUrl}/export`);
  await expect(page.getByTestId("export-count")).toContainText("will be exported");
  const expected = Number(
    (await page.getByTestId("export-count").textContent())?.match(/[\d,]+/)?.[0].replaceAll(",", ""),
  );
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const chatLines = await downloadExport(page);
  expect(chatLines).toHaveLength(expected);
  const chat = chatLines.map(
    (line) =>
      JSON.parse(line) as { messages: { role: string; content: string }[]; codeclm?: { kept: string } },
  );
  for (const record of chat) {
    expect(record.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    expect(record.messages[1]?.content.length).toBeGreaterThan(0);
  }
  expect(chat.some((record) => record.messages[0]?.content === editedText)).toBe(true);

  await snap(page, "export");
  await page.goto(`${projectUrl}/dashboard`);
  await page.waitForTimeout(1500);
  await snap(page, "dashboard");
  await page.goto(`${projectUrl}/metadata`);
  await page.waitForTimeout(1500);
  await snap(page, "metadata-pool");
  await page.goto(`${projectUrl}/export`);

  // Alpaca, the same records.
  await page.getByLabel(/^Alpaca JSONL/).check();
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Export #2 is ready");
  const alpaca = (await downloadExport(page)).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(alpaca).toHaveLength(expected);
  for (const record of alpaca)
    expect(Object.keys(record).slice(0, 3)).toEqual(["instruction", "input", "output"]);
  expect(alpaca.some((record) => record.instruction === editedText)).toBe(true);
});
