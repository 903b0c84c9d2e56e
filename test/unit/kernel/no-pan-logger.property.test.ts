import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, isReferenceKey, isSensitiveKey, luhnValid, type Logger } from '../../../src/kernel/index.js';
import '../../../src/conventions/index.js'; // registers the providers' id names (pspReference, trade_no …)

/**
 * Issue #18 item 4, the logger half: whatever field name or free text a card number is written
 * into — glued, with spaces, dashes or dots, URL-encoded — the harness logger never writes it;
 * and a provider's id that happens to pass Luhn (Adyen's 16-digit pspReference, Alipay's
 * trade_no) under its own key survives, or nobody could join a log with a payment.
 *
 * The same property runs against two broken loggers, and must fail on each: one that does not
 * redact (a card number gets out) and one that masks every Luhn-valid run whatever its key (an
 * id is lost). Without these controls a property that always passes would prove nothing.
 */

const BRANDS: ReadonlyArray<readonly [string, number]> = [
  ['4', 13], ['4', 16], ['4', 19], ['51', 16], ['2221', 16], ['34', 15], ['37', 15], ['6011', 16], ['65', 19], ['3528', 16], ['62', 17], ['36', 14],
];

const withCheckDigit = (head: string) => head + [...'0123456789'].find((d) => luhnValid(head + d))!;

const digitsArb = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

const panArb = fc.constantFrom(...BRANDS).chain(([prefix, length]) => digitsArb(length - prefix.length - 1).map((body) => withCheckDigit(prefix + body)));

/** A Luhn-valid 16-digit provider id: exactly what a context-free redactor would wrongly mask. */
const referenceArb = digitsArb(15).map((d) => withCheckDigit(`8${d.slice(1)}`));

type Style = 'glued' | 'spaces' | 'dashes' | 'dots' | 'url';
const STYLES: readonly Style[] = ['glued', 'spaces', 'dashes', 'dots', 'url'];

function written(pan: string, style: Style): string {
  if (style === 'glued') return pan;
  const groups = pan.length === 15 ? [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)] : (pan.match(/.{1,4}/g) ?? []);
  if (style === 'url') return groups.join('%20');
  return groups.join(style === 'spaces' ? ' ' : style === 'dashes' ? '-' : '.');
}

/** Keys that name neither a secret nor an id: only the text itself can tell a card number there. */
const plainKeyArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'), minLength: 1, maxLength: 12 }).filter((k) => !isSensitiveKey(k) && !isReferenceKey(k));
/** Text around the number, a non-digit next to it so the text cannot glue more digits on. */
const edgeArb = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(' ', ': ', '=', '(', '"', '\n', '/', '?note=', '&card='));
const beforeArb = edgeArb.map(([t, e]) => `${t}${e}`);
const afterArb = edgeArb.map(([t, e]) => `${e.split('').reverse().join('')}${t}`);

const REFERENCE_KEYS = ['pspReference', 'originalReference', 'trade_no', 'transaction_id'];

type Where = 'value' | 'key' | 'message' | 'nested' | 'array';
const WHERE: readonly Where[] = ['value', 'key', 'message', 'nested', 'array'];

function capture() {
  let raw = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      raw += chunk.toString();
      cb();
    },
  });
  return { stream, take: () => ((s) => ((raw = ''), s))(raw) };
}

/** The property, for the logger a factory builds on a stream. */
function property(make: (stream: Writable) => Logger) {
  const out = capture();
  const log = make(out.stream);
  return fc.property(
    panArb,
    fc.constantFrom(...STYLES),
    fc.constantFrom(...WHERE),
    plainKeyArb,
    beforeArb,
    afterArb,
    referenceArb,
    fc.constantFrom(...REFERENCE_KEYS),
    (pan, style, where, key, before, after, reference, referenceKey) => {
      const text = `${before}${written(pan, style)}${after}`;
      let fields: Record<string, unknown> = { [referenceKey]: reference };
      let msg = 'payment';
      if (where === 'value') fields[key] = text;
      else if (where === 'key') fields[text] = 'x';
      else if (where === 'message') msg = text;
      else if (where === 'nested') fields = { ...fields, request: { body: { [key]: text } } };
      else fields[key] = ['a', text];
      log.info(fields, msg);
      const raw = out.take();
      // Not the number in any spelling the line could carry, nor its hidden digits.
      expect(raw).not.toContain(pan);
      expect(raw).not.toContain(written(pan, style));
      expect(raw.replace(/%20|[ .-]/g, '')).not.toContain(pan.slice(0, -4));
      // The provider's id, under its own key, is kept whole.
      expect(JSON.parse(raw)[referenceKey]).toBe(reference);
    },
  );
}

const redacting = (stream: Writable) => createLogger({ level: 'info', destination: stream });
/** Broken on purpose: no redaction at all. */
const plain = (stream: Writable) => pino({ level: 'info' }, stream);
/** Broken on purpose: masks any Luhn-valid 13–19 digit run, blind to the key it sits under. */
const contextBlind = (stream: Writable) =>
  pino({ level: 'info', formatters: { log: (obj) => JSON.parse(JSON.stringify(obj).replace(/\d{13,19}/g, (d) => (luhnValid(d) ? '[PAN]' : d))) as Record<string, unknown> } }, stream);

describe('the logger never writes a card number, and keeps provider ids (issue #18 item 4)', () => {
  it('holds for the harness logger, wherever and however the number is written', () => {
    fc.assert(property(redacting), { numRuns: 300, seed: 18_4 });
  });

  it('fails for a logger that does not redact (the property can catch a leak)', () => {
    const result = fc.check(property(plain), { numRuns: 300, seed: 18_4 });
    expect(result.failed).toBe(true);
  });

  it('fails for a redactor blind to context (the property can catch a lost pspReference)', () => {
    const result = fc.check(property(contextBlind), { numRuns: 300, seed: 18_4 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/\[PAN\]/);
  });
});
