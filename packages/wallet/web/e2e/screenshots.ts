import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Lang } from './browser.ts';

/** `screenshots/` at the repository root: ignored by git, kept for people to look through. */
export const SCREENSHOTS_DIR = resolve(import.meta.dirname, '../../../../screenshots');

/**
 * Saves the whole page as `screenshots/wallet/<lang>/<name>.png` for review, and returns the PNG so a
 * test can read what the person sees (a QR code) from the very same pixels.
 */
export async function shot(page: Page, name: string, lang: Lang): Promise<Buffer> {
  const dir = join(SCREENSHOTS_DIR, 'wallet', lang);
  mkdirSync(dir, { recursive: true });
  return page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
