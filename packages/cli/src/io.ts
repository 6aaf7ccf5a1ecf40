import type { Readable, Writable } from 'node:stream';

/** What a command may touch, so tests can run commands in-process with captured streams. */
export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export type Command = (args: string[], io: Io) => Promise<number>;

export async function readAll(stream: Readable, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
