import { createHmac } from 'node:crypto';
import { NET_NUMBER_ALPHABET } from '@netid/protocol';

/** Crockford base32 (the network number's alphabet), 5 bits a character, no padding. */
function base32(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += NET_NUMBER_ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += NET_NUMBER_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The application identifier (DESIGN.md): base32(HMAC-SHA256(K, sector ‖ netNumber)), 52
 * characters. Stable for one person at one platform, different at every other, unlinkable without
 * K. The sector is length-prefixed so no (sector, number) pair can be re-split into another.
 */
export function applicationIdentifier(key: Buffer, sector: string, netNumber: string): string {
  const s = Buffer.from(sector, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(s.length);
  return base32(createHmac('sha256', key).update(length).update(s).update(netNumber, 'utf8').digest());
}
