import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/vectors` beside the checkout: third-party vectors, read as data and never copied in. */
export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/vectors');

export function readVector<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, relative), 'utf8')) as T;
}
