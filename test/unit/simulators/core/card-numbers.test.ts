import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { maskCardNumbersIn, maskCardNumbersOnArrival } from '../../../../simulators/core/index.js';

const PAN = '4242424242424242';
const MASK = '[REDACTED PAN …4242]';
/** A 16-digit Adyen-style pspReference that passes Luhn: an id, not a card. */
const PSP = '8815329842815467';

describe('card numbers in merchant fields are masked on arrival (issue #18 item 4)', () => {
  it.each([
    ['free text, glued', { description: `paid with ${PAN}` }, { description: `paid with ${MASK}` }],
    ['dots', { metadata: { note: '4242.4242.4242.4242' } }, { metadata: { note: MASK } }],
    ['a key', { metadata: { [PAN]: 'x' } }, { metadata: { [MASK]: 'x' } }],
    ['arrays', { items: ['a', `4242 4242 4242 4242`] }, { items: ['a', MASK] }],
    ['an id written with separators', { reference: '4242 4242 4242 4242' }, { reference: MASK }],
  ])('masks a card number: %s', (_name, input, expected) => {
    expect(maskCardNumbersIn(input)).toEqual(expected);
  });

  it.each([
    ['a glued number in an id field (the merchant\'s order number)', { pspReference: PSP, out_trade_no: PSP, merchantReference: PSP }],
    ['a field that takes a card number (the provider uses it, never echoes it)', { paymentMethod: { number: PAN }, card: { number: PAN } }],
    ['a secret by name', { cvc: '737', sign: `abc${PAN}` }],
    ['numbers that fail Luhn, and short ones', { description: 'order 4242424242424241, qty 12' }],
  ])('leaves %s as sent', (_name, input) => {
    expect(maskCardNumbersIn(input)).toEqual(input);
  });

  it('leaves the fields a provider refuses with its own error (keep) as sent', () => {
    expect(maskCardNumbersIn({ payment_method: PAN, description: PAN }, ['payment_method'])).toEqual({ payment_method: PAN, description: MASK });
  });

  it('keeps __proto__ an own property, never the prototype', () => {
    const out = maskCardNumbersIn(JSON.parse(`{"__proto__":{"note":"${PAN}"}}`)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ note: MASK });
  });

  it('masks body, query and path parameters before the route, after earlier hooks saw them as sent', async () => {
    const app = Fastify();
    let seenByAuth: unknown;
    app.addHook('preHandler', (req, _reply, done) => {
      seenByAuth = req.body;
      done();
    });
    app.post('/v1/things/:id', async (req) => ({ body: req.body, query: req.query, params: req.params }));
    maskCardNumbersOnArrival(app);
    const res = await app.inject({ method: 'POST', url: `/v1/things/${encodeURIComponent('4242 4242 4242 4242')}?note=${PAN}`, payload: { description: PAN } });
    expect(res.json()).toEqual({ body: { description: MASK }, query: { note: MASK }, params: { id: MASK } });
    expect(seenByAuth).toEqual({ description: PAN });
  });

  it('keeps a Luhn-valid id in a path parameter named as an id (Adyen names its :pspReference so)', async () => {
    const app = Fastify();
    app.post('/v71/payments/:pspReference/refunds', async (req) => req.params);
    app.post('/v71/payments/:psp/captures', async (req) => req.params);
    maskCardNumbersOnArrival(app);
    expect((await app.inject({ method: 'POST', url: `/v71/payments/${PSP}/refunds` })).json()).toEqual({ pspReference: PSP });
    // The reason for the name: under a name that says nothing, the same digits read as a card.
    expect((await app.inject({ method: 'POST', url: `/v71/payments/${PSP}/captures` })).json()).toEqual({ psp: '[REDACTED PAN …5467]' });
  });
});
