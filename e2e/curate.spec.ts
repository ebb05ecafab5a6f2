import { readFileSync } from "node:fs";
import { repoPath } from "@/lib/repo-root";
import { expect, test, type Locator, type Page, type Route } from "@playwright/test";
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
    page.getByTestId("export-ready").getByRole("link", { name: "Download" }).click(),
  ]);
  const file = await download.path();
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

/**
 * Holds every server action at the network until `release` is called: the server has not even received the
 * request, so whatever the page shows meanwhile was shown before the server answered.
 */
async function holdServerActions(page: Page): Promise<{ held: () => number; release: () => Promise<void> }> {
  let count = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const handled: Promise<void>[] = [];
  const handler = (route: Route) => {
    const request = route.request();
    const isAction = request.method() === "POST" && request.headers()["next-action"] !== undefined;
    if (isAction) count++;
    const done = (isAction ? gate : Promise.resolve()).then(() => route.continue());
    handled.push(done);
    return done;
  };
  await page.route("**/*", handler);
  return {
    held: () => count,
    release: async () => {
      open();
      await Promise.all(handled);
      await page.unroute("**/*", handler);
    },
  };
}

async function exportCount(page: Page): Promise<number> {
  await expect(page.getByTestId("export-count")).toContainText("will be exported");
  const text = (await page.getByTestId("export-count").textContent()) ?? "";
  return Number(text.match(/[\d,]+/)?.[0].replaceAll(",", ""));
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

  // Open one that was rewritten (iteration above 1): its evolution, both answers and both judge orders.
  await rows
    .filter({ hasNot: page.getByRole("cell", { name: "1", exact: true }) })
    .first()
    .getByRole("button", { name: /^Open instruction/ })
    .click();
  const detail = page.getByTestId("review-detail");
  await expect(detail.getByTestId("review-evolution").getByTestId("evolution-step").first()).toBeVisible();
  await expect(detail.getByTestId("answer-strong")).not.toBeEmpty();
  await expect(detail.getByTestId("answer-target")).not.toBeEmpty();
  await expect(detail.getByTestId("review-judgement")).toBeVisible();
  await snap(page, "review");

  // Accept one by keyboard while the server is held back: the list shows the decision and the next instruction
  // opens before the save has even reached the server.
  const acceptedId = openedId(await detail.getAttribute("aria-label"));
  const slowServer = await holdServerActions(page);
  await page.keyboard.press("a");
  await expect(page.locator(`[data-testid="review-row"][data-id="${acceptedId}"]`)).toContainText("accepted");
  await expect(detail).not.toHaveAttribute("aria-label", `Instruction ${acceptedId}`);
  expect(slowServer.held()).toBe(1); // the save is still waiting at the network
  await slowServer.release();
  await expect(page.getByTestId("review-status")).toContainText(`Accepted #${acceptedId}`);

  // Reject the next one (keyboard), edit the one after, undo the edit, edit it again.
  const rejectedId = openedId(await detail.getAttribute("aria-label"));
  await page.keyboard.press("r");
  await expect(page.locator(`[data-testid="review-row"][data-id="${rejectedId}"]`)).toContainText("rejected");
  await expect(detail).not.toHaveAttribute("aria-label", `Instruction ${rejectedId}`);
  const editedId = openedId(await detail.getAttribute("aria-label"));
  const generatedText =
    (await detail.getByTestId("review-instruction").locator("p").first().textContent()) ?? "";
  expect(generatedText.length).toBeGreaterThan(0);
  const editedText = `Edited by the journey: write a two-line poem about review tools (${editedId}).`;
  const edit = async () => {
    await detail.getByRole("button", { name: "Edit (e)" }).click();
    await detail.getByRole("textbox", { name: "Instruction" }).fill(editedText);
    await detail.getByRole("button", { name: "Save edit" }).click();
    await expect(detail.getByTestId("review-instruction")).toContainText(editedText);
  };
  await edit();
  await expect(page.locator(`[data-testid="review-row"][data-id="${editedId}"]`)).toContainText(
    editedText.slice(0, 40),
  );
  await expect(page.getByTestId("review-status")).toContainText(`Saved the edit of #${editedId}`);
  await page.keyboard.press("u");
  await expect(detail.getByTestId("review-instruction")).not.toContainText(editedText);
  await expect(detail.getByTestId("review-instruction")).toContainText(generatedText);
  await expect(page.locator(`[data-testid="review-row"][data-id="${editedId}"]`)).not.toContainText(
    "[edited]",
  );
  // …and the server agrees once the page is loaded again.
  await expect(page.getByTestId("review-status")).toContainText(`Undid the last review of #${editedId}`);
  await page.reload();
  await expect(detail).toHaveAttribute("aria-label", `Instruction ${editedId}`);
  await expect(detail.getByTestId("review-instruction")).toContainText(generatedText);
  await expect(page.locator(`[data-testid="review-row"][data-id="${acceptedId}"]`)).toContainText("accepted");
  await edit();

  // Bulk-accept everything that matches the filter, after a confirmation naming the count.
  await page.getByRole("button", { name: /^Accept all \d+/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(/Accept all \d+ matching/);
  await dialog.getByRole("button", { name: /^Accept \d+/ }).click();
  await expect(page.getByTestId("review-status")).toContainText(/accepted/i);

  // Export under each decision filter: the count shown equals the lines downloaded.
  await page.goto(`${projectUrl}/export`);
  const linesBy: Record<string, string[]> = {};
  for (const decision of ["accepted", "unreviewed", "any"] as const) {
    await page.getByLabel("Human decision").selectOption(decision);
    const expected = await exportCount(page);
    if (expected === 0) {
      await expect(page.getByRole("button", { name: "Export", exact: true })).toBeDisabled();
      linesBy[decision] = [];
      continue;
    }
    await page.getByRole("button", { name: "Export", exact: true }).click();
    linesBy[decision] = await downloadExport(page);
    expect(linesBy[decision], `lines of the "${decision}" export`).toHaveLength(expected);
  }
  expect(linesBy.any!.length).toBe(linesBy.accepted!.length + linesBy.unreviewed!.length);
  expect(linesBy.accepted!.length).toBeGreaterThan(0);
  // Chat JSONL: every kept pair but the rejected one, with the edit applied.
  const chat = linesBy.any!.map(
    (line) =>
      JSON.parse(line) as { messages: { role: string; content: string }[]; codeclm?: { kept: string } },
  );
  for (const record of chat) {
    expect(record.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    expect(record.messages[1]?.content.length).toBeGreaterThan(0);
  }
  expect(chat.some((record) => record.messages[0]?.content === editedText)).toBe(true);
  const expected = linesBy.any!.length;

  // Exporting again: the previous link goes away at once and the new export is listed as being written.
  const slowExport = await holdServerActions(page);
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByTestId("export-ready")).toHaveCount(0);
  await expect(page.getByTestId("export-row-writing")).toBeVisible();
  await slowExport.release();
  await expect(page.getByTestId("export-ready")).toBeVisible();
  await expect(page.getByTestId("export-row-writing")).toHaveCount(0);

  await snap(page, "export");
  await page.goto(`${projectUrl}/dashboard`);
  await page.waitForTimeout(1500);
  await snap(page, "dashboard");
  await page.goto(`${projectUrl}/metadata`);
  await page.waitForTimeout(1500);
  await snap(page, "metadata-pool");
  await page.goto(`${projectUrl}/export`);

  // Alpaca, the same records.
  await page.getByLabel(/^Alpaca \(instruction/).check();
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByTestId("export-ready")).toBeVisible();
  const alpaca = (await downloadExport(page)).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(alpaca).toHaveLength(expected);
  for (const record of alpaca)
    expect(Object.keys(record).slice(0, 3)).toEqual(["instruction", "input", "output"]);
  expect(alpaca.some((record) => record.instruction === editedText)).toBe(true);

  // Preference pairs for TRL's DPOTrainer: the kept answer chosen, the other side's rejected.
  const alpacaId = Number(
    /Export #(\d+)/.exec((await page.getByTestId("export-ready").textContent()) ?? "")?.[1],
  );
  await page.getByLabel(/^Preference pairs for TRL/).check();
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByTestId("export-ready")).toContainText(`Export #${alpacaId + 1} is ready`);
  const preference = (await downloadExport(page)).map(
    (line) =>
      JSON.parse(line) as { prompt: unknown[]; chosen: unknown[]; rejected: unknown[]; margin: number },
  );
  expect(preference).toHaveLength(expected);
  for (const record of preference) {
    expect(Object.keys(record)).toEqual(["prompt", "chosen", "rejected", "margin"]);
    expect(record.margin).toBeGreaterThan(0);
  }
});
