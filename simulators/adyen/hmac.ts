import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Adyen's notification HMAC: HMAC-SHA256, keyed by the hex-decoded HMAC key, over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
 * (missing fields as empty strings), base64-encoded into `additionalData.hmacSignature`.
 */
export interface NotificationFields {
  pspReference: string;
  originalReference?: string | undefined;
  merchantAccountCode: string;
  merchantReference: string;
  amount: { value: number; currency: string };
  eventCode: string;
  success: 'true' | 'false';
}

export function adyenSigningString(n: NotificationFields): string {
  return [n.pspReference, n.originalReference ?? '', n.merchantAccountCode, n.merchantReference, n.amount.value, n.amount.currency, n.eventCode, n.success].join(':');
}

export function adyenHmac(n: NotificationFields, hexKey: string): string {
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(adyenSigningString(n), 'utf8').digest('base64');
}

export function verifyAdyenHmac(n: NotificationFields, signature: string, hexKey: string): boolean {
  const expected = Buffer.from(adyenHmac(n, hexKey), 'base64');
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
