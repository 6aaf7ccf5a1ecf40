import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { SCREENSHOTS_DIR } from './screenshots.ts';

// jsQR is a UMD bundle whose module.exports is the function; its types describe an ES default
// export, which Node's ESM interop would wrap one level deeper.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

function decode(image: Pixels): string | undefined {
  return jsQR(image.data, image.width, image.height)?.data;
}

/**
 * Half the size, each 2×2 block averaged and then cut to black or white: a phone's 2× pixels and
 * anti-aliased module edges are what most often keep the finder patterns from being found.
 */
function halvedAndThresholded(image: Pixels): Pixels {
  const width = Math.floor(image.width / 2);
  const height = Math.floor(image.height / 2);
  const data = new Uint8ClampedArray(width * height * 4);
  const luma = (x: number, y: number) => {
    const i = (y * image.width + x) * 4;
    return 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [left, top] = [2 * x, 2 * y];
      const sum = luma(left, top) + luma(left + 1, top) + luma(left, top + 1) + luma(left + 1, top + 1);
      const v = sum / 4 < 128 ? 0 : 255;
      const o = (y * width + x) * 4;
      data[o] = data[o + 1] = data[o + 2] = v;
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * The text of the QR code in a PNG screenshot, read from its pixels as a camera would. Throws, and
 * keeps the image under screenshots/qr-failures/ for a look, when no code can be found.
 */
export function qrFromScreenshot(png: Buffer): string {
  const parsed = PNG.sync.read(png);
  const image: Pixels = {
    width: parsed.width,
    height: parsed.height,
    data: new Uint8ClampedArray(parsed.data.buffer, parsed.data.byteOffset, parsed.data.length),
  };
  const text = decode(image) ?? decode(halvedAndThresholded(image));
  if (text !== undefined) return text;
  const dir = join(SCREENSHOTS_DIR, 'qr-failures');
  mkdirSync(dir, { recursive: true });
  const kept = join(dir, `${new Date().toISOString().replaceAll(':', '-')}.png`);
  writeFileSync(kept, png);
  throw new Error(`no QR code found in the ${image.width}×${image.height} screenshot (kept as ${kept})`);
}

/** The QR code shown in the element `selector` matches, read from a screenshot of just that element. */
export async function qrOfElement(page: Page, selector: string): Promise<string> {
  return qrFromScreenshot(await page.locator(selector).screenshot());
}
