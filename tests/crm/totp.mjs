// RFC 6238 one-time codes (HMAC-SHA1, 30 s steps), the way a CRM's server checks them.

import { createHmac, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** @param {string} text base32 (RFC 4648), padding optional */
export function base32Decode(text) {
  let buffer = 0;
  let bits = 0;
  const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const value = ALPHABET.indexOf(c);
    if (value < 0) throw new Error('not base32');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 4226: the code for `counter` under `key`. */
export function hotp(key, counter, digits = 6) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238: the code of the 30-second step holding `unixMs`. */
export function totpAt(key, unixMs, digits = 6) {
  return hotp(key, Math.floor(unixMs / 30000), digits);
}

/** True when `code` is the code of the current step or of the one before or after it. */
export function totpAccepts(key, code, unixMs = Date.now()) {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return false;
  let ok = false;
  for (const drift of [-1, 0, 1]) {
    const expected = Buffer.from(totpAt(key, unixMs + drift * 30000));
    // Compare every candidate so the answer takes the same time whichever matched.
    if (timingSafeEqual(expected, Buffer.from(code))) ok = true;
  }
  return ok;
}
