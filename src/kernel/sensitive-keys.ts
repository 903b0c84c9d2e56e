/**
 * Which field names hold secrets.
 *
 * One classification serves object keys and the keys found inside strings (form bodies, JSON
 * bodies, query strings, header dumps), so `card[cvc]`, `card_cvc`, `cardCvc`, `CARD-CVC` and
 * `card%5Bcvc%5D` are one key. Keys are normalised — lower case, without `_ - . [ ]`, spaces or
 * URL-encoded brackets — and then matched by suffix, so a provider's or a header's prefix
 * (`card`, `x-`, `merchant`, `client`, `Stripe-`, `PAYPAL-TRANSMISSION-`) does not hide a secret.
 *
 * Words that would match too much as suffixes (`pan` ends `span`, `sign` ends `design`) match
 * only whole, or after a card prefix. A bare `number`, `cid` or `pin` is a card field only
 * under a card-like parent (`card.number`, Adyen's `paymentMethod.number`) or with a card
 * prefix (`card[number]`, `cardNo`); elsewhere (`invoice.number`) it is left alone.
 */

/**
 * - `secret`: always masked.
 * - `line`: always masked; in an unquoted `Name: value` header line the value runs to the end of
 *   the line, because these values hold spaces and commas (`Bearer …`, `a=1; b=2`, `t=…,v1=…`).
 * - `card`: masked only in a card context (see above).
 * - `plain`: not a secret by name.
 */
export type KeyClass = 'secret' | 'line' | 'card' | 'reference' | 'plain';

/**
 * Names added at load time by the provider descriptors (src/conventions/providers), normalised.
 * The kernel's own lists stay: a process that never loads the descriptors must still mask the
 * common secrets. `reference` names are ids whose digits are not card numbers (Adyen's
 * pspReference): a glued digit run under them is never taken for a PAN.
 */
const extra = { secret: new Set<string>(), line: new Set<string>(), reference: new Set<string>() };

/** Generic id fields: `id`, `ref`, `…reference` hold provider ids, not card numbers. */
const REFERENCE_SUFFIXES = ['reference'];
/** An id by its spelling: `paymentId`, `payment_id`, `transaction-id`, `ID` (not `paid`, `valid`). */
const ID_SPELLING = /(?:^id|[a-z0-9]Id|[_-]id|ID)$/;

export interface KeyRules {
  readonly secretKeys?: readonly string[];
  readonly lineKeys?: readonly string[];
  readonly referenceKeys?: readonly string[];
}

/** Add secret, line and reference names (provider descriptors call this once at load time). */
export function registerKeyRules(rules: KeyRules): void {
  for (const k of rules.secretKeys ?? []) extra.secret.add(normaliseKey(k));
  for (const k of rules.lineKeys ?? []) extra.line.add(normaliseKey(k));
  for (const k of rules.referenceKeys ?? []) extra.reference.add(normaliseKey(k));
  cache.clear();
}

const SECRET_SUFFIXES = [
  // card verification codes
  'cvc', 'cvc2', 'cvv', 'cvv2', 'cvn', 'cvn2', 'csc', 'cvd', 'securitycode', 'verificationvalue', 'verificationcode',
  // card and account numbers
  'cardnumber', 'ccnumber', 'accountnumber', 'cardno', 'ccno',
  // keys, secrets, tokens, passwords (apiKey, x-api-key, merchantPrivateKey, apiV3Key, clientSecret …)
  'apikey', 'secretkey', 'privatekey', 'apiv3key', 'hmackey', 'signingkey', 'accesskey', 'encryptionkey',
  'secret', 'token', 'password', 'passwd', 'passphrase', 'pwd',
  // signatures: Wechatpay-Signature, hmacSignature, additionalData.hmacSignature, PAYPAL-TRANSMISSION-SIG
  'signature', 'transmissionsig',
];
const LINE_SUFFIXES = ['authorization', 'cookie', 'stripesignature'];
/** Too short or too common to match as suffixes: whole key only, or after a card prefix. */
const SECRET_WHOLE = new Set(['pan', 'sign', 'sig']);
const CARD_FIELDS = new Set(['number', 'num', 'no', 'cid', 'pin']);
const CARD_PREFIXES = [
  'card', 'cc', 'creditcard', 'debitcard', 'paymentcard', 'bankcard', 'encryptedcard', 'paymentmethod', 'paymentmethoddata', 'source',
];

export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/%5[bd]/g, '').replace(/[-_.[\]\s]/g, '');
}

function classifyNormalised(k: string): KeyClass {
  if (k === '') return 'plain';
  if (SECRET_WHOLE.has(k)) return 'secret';
  for (const suffix of LINE_SUFFIXES) if (k.endsWith(suffix)) return 'line';
  for (const name of extra.line) if (k.endsWith(name)) return 'line';
  for (const suffix of SECRET_SUFFIXES) if (k.endsWith(suffix)) return 'secret';
  for (const name of extra.secret) if (k === name || (name.length >= 6 && k.endsWith(name))) return 'secret';
  if (CARD_FIELDS.has(k)) return 'card';
  for (const prefix of CARD_PREFIXES) {
    if (k.length > prefix.length && k.startsWith(prefix)) {
      const rest = k.slice(prefix.length);
      if (CARD_FIELDS.has(rest) || SECRET_WHOLE.has(rest)) return 'secret';
    }
  }
  if (k === 'id' || k === 'ref' || extra.reference.has(k)) return 'reference';
  for (const suffix of REFERENCE_SUFFIXES) if (k.endsWith(suffix)) return 'reference';
  return 'plain';
}

// Log lines repeat the same few hundred keys; remember their class. Bounded: cleared when full.
const cache = new Map<string, KeyClass>();
const CACHE_LIMIT = 4096;

export function classifyKey(key: string): KeyClass {
  let cls = cache.get(key);
  if (cls !== undefined) return cls;
  cls = classifyNormalised(normaliseKey(key));
  if (cls === 'plain' && ID_SPELLING.test(key)) cls = 'reference';
  if (key.length <= 100) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, cls);
  }
  return cls;
}

/** A parent under which `number`, `cid` and `pin` are card fields: `card`, `paymentMethod`, `creditCard` … */
export function isCardParent(key: string): boolean {
  const k = normaliseKey(key);
  return k.endsWith('card') || CARD_PREFIXES.includes(k);
}

/** Whether a field called `key` (under `parent`, if known) holds a secret whatever its value. */
export function isSensitiveKey(key: string, parent?: string): boolean {
  const cls = classifyKey(key);
  if (cls === 'card') return parent !== undefined && isCardParent(parent);
  return cls === 'secret' || cls === 'line';
}

/** Whether a field called `key` holds a provider id whose digits must not be taken for a card number. */
export function isReferenceKey(key: string): boolean {
  return classifyKey(key) === 'reference';
}

/**
 * In free text (a form body, a log message) only a provider's own id names count — those the
 * descriptors registered (pspReference, trade_no …) and `…reference` — not any word spelled like
 * an id (`xID=`, `ref:`): a card number written after such a word must still be masked.
 */
export function isNamedReferenceKey(key: string): boolean {
  const k = normaliseKey(key);
  if (classifyNormalised(k) !== 'reference') return false;
  return extra.reference.has(k) || REFERENCE_SUFFIXES.some((suffix) => k.endsWith(suffix));
}
