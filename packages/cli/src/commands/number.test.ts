import { PassThrough } from 'node:stream';
import { isValidNetNumber, NET_NUMBER_ALPHABET } from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(['number', ...argv], { stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const VALID = (() => {
  const body = 'K01X2C3AB';
  return body + [...NET_NUMBER_ALPHABET].find((c) => isValidNetNumber(body + c))!;
})();

describe('netid number', () => {
  it('new prints one valid number', async () => {
    const { code, stdout } = await run('new');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[0-9A-Z]{10}\n$/);
    expect(isValidNetNumber(stdout.trim())).toBe(true);
  });

  it('check prints the canonical number for messy input and exits 0', async () => {
    const messy = `ko1x-2c3 ${VALID.slice(7).toLowerCase()}`;
    const { code, stdout } = await run('check', messy);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ valid: true, netNumber: VALID });
  });

  it.each([
    ['a wrong check symbol', `${VALID.slice(0, 9)}${VALID[9] === 'Z' ? 'Y' : 'Z'}`, 'ERR_NETNUMBER_CHECK'],
    ['a short number', VALID.slice(0, 8), 'ERR_NETNUMBER_LENGTH'],
    ['a U', `${VALID.slice(0, 9)}U`, 'ERR_NETNUMBER_CHARACTER'],
  ])('check reports %s as JSON with exit 1', async (_what, input, error) => {
    const { code, stdout } = await run('check', input);
    expect(code).toBe(1);
    const body = JSON.parse(stdout);
    expect(body.error).toBe(error);
    expect(typeof body.message).toBe('string');
  });

  it('mask prints the masked number', async () => {
    const { code, stdout } = await run('mask', VALID.toLowerCase());
    expect(code).toBe(0);
    expect(stdout).toBe(`K0******${VALID.slice(8)}\n`);
  });

  it('mask refuses an invalid number with exit 1', async () => {
    const { code, stdout } = await run('mask', 'ABC');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toBe('ERR_NETNUMBER_LENGTH');
  });

  it.each([[[]], [['bogus']], [['check']], [['check', 'a', 'b']], [['mask']], [['new', 'extra']]])(
    'bad usage %j prints usage on stderr and exits 2',
    async (argv) => {
      const { code, stdout, stderr } = await run(...argv);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('usage: netid number');
    },
  );

  it('--help prints usage on stdout and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('usage: netid number');
  });
});
