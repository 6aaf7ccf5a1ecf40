import { PassThrough } from 'node:stream';
import type { Io } from './io.ts';
import { main } from './main.ts';

/** Runs `netid …` in-process with captured streams. */
export async function runCli(
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: Io = { stdin: PassThrough.from([stdin]), stdout: new PassThrough(), stderr: new PassThrough() };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  io.stdout.on('data', (c: Buffer) => out.push(c));
  io.stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(args, io);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
