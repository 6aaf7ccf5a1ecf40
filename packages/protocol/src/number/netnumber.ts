import { randomFillSync } from 'node:crypto';
import { fail } from '../errors.ts';
import { NET_NUMBER_ALPHABET, NET_NUMBER_LENGTH, symbolValue } from './alphabet.ts';
import { checkValue, hornerSum } from './gf32.ts';

const PAYLOAD_LENGTH = NET_NUMBER_LENGTH - 1;

// CSPRNG bytes drawn in batches: one randomFillSync call costs microseconds, which would dominate when
// the registry seeder makes millions of numbers. Each byte is handed out once and then overwritten.
const pool = new Uint8Array(4096);
let poolIndex = pool.length;

function nextRandomByte(): number {
  if (poolIndex === pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  const byte = pool[poolIndex]!;
  pool[poolIndex++] = 0;
  return byte;
}

/**
 * A fresh network number: 9 symbols from the CSPRNG and the check symbol. Each random byte's low five
 * bits are uniform over 0…31 because 256 is a multiple of 32, so no rejection sampling is needed.
 * Never derived from personal data (DESIGN.md, vocabulary); uniqueness is the registry's job, since
 * 32^9 ≈ 3.5·10^13 numbers leave a small but real collision chance at national scale.
 */
export function generateNetNumber(): string {
  const payload = new Uint8Array(PAYLOAD_LENGTH);
  let out = '';
  for (let i = 0; i < PAYLOAD_LENGTH; i++) {
    const value = nextRandomByte() & 0b11111;
    payload[i] = value;
    out += NET_NUMBER_ALPHABET[value];
  }
  return out + NET_NUMBER_ALPHABET[checkValue(payload)];
}

/** Strict check of the canonical form (upper case, no separators). Never throws. */
export function isValidNetNumber(s: string): boolean {
  if (typeof s !== 'string' || s.length !== NET_NUMBER_LENGTH) return false;
  const values = new Uint8Array(NET_NUMBER_LENGTH);
  for (let i = 0; i < NET_NUMBER_LENGTH; i++) {
    const value = symbolValue(s[i]!);
    if (value < 0) return false;
    values[i] = value;
  }
  return hornerSum(values) === 0;
}

/** Anything longer than this is not a mistyped number but something else; refuse before any work. */
const MAX_INPUT_LENGTH = 64;

/**
 * Separators people type or paste between groups: white space (including the ideographic space, which
 * NFKC turns into U+0020), hyphen-minus and the Unicode dashes, underscore, full stop, middle dots.
 */
const SEPARATORS = /[\s\-_.\u00b7\u2010-\u2015\u2212\u30fb]/g;

/**
 * Canonical form of user input: NFKC (full-width forms → ASCII), upper case, separators dropped, and
 * Crockford's look-alike decoding O → 0, I and L → 1. It does not validate: U and other characters
 * outside the alphabet are left in place for parseNetNumber to report.
 */
export function normalizeNetNumber(input: string): string {
  if (typeof input !== 'string') fail('ERR_NETNUMBER_CHARACTER', 'network number must be a string');
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(SEPARATORS, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** Normalises then validates; returns the canonical 10-symbol number or throws a NetidError. */
export function parseNetNumber(input: string): string {
  if (typeof input === 'string' && input.length > MAX_INPUT_LENGTH) {
    fail('ERR_NETNUMBER_LENGTH', `network number input is longer than ${MAX_INPUT_LENGTH} characters`);
  }
  const s = normalizeNetNumber(input);
  // Characters first: "contains U" is a more useful message than "wrong length" for the same typo.
  for (let i = 0; i < s.length; i++) {
    if (symbolValue(s[i]!) < 0) {
      fail(
        'ERR_NETNUMBER_CHARACTER',
        `network number has ${JSON.stringify(s[i])} at position ${i + 1}, outside the alphabet ${NET_NUMBER_ALPHABET}`,
      );
    }
  }
  if (s.length !== NET_NUMBER_LENGTH) {
    fail('ERR_NETNUMBER_LENGTH', `network number must have ${NET_NUMBER_LENGTH} characters, got ${s.length}`);
  }
  if (!isValidNetNumber(s)) fail('ERR_NETNUMBER_CHECK', 'network number check character does not match');
  return s;
}

/**
 * Display form for logs and screens that must not reveal the whole number: first 2 + 6 stars + last 2.
 * The input is parsed first, so garbage is refused rather than half-revealed.
 */
export function maskNetNumber(n: string): string {
  const s = parseNetNumber(n);
  return `${s.slice(0, 2)}******${s.slice(-2)}`;
}
