import path from "node:path";
import type { Page } from "@playwright/test";

/** Full-page screenshots at key points of a journey when E2E_SCREENSHOT_DIR is set (for looking at the UI). */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
