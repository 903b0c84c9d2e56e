import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the
 * endpoint secret>` — the scheme Stripe documents and its SDKs' `constructEvent` verify.
 */
export function stripeSignatureHeader(payload: string, secret: string, timestampS: number): string {
  return `t=${timestampS},v1=${stripeSignature(payload, secret, timestampS)}`;
}

export function stripeSignature(payload: string, secret: string, timestampS: number): string {
  return createHmac('sha256', secret).update(`${timestampS}.${payload}`, 'utf8').digest('hex');
}

/** Verify a header as a receiver does: any v1 matches, and t is within `toleranceS` of now. */
export function verifyStripeSignature(payload: string, header: string, secret: string, nowS: number, toleranceS = 300): boolean {
  const parts = header.split(',').map((p) => p.split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS) return false;
  const expected = Buffer.from(stripeSignature(payload, secret, t), 'hex');
  return parts.some(([k, v]) => {
    if (k !== 'v1' || !v || !/^[0-9a-f]+$/.test(v)) return false;
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
