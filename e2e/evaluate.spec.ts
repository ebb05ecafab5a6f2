import { snap } from "./snap";
import { expect, test, type Locator, type Page } from "@playwright/test";

// Evaluating like the paper: a public set with its licence, a warning when a seed is also a test instruction, an
// evaluation of a target against the project's strong model judged in both orders, its W/T/L and CRR on screen
// (checked against what was stored), the per-instruction drill-down, and two evaluations side by side.
function fakeLlmUrl(): string {
  const url = process.env.E2E_FAKE_LLM_URL;
  if (!url) throw new Error("E2E_FAKE_LLM_URL is not set: e2e/global-setup.ts starts the fake LLM server");
  return url;
}

async function createProjectWithStrongModel(page: Page, name: string): Promise<number> {
  await page.goto("/");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const projectId = Number(/\/projects\/(\d+)/.exec(page.url())?.[1]);

  // One seed that is also a Vicuna test question (the first one), and one that is not.
  await page.getByRole("tab", { name: "Paste text" }).click();
  await page
    .getByRole("textbox", { name: "Instructions" })
    .fill("How can I improve my time management skills?\nWrite a limerick about a cat.\n");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("button", { name: "Import 2 records" }).click();
  await expect(page.getByRole("status")).toHaveText("Imported 2 seeds");

  await page.getByRole("link", { name: "Models" }).click();
  const strong = page.getByRole("form", { name: "strong endpoint" });
  await strong.getByLabel("Base URL").fill(fakeLlmUrl());
  await strong.getByLabel("Model", { exact: true }).fill("strong-model");
  await strong.getByRole("button", { name: "Save" }).click();
  await expect(strong.getByText(/Saved/)).toBeVisible();
  return projectId;
}

async function startEvaluation(page: Page, name: string, targetModel: string): Promise<Locator> {
  const form = page.getByRole("region", { name: "New evaluation" });
  await form.getByLabel("Evaluation set").selectOption({ label: "Vicuna, 80 (80)" });
  await form.getByLabel("Target", { exact: true }).selectOption({ label: "Another endpoint…" });
  await form.getByLabel("Target base URL").fill(fakeLlmUrl());
  await form.getByLabel("Target model").fill(targetModel);
  // The reference defaults to the project's strong model, and it judges.
  await expect(form.getByLabel("Reference", { exact: true })).toHaveValue("project:strong");
  await expect(form.getByLabel("Judge", { exact: true })).toHaveValue("reference");
  await form.getByLabel("Name (optional)").fill(name);
  await form.getByRole("button", { name: "Start evaluation" }).click();
  const detail = page.getByTestId("evaluation-detail");
  await expect(detail.getByRole("heading", { name })).toBeVisible();
  await expect(detail.getByTestId("evaluation-state")).toHaveText("completed", { timeout: 90_000 });
  return detail;
}

test("evaluate a target against the strong model on Vicuna, read W/T/L and CRR, drill down and compare", async ({
  page,
}) => {
  const projectId = await createProjectWithStrongModel(page, "Evaluation journey");
  await page.getByRole("link", { name: "Evaluate" }).click();

  // A public set by name, with its licence shown before loading.
  const sets = page.getByRole("region", { name: "Evaluation sets" });
  // Preselected: Vicuna is Apache-2.0 (commercially usable), unlike the CC BY-NC sets listed first.
  await expect(sets.getByLabel("Public set")).toHaveValue("vicuna-80");
  await expect(sets.getByTestId("public-set-notice")).toContainText("Licence Apache-2.0.");
  await expect(sets.getByRole("link", { name: "Licence text" })).toHaveAttribute(
    "href",
    "/api/public-eval-sets/vicuna-80/license",
  );
  await sets.getByRole("button", { name: "Load set" }).click();
  await expect(sets.getByRole("status")).toHaveText("Added Vicuna, 80: 80 instructions");
  // The test question imported as a seed is named: a warning, not a refusal.
  await expect(sets.getByTestId("overlap-warning").first()).toContainText(
    "1 instruction is also a seed of this project",
  );
  await expect(sets.getByText("How can I improve my time management skills?")).toBeVisible();

  const detail = await startEvaluation(page, "tuned target", "tuned-model");
  await expect(detail.getByTestId("evaluation-progress")).toHaveText("80 of 80 instructions settled");
  const crrText = (await detail.getByTestId("crr").textContent()) ?? "";
  expect(crrText).toMatch(/^\d{1,3}\.\d{2}%$/);
  await expect(detail.getByTestId("crr-interval")).toHaveText(/^95% CI \d{1,3}\.\d{2}% – \d{1,3}\.\d{2}%$/);
  const count = async (label: string) => Number(await detail.getByTestId(`count-${label}`).textContent());
  const [wins, ties, losses] = [await count("wins"), await count("ties"), await count("losses")];
  expect(wins + ties + losses).toBe(80);
  expect(crrText).toBe(`${(((wins + ties) / 80) * 100).toFixed(2)}%`);
  await expect(detail.getByRole("table", { name: "CRR per category" })).toContainText("roleplay");

  // What was stored matches the screen: every instruction judged in both orders.
  const evaluations = (await (
    await page.request.get(`/api/projects/${projectId}/evaluations`)
  ).json()) as Array<{ id: number; name: string; wins: number; ties: number; losses: number }>;
  const tuned = evaluations.find((item) => item.name === "tuned target")!;
  expect({ wins: tuned.wins, ties: tuned.ties, losses: tuned.losses }).toEqual({ wins, ties, losses });
  const report = (await (
    await page.request.get(`/api/projects/${projectId}/evaluations/${tuned.id}/report`)
  ).json()) as {
    results: Array<{ scores: unknown; outcome: string | null }>;
  };
  expect(report.results).toHaveLength(80);
  expect(report.results.every((result) => result.scores !== null && result.outcome !== null)).toBe(true);

  // Drill down: both answers and both orders' scores of one instruction.
  const instructions = page.getByRole("list", { name: "Instructions" });
  await instructions.getByRole("button", { name: /How can I improve my time management skills/ }).click();
  const drillDown = page.getByTestId("drill-down");
  await expect(drillDown.getByText("Target answer")).toBeVisible();
  await expect(drillDown.getByText("Reference answer")).toBeVisible();
  await expect(drillDown.getByTestId("order-scores")).toHaveText(
    /^target first: target [\d.]+ vs reference [\d.]+ · reference first: reference [\d.]+ vs target [\d.]+$/,
  );

  await snap(page, "evaluate");
  // A second target, then both side by side with the CRR difference.
  await startEvaluation(page, "base target", "base-model");
  const list = page.getByRole("region", { name: "Evaluations" });
  await list.getByRole("checkbox", { name: "Compare tuned target" }).check();
  await list.getByRole("checkbox", { name: "Compare base target" }).check();
  const comparison = page.getByRole("region", { name: "Comparison" });
  await expect(comparison.getByRole("table", { name: "Evaluations compared" })).toContainText("tuned target");
  await expect(comparison.getByTestId("crr-difference").nth(1)).toHaveText(
    /^[+−±]\d+\.\d{2} pts \([+−±]\d+\.\d{2} pts … [+−±]\d+\.\d{2} pts, 80 paired\)$/,
  );
});
