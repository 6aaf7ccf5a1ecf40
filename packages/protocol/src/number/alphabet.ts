/**
 * Crockford base32 (https://www.crockford.com/base32.html), upper case: digits and letters without
 * I, L, O and U, so that a number read aloud or copied by hand has no look-alike pairs.
 * A symbol's value is its index here, which is also its element of GF(32) (see gf32.ts).
 */
export const NET_NUMBER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 9 random symbols + 1 check symbol. */
export const NET_NUMBER_LENGTH = 10;

/** Symbol → value, -1 for anything outside the alphabet (indexed by UTF-16 code unit < 128). */
const VALUES: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < NET_NUMBER_ALPHABET.length; i++) table[NET_NUMBER_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export function symbolValue(char: string): number {
  const code = char.charCodeAt(0);
  return code < 128 ? VALUES[code]! : -1;
}
