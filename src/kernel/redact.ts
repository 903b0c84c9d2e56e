/**
 * Deep redaction of secrets in anything that is about to be logged.
 *
 * pino's own `redact` only knows fixed paths, so it cannot catch a secret that turns up somewhere
 * nobody predicted. Here every key and every string is looked at:
 *
 *   object ──► each key: is it a secret's name?  ── yes ──► [REDACTED]
 *                │ no                                        (cvc, card[cvc], cardCvc, x-api-key,
 *                ▼                                            Stripe-Signature, Authorization …)
 *              each string (values, and keys too):
 *                1. card numbers   any Luhn-valid 13–19 digit run, digits in groups joined by
 *                                  single spaces, dashes or dots (4242.4242.4242.4242), as
 *                                  written or URL-encoded (4242%204242…, 4242+4242…)
 *                                  → [REDACTED PAN …4242]; a glued run that is the value of an
 *                                  id field (pspReference, trade_no, `…Reference`, `id`) is a
 *                                  provider's id and stays
 *                2. secret shapes  sk_live_…, whsec_…, Bearer …, t=…,v1=… → [REDACTED]
 *                3. keyed values   card[cvc]=123 (form bodies, query strings), "cvc":"737"
 *                                  (JSON bodies), Authorization: … (header dumps) → [REDACTED]
 *
 * Which names are secrets lives in sensitive-keys.ts.
 *
 * Invariant: the work is linear in the size of the input. Every regex has bounded or
 * unambiguous repetition (no nested quantifiers over the same characters), and the keyed-value
 * pass never rescans text it has passed; a test feeds it megabyte strings.
 */

import { classifyKey, isNamedReferenceKey, isReferenceKey, isSensitiveKey, registerKeyRules, type KeyRules } from './sensitive-keys.js';

export { isSensitiveKey, isReferenceKey } from './sensitive-keys.js';

/** What a provider descriptor adds to the redaction: names (see sensitive-keys.ts) and secret shapes. */
export interface RedactionRules extends KeyRules {
  /** Regex sources of secrets found anywhere in text, matched case-insensitively. */
  readonly shapes?: readonly string[];
}

/**
 * Extend the redaction (src/conventions/providers registers every descriptor's rules when it
 * loads). Process-wide on purpose: every logger, whoever created it, then masks them.
 */
export function registerRedaction(rules: RedactionRules): void {
  registerKeyRules(rules);
  const added = (rules.shapes ?? []).filter((s) => !shapeSources.includes(s));
  if (added.length === 0) return;
  shapeSources.push(...added);
  secretShapes = new RegExp(shapeSources.join('|'), 'gi');
}

export const REDACTED = '[REDACTED]';
/** Values that already start like this were masked by an earlier pass; the PAN mask keeps its last four. */
const ALREADY_MASKED = '[REDACTED';

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

/** Mask card numbers, secret-shaped substrings and the values of secret keys inside a string. */
export function redactString(value: string): string {
  return maskKeyedValues(maskShapes(maskPans(value)));
}

/**
 * Only the card-number pass of redactString, for text that is data rather than a log line: a
 * simulator masks what a merchant wrote into a free field (issue #18) but must leave everything
 * else as sent. `id`: the text is an id field's value, so a glued run is the id, not a card.
 */
export function maskCardNumbers(text: string, id = false): string {
  return maskPans(text, id);
}

/** The value of an id field: card-number shapes with separators are still masked, a glued id is not. */
function redactReference(value: string): string {
  return maskKeyedValues(maskShapes(maskPans(value, true)));
}

// ── 1. card numbers ──────────────────────────────────────────────────────────────────────────

// Groups of digits joined by single spaces, dashes or dots. A separator must be followed by a
// digit, so there is exactly one way to match: linear.
const DIGIT_RUN = /\d+(?:[ .-]\d+)*/g;

// `"pspReference":"`, `pspReference=`, `trade_no: ` right before a glued run: an id field.
const KEY_BEFORE = /([A-Za-z][\w.[\]-]{0,99})\\{0,8}["']?[ \t]{0,8}[=:][ \t]{0,8}\\{0,8}["']?$/;

// A percent-escape or a `+` before a digit: text that may be URL- or form-encoded.
const ENCODED = /%[0-9A-Fa-f]{2}|\+\d/;

/**
 * Card numbers in the text as written, and in its URL-decoded reading: a query string or form
 * body writes `4242 4242 …` as `4242%204242…` or `4242+4242…`, and `note=paid%20with%204242…`
 * glues the escape's digits onto the number. When only the decoded reading shows a card number,
 * the decoded text is returned, masked (the escapes are lost; the card number matters more).
 */
function maskPans(text: string, inReference = false): string {
  const masked = maskPlainPans(text, inReference);
  if (!ENCODED.test(masked)) return masked;
  const decoded = decodeAsciiEscapes(masked);
  const again = maskPlainPans(decoded, inReference);
  return again === decoded ? masked : again;
}

/** `+` → space and ASCII `%XX` escapes decoded; anything else (multi-byte escapes) as it was. Linear, never throws. */
function decodeAsciiEscapes(text: string): string {
  return text.replace(/\+/g, ' ').replace(/%([0-7][0-9A-Fa-f])/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function maskPlainPans(text: string, inReference = false): string {
  if (text.length < 13) return text;
  return text.replace(DIGIT_RUN, (run: string, at: number) => {
    if (run.length < 13) return run;
    // One dot is a decimal point (1733512345.123456), not a card number's separator.
    if (countOf(run, '.') === 1) return run.split('.').map((part) => maskPansInRun(part, inReference || glued(part) && referenceBefore(text, at))).join('.');
    return maskPansInRun(run, inReference || (glued(run) && referenceBefore(text, at)));
  });
}

function glued(run: string): boolean {
  return /^\d+$/.test(run);
}

function countOf(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i !== -1; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** Whether the text just before `at` names an id field (`"pspReference":"`), so the run is its value. */
function referenceBefore(text: string, at: number): boolean {
  if (at === 0) return false;
  const m = KEY_BEFORE.exec(text.slice(Math.max(0, at - 120), at));
  return m !== null && isNamedReferenceKey(m[1]!);
}

/**
 * A run is masked wherever a window of whole groups holding 13–19 digits passes Luhn: the run
 * itself (`4242 4242 4242 4242`), or part of it when other numbers sit beside the card number
 * (`qty 2 4242424242424242`). Digits glued together (no separator) are one group, so a 20-digit
 * id is not searched for card numbers inside it. The union of all passing windows is masked, so
 * a window that passes Luhn by chance cannot leave part of a real card number visible.
 */
function maskPansInRun(run: string, reference = false): string {
  if (run.length < 13) return run;
  if (glued(run)) {
    // A provider's id (pspReference …) passes Luhn one time in ten: its field says what it is.
    if (reference) return run;
    return run.length <= 19 && luhnValid(run) ? `[REDACTED PAN …${run.slice(-4)}]` : run;
  }
  const digits: number[] = [];
  const offset: number[] = []; // where each digit sits in `run`
  const startsGroup: boolean[] = [];
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    startsGroup.push(i === 0 || !isDigitCode(run.charCodeAt(i - 1)));
    digits.push(c - 48);
    offset.push(i);
  }
  if (digits.length < 13) return run;

  const masked: Array<[number, number]> = []; // digit index ranges [from, to), merged as found
  for (let a = 0; a < digits.length; a++) {
    if (!startsGroup[a]) continue;
    // Luhn sums of digits[a..b] for both parities: which digits are doubled depends on the
    // window's length, so keep the sum with even-offset digits doubled and with odd-offset ones.
    let evenDoubled = 0;
    let oddDoubled = 0;
    for (let b = a; b < digits.length && b - a < 19; b++) {
      const d = digits[b]!;
      const dd = d > 4 ? 2 * d - 9 : 2 * d;
      if ((b - a) % 2 === 0) {
        evenDoubled += dd;
        oddDoubled += d;
      } else {
        evenDoubled += d;
        oddDoubled += dd;
      }
      const to = b + 1;
      const length = to - a;
      const endsGroup = to === digits.length || startsGroup[to] === true;
      // The rightmost digit is never doubled: for an odd length that is an even offset from a.
      if (length >= 13 && endsGroup && (length % 2 === 1 ? oddDoubled : evenDoubled) % 10 === 0) {
        const last = masked[masked.length - 1];
        if (last !== undefined && a < last[1]) last[1] = Math.max(last[1], to);
        else masked.push([a, to]);
      }
    }
  }
  if (masked.length === 0) return run;

  let out = '';
  let copied = 0;
  for (const [from, to] of masked) {
    out += `${run.slice(copied, offset[from])}[REDACTED PAN …${digits.slice(to - 4, to).join('')}]`;
    copied = offset[to - 1]! + 1;
  }
  return out + run.slice(copied);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ── 2. secret shapes ─────────────────────────────────────────────────────────────────────────

// Generic secret shapes; provider descriptors add theirs through registerRedaction().
const shapeSources: string[] = [
    String.raw`\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{6,}`, // Stripe secret / restricted keys
    String.raw`\bwhsec_[A-Za-z0-9]{6,}`, // Stripe webhook secrets
    String.raw`\b(Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{6,}`, // Authorization header values
    String.raw`\bWECHATPAY2-SHA256-RSA2048[ \t][^\r\n]*`, // WeChat Pay Authorization header value
    String.raw`\bt=\d+,v1=[0-9a-f]{16,}[^\s"]*`, // Stripe-Signature header value
];
let secretShapes = new RegExp(shapeSources.join('|'), 'gi');

function maskShapes(text: string): string {
  return text.length < 8 ? text : text.replace(secretShapes, (_m, scheme?: string) => (scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`));
}

// ── 3. keyed values ──────────────────────────────────────────────────────────────────────────

// A key not glued to a longer key on its left, an optional closing quote (escaped when a JSON
// body was itself logged as JSON), then `=` or `:`. All repetitions are bounded.
const KEYED = /(?<![\w%.[\]-])([A-Za-z][\w%.[\]-]{0,99})(\\{0,8}["'])?[ \t]{0,8}([=:])[ \t]{0,8}/g;

// An unquoted value ends at whitespace or at what separates fields in forms, JSON, cookies.
const ENDS_VALUE = new Uint8Array(128);
for (const c of ' \t\r\n\f\v&;,"\'\\<>)}]') ENDS_VALUE[c.charCodeAt(0)] = 1;

function maskKeyedValues(text: string): string {
  if (!text.includes('=') && !text.includes(':')) return text;
  const keyed = KEYED;
  keyed.lastIndex = 0; // nothing below calls back into redactString, so sharing the regex is safe
  let out = '';
  let copied = 0;
  for (let m = keyed.exec(text); m !== null; m = keyed.exec(text)) {
    const cls = classifyKey(m[1]!);
    if (cls !== 'secret' && cls !== 'line') continue;
    // `Authorization: Bearer x` in a header dump: the value is the rest of the line.
    const wholeLine = cls === 'line' && m[3] === ':' && m[2] === undefined;
    const span = valueSpan(text, m.index + m[0].length, wholeLine);
    if (span === undefined) continue;
    out += text.slice(copied, span.from) + REDACTED;
    copied = span.to;
    keyed.lastIndex = span.resume;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

interface Span {
  from: number;
  to: number;
  /** Where scanning for the next key resumes. */
  resume: number;
}

function valueSpan(text: string, start: number, wholeLine: boolean): Span | undefined {
  if (start >= text.length || text.startsWith(ALREADY_MASKED, start)) return undefined;
  let q = start;
  while (q < text.length && q - start < 8 && text.charCodeAt(q) === 92 /* \ */) q++;
  const c = text[q];

  if (c === '"' || c === "'") {
    const quote = text.slice(start, q + 1);
    const from = q + 1;
    let to: number;
    if (quote.length === 1) {
      to = from;
      while (to < text.length && text[to] !== c) to += text[to] === '\\' ? 2 : 1;
      to = Math.min(to, text.length);
    } else {
      to = text.indexOf(quote, from);
      if (to === -1) to = text.length;
    }
    if (to === from || text.startsWith(ALREADY_MASKED, from)) return undefined;
    return { from, to, resume: Math.min(to + quote.length, text.length) };
  }

  if (!wholeLine && (c === '{' || c === '[')) {
    // A JSON object or array under a secret key: mask all of it (to the end if unbalanced).
    const to = closingBracket(text, start);
    return { from: start, to, resume: to };
  }

  let to = start;
  if (wholeLine) {
    while (to < text.length && text[to] !== '\n' && text[to] !== '\r') to++;
  } else {
    while (to < text.length) {
      const code = text.charCodeAt(to);
      if (code < 128 && ENDS_VALUE[code] === 1) break;
      to++;
    }
  }
  return to === start ? undefined : { from: start, to, resume: to };
}

/** Index just past the bracket that closes the one at `start`, skipping quoted strings; text.length if none. */
function closingBracket(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return text.length;
}

// ── deep walk ────────────────────────────────────────────────────────────────────────────────

/**
 * Return a redacted deep copy of `value`. Never mutates its input; survives cycles and errors.
 */
export function redact(value: unknown): unknown {
  return walk(value, undefined, new WeakMap());
}

function walk(value: unknown, parentKey: string | undefined, seen: WeakMap<object, unknown>): unknown {
  const reference = parentKey !== undefined && isReferenceKey(parentKey);
  if (typeof value === 'string') return reference ? redactReference(value) : redactString(value);
  if (reference && (typeof value === 'number' || typeof value === 'bigint')) return value;
  // A card number logged as a number still is a card number.
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) > 1e12 && redactString(String(value)) !== String(value) ? REDACTED : value;
  if (typeof value === 'bigint') return redactString(value.toString()) === value.toString() ? value : REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactString(value.message) };
    seen.set(value, out);
    if (value.stack) out.stack = redactString(value.stack);
    copyEntries(value, out, undefined, seen);
    if (value.cause !== undefined) out.cause = walk(value.cause, 'cause', seen);
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // Raw header lists (Node's rawHeaders, undici's) are flat [name, value, name, value …].
      const previous: unknown = value[i - 1];
      if (i % 2 === 1 && value.length % 2 === 0 && typeof previous === 'string' && typeof item === 'string' && item !== '' && isSensitiveKey(previous)) out.push(REDACTED);
      else out.push(walk(item, parentKey, seen));
    }
    return out;
  }
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return walk(value.toString('utf8'), parentKey, seen);
  // What JSON.stringify would print for it (a URL's href, say), redacted.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let json: unknown = value;
    try {
      json = toJSON.call(value);
    } catch {
      // fall back to its own properties
    }
    if (json !== value) return walk(json, parentKey, seen);
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  copyEntries(value, out, parentKey, seen);
  return out;
}

function copyEntries(from: object, out: Record<string, unknown>, parentKey: string | undefined, seen: WeakMap<object, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const secret = isSensitiveKey(k, parentKey) && v !== undefined && v !== null && v !== '';
    // A key can be a secret too: `{ "4242424242424242": … }`.
    const masked = redactString(k);
    let key = masked;
    for (let n = 2; key !== k && Object.hasOwn(out, key); n++) key = `${masked} #${n}`;
    const redacted = secret ? REDACTED : walk(v, k, seen);
    // Assigning to `__proto__` would set the prototype instead of a property.
    if (key === '__proto__') Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true, configurable: true });
    else out[key] = redacted;
  }
}
