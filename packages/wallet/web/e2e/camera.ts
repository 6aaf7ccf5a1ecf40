import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/**
 * Chromium's fake camera (`--use-file-for-fake-video-capture`) plays a Y4M file: this writes one
 * frame of a PNG (a screenshot of a QR code) as 4:2:0 YUV, centred on a white 640×480 picture, so
 * the wallet's scanner sees the very pixels a phone camera pointed at the screen would.
 */
export function writeCameraFrame(png: Buffer | undefined, path: string): void {
  const width = 640;
  const height = 480;
  const y = Buffer.alloc(width * height, 235);
  const u = Buffer.alloc((width / 2) * (height / 2), 128);
  const v = Buffer.alloc((width / 2) * (height / 2), 128);
  if (png) {
    const image = PNG.sync.read(png);
    const scale = Math.min(1, (height - 20) / image.height, (width - 20) / image.width);
    const w = Math.floor(image.width * scale);
    const h = Math.floor(image.height * scale);
    const left = Math.floor((width - w) / 2);
    const top = Math.floor((height - h) / 2);
    for (let row = 0; row < h; row++) {
      for (let col = 0; col < w; col++) {
        const src = (Math.floor(row / scale) * image.width + Math.floor(col / scale)) * 4;
        const [r, g, b] = [image.data[src]!, image.data[src + 1]!, image.data[src + 2]!];
        // BT.601 studio range, as Y4M players expect.
        y[(top + row) * width + left + col] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
      }
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeFileSync(path, Buffer.concat([header, y, u, v]));
}
