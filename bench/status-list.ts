// Token Status List throughput: how long the authority needs to rebuild and publish a list, how big
// it is on the wire, and how long a verifier needs to unpack it. Lists are 1-bit with 1% of entries
// revoked at random positions (random index allocation, DESIGN.md), a pessimistic revocation rate.
import { StatusList } from '../packages/protocol/src/status/index.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : fmt(n)} ms`;

/** xorshift32: reproducible positions without depending on a seeded library. */
function randomIndex(seed: number, size: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    // 32 random bits scaled to the list: every list here is below 2^32 entries.
    return Math.floor((state / 2 ** 32) * size);
  };
}

interface Run {
  line: string;
  list: StatusList;
}

function run(size: number, level = 9): Run {
  const next = randomIndex(0x5eed ^ size, size);
  const started = performance.now();
  const list = new StatusList(1, size);
  let revoked = 0;
  for (let i = 0; i < size / 100; i++) {
    const index = next();
    if (list.get(index) === 0) {
      list.set(index, 1);
      revoked++;
    }
  }
  const built = performance.now();
  const claim = list.encode({ level });
  const encoded = performance.now();
  const decoded = StatusList.decode(claim, { maxBytes: list.bytes.length });
  const finished = performance.now();
  if (!Buffer.from(decoded.bytes).equals(Buffer.from(list.bytes)))
    throw new Error('status list round trip differs');
  const compressed = Buffer.byteLength(claim.lst, 'base64url');
  const line =
    `status list ${fmt(size)} × 1 bit, ${fmt(revoked)} revoked, zlib level ${level}: ` +
    `build+set+encode ${ms(encoded - started)} (encode ${ms(encoded - built)}), ` +
    `${fmt(list.bytes.length)} B → ${fmt(compressed)} B compressed (lst ${fmt(claim.lst.length)} chars, ` +
    `${((compressed / list.bytes.length) * 100).toFixed(1)}%), decode ${ms(finished - encoded)}`;
  return { line, list };
}

export async function statusListBench(): Promise<string[]> {
  const lines = [run(1_000_000).line, run(100_000_000).line];
  // zlib level 9 spends most of its time on long hash chains in the zero runs; level 6 is shown so the
  // authority can judge the size/time trade-off (encode({ level }) selects it).
  lines.push(run(100_000_000, 6).line);
  return lines;
}
