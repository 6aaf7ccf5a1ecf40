import { existsSync, rmSync } from 'node:fs';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrFromScreenshot } from './qr.ts';

// The harness's own reader, on images made here: what the browser tests rely on when they read a
// QR code off a screenshot.

const TEXT =
  'openid4vp://?client_id=http%3A%2F%2F127.0.0.1%3A8470&request_uri=http%3A%2F%2F127.0.0.1%3A8470%2Fx';

describe('qrFromScreenshot', () => {
  it('reads a clean code', async () => {
    expect(qrFromScreenshot(await QRCode.toBuffer(TEXT, { scale: 8, margin: 2 }))).toBe(TEXT);
  });

  it('falls back to a halved, thresholded copy when speckle hides the code at full size', async () => {
    const image = PNG.sync.read(await QRCode.toBuffer(TEXT, { scale: 4, margin: 2 }));
    // One pixel of every 2×2 block inverted: the finder patterns are lost, the average is not.
    for (let y = 0; y < image.height; y += 2) {
      for (let x = 0; x < image.width; x += 2) {
        const i = (y * image.width + x) * 4;
        for (const c of [0, 1, 2]) image.data[i + c] = 255 - image.data[i + c]!;
      }
    }
    expect(qrFromScreenshot(PNG.sync.write(image))).toBe(TEXT);
  });

  it('throws naming the kept image when there is no code', () => {
    const blank = new PNG({ width: 40, height: 30 });
    blank.data.fill(255);
    let message = '';
    try {
      qrFromScreenshot(PNG.sync.write(blank));
    } catch (error) {
      message = (error as Error).message;
    }
    const kept = /kept as (.+\.png)\)/.exec(message)?.[1];
    expect(message).toContain('no QR code found in the 40×30 screenshot');
    expect(kept && existsSync(kept)).toBe(true);
    rmSync(kept!);
  });
});
