import { randomBytes } from 'node:crypto';

/**
 * Request ids in the format Toxiproxy sends in `X-Toxiproxy-Request-Id`: an xid, 12 bytes
 * (4 s-resolution time, 3 machine, 2 process, 3 counter) in 20 lowercase base32hex characters,
 * e.g. `dc12tqlqmd2pc8kuvtag`. Sortable by time, unique without coordination.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuv';
const machine = randomBytes(3);
let counter = randomBytes(3).readUIntBE(0, 3);

export function newRequestId(now: number = Date.now()): string {
  const id = Buffer.alloc(12);
  id.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  machine.copy(id, 4);
  id.writeUInt16BE(process.pid & 0xffff, 7);
  counter = (counter + 1) & 0xffffff;
  id.writeUIntBE(counter, 9, 3);
  return encode(id);
}

function encode(id: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of id) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
