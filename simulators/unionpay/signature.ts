import { createHash, createSign, createVerify, type KeyLike } from 'node:crypto';

/**
 * Signatures of the UnionPay online gateway, version 5.1.0 with signMethod 01:
 *
 *   every field but `signature`, sorted by name (ASCII order), joined `k=v&k=v`
 *     ─▶ SHA-256, as 64 lower-case hex characters
 *     ─▶ those 64 characters (as bytes, not the digest decoded) signed SHA256withRSA
 *     ─▶ base64 = `signature`
 *
 * Requests are signed with the merchant's private key and name its certificate by `certId` (the
 * serial in decimal); answers and notifications are signed with UnionPay's signing key and carry
 * that certificate itself as `signPubKeyCert`, which the merchant checks against UnionPay's
 * middle and root certificates before trusting it.
 */
export type UpopFields = Readonly<Record<string, string>>;

export function upopSignContent(fields: UpopFields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

const digestHex = (fields: UpopFields): string => createHash('sha256').update(upopSignContent(fields), 'utf8').digest('hex');

export function upopSign(fields: UpopFields, privateKey: KeyLike): string {
  return createSign('RSA-SHA256').update(digestHex(fields), 'utf8').sign(privateKey, 'base64');
}

/** False, never a throw, for a malformed signature or key. */
export function upopVerify(fields: UpopFields, publicKey: KeyLike): boolean {
  const signature = fields.signature;
  if (!signature) return false;
  try {
    return createVerify('RSA-SHA256').update(digestHex(fields), 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/**
 * An answer as UnionPay sends it: `k=v&k=v` with the values NOT URL-encoded (its docs warn
 * merchants about this). Values we put in answers never contain `&`.
 */
export function upopAnswerBody(fields: UpopFields): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
