import { expect } from 'vitest';
import { NetidError } from '../errors.ts';

/** The NetidError code thrown by fn, or undefined if it returned; anything else fails the test. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NetidError);
    return (e as NetidError).code;
  }
  return undefined;
}
