/**
 * Deep redaction of secrets in anything that is about to be logged.
 *
 * Two nets, because one is not enough: by key (a field called cvc, authorization, signature …
 * is masked whatever it holds), and by value (a Luhn-valid 13–19 digit run is a card number
 * wherever it appears — inside a message, a URL, a form body; API keys and bearer tokens have
 * recognisable shapes). pino's own `redact` only knows fixed paths, so it cannot catch a PAN
 * that turns up somewhere nobody predicted.
 */

export const REDACTED = '[REDACTED]';

/** Keys compared case-insensitively with `-` and `_` removed. */
const SENSITIVE_KEYS = new Set(
  [
    'pan', 'cardnumber', 'ccnumber', 'accountnumber', 'cvc', 'cvv', 'cvc2', 'cvv2', 'cid', 'securitycode',
    'apikey', 'xapikey', 'secret', 'secretkey', 'clientsecret', 'password', 'passwd', 'privatekey', 'apiv3key',
    'authorization', 'proxyauthorization', 'cookie', 'setcookie',
    'signature', 'sign', 'stripesignature', 'wechatpaysignature', 'hmacsignature', 'hmackey', 'webhooksecret',
  ].map(normaliseKey),
);

/** Under these parents a bare `number` is a card number (Stripe's `card[number]`, Adyen's `paymentMethod.number`). */
const CARD_PARENTS = new Set(['card', 'paymentmethod', 'paymentmethoddata', 'source', 'encryptedcard']);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

export function isSensitiveKey(key: string, parent?: string): boolean {
  const k = normaliseKey(key);
  if (SENSITIVE_KEYS.has(k)) return true;
  return k === 'number' && parent !== undefined && CARD_PARENTS.has(normaliseKey(parent));
}

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// 13–19 digits, optionally grouped by single spaces or dashes, not glued to other digits.
const PAN_CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
const SECRET_SHAPES: RegExp[] = [
  /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{6,}/g, // Stripe secret / restricted keys
  /\bwhsec_[A-Za-z0-9]{6,}/g, // Stripe webhook secrets
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\bWECHATPAY2-SHA256-RSA2048\s+[^\n]+/g, // WeChat Pay Authorization header value
  /\bt=\d+,v1=[0-9a-f]{16,}[^\s"]*/g, // Stripe-Signature header value
];

/** Mask card numbers and secret-shaped substrings inside a string. */
export function redactString(value: string): string {
  let out = value.replace(PAN_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? `[REDACTED PAN …${digits.slice(-4)}]` : match;
  });
  for (const shape of SECRET_SHAPES) out = out.replace(shape, (m, scheme?: string) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
  return out;
}

/**
 * Return a redacted deep copy of `value`. Never mutates its input; survives cycles and errors.
 */
export function redact(value: unknown): unknown {
  return walk(value, undefined, new WeakMap());
}

function walk(value: unknown, parentKey: string | undefined, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactString(value);
  // A card number logged as a number still is a card number.
  if (typeof value === 'number' && Number.isInteger(value) && value > 1e12) return redactString(String(value)) === String(value) ? value : REDACTED;
  if (typeof value === 'bigint') return redactString(value.toString()) === value.toString() ? value : REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactString(value.message) };
    seen.set(value, out);
    if (value.stack) out.stack = redactString(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k) ? REDACTED : walk(v, k, seen);
    if (value.cause !== undefined) out.cause = walk(value.cause, 'cause', seen);
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(walk(item, parentKey, seen));
    return out;
  }
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return walk(value.toString('utf8'), parentKey, seen);
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k, parentKey) && v !== undefined && v !== null && v !== '' ? REDACTED : walk(v, k, seen);
  }
  return out;
}
