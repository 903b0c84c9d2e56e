import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redact, isPaychaosError } from '../../../src/kernel/index.js';

const PAN = '4242424242424242';
const AMEX = '378282246310005';

/** A pino destination that keeps every NDJSON line. */
function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, raw: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger redaction', () => {
  it('never lets a card number reach the output, wherever it appears', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream, bindings: { runId: 'r1' } });
    log.info({ card: { number: PAN, cvc: '123' } }, 'paying');
    log.info({ body: `amount=100&card[number]=${PAN}&currency=eur` }, 'form body');
    log.info({ deep: [{ nested: { free_text: `customer typed 4242 4242 4242 4242 in the note` } }] });
    log.info(`message with ${PAN} inline`);
    log.info({ pan: AMEX, amexNumber: 378282246310005 });
    log.error({ err: new Error(`card ${PAN} refused`) }, 'failure');
    log.child({ pan: PAN }).info('child bindings');
    const raw = out.raw();
    expect(raw).not.toContain(PAN);
    expect(raw).not.toContain('4242 4242 4242 4242');
    expect(raw).not.toContain(AMEX);
    expect(raw).toContain('…4242'); // last four are kept so people can still debug
    expect(out.lines()).toHaveLength(7);
  });

  it('redacts objects interpolated into the message (%j, %o, %s), not only the merge object', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.info('body %j', { card: { number: PAN, cvc: '737' }, amount: 1000 });
    log.info({ orderId: 'o1' }, 'sent %o then %s', { authorization: 'Bearer sk_live_secret' }, { cvc: '738' });
    const raw = out.raw();
    for (const secret of [PAN, '737', '738', 'sk_live_secret']) expect(raw).not.toContain(secret);
    expect(raw).toContain('1000');
    expect(raw).toContain('o1');
  });

  it('masks CVCs, API keys, signatures and Authorization headers by key and by shape', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.info({
      headers: { Authorization: 'Bearer sk_test_abcdef123456', 'Stripe-Signature': 't=1700000000,v1=abcdef0123456789abcdef', 'x-api-key': 'AQEyhmfxL4' },
      cvc: '737',
      apiKey: 'secret-value-1',
      note: 'key sk_live_zzzzzzzzzz leaked in text',
      signature: 'base64sig==',
    });
    const line = out.lines()[0]!;
    expect(line.headers).toEqual({ Authorization: '[REDACTED]', 'Stripe-Signature': '[REDACTED]', 'x-api-key': '[REDACTED]' });
    expect(line.cvc).toBe('[REDACTED]');
    expect(line.apiKey).toBe('[REDACTED]');
    expect(line.signature).toBe('[REDACTED]');
    expect(line.note).toBe('key [REDACTED] leaked in text');
  });

  it('leaves ordinary numbers and ids alone: order ids, amounts, timestamps, non-Luhn digit runs', () => {
    const value = { orderId: 'ord_1234567890123', amount: 4200, ts: 1732233600000, reference: '1234567890123456' };
    expect(redact(value)).toEqual(value);
  });

  it('does not mutate the object it is given and survives cycles', () => {
    const obj: Record<string, unknown> = { card: { number: PAN } };
    obj.self = obj;
    const out = redact(obj) as Record<string, unknown>;
    expect((obj.card as Record<string, string>).number).toBe(PAN);
    expect((out.card as Record<string, string>).number).toBe('[REDACTED]');
    expect(out.self).toBe(out);
  });

  it('rejects an unknown log level with a coded error naming the setting', () => {
    try {
      createLogger({ level: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_LOG_BAD_LEVEL')).toBe(true);
      expect((err as Error).message).toContain('loud');
    }
  });
});
