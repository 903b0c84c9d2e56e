import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPaypalSim, type PaypalSim } from '../../../../simulators/paypal/index.js';

/**
 * Issue 19: past `retain` the simulator used to forget orders, captures and request ids (a refund
 * of an old capture answered INVALID_RESOURCE_ID, a repeated PayPal-Request-Id captured again).
 * With `retain: 3` the first order is read back from disk below.
 */
const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 });
let s: PaypalSim;
afterEach(async () => s?.app.close());

const RETAIN = 3;
let bearer = '';
async function open(): Promise<void> {
  s = buildPaypalSim({ seed: 71, retain: RETAIN, webhookPrivateKey: KEY.privateKey });
  const res = await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` } });
  bearer = res.json().access_token as string;
}
async function call(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await s.app.inject({ method, url, ...(body === undefined ? {} : { payload: JSON.stringify(body) }), headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', prefer: 'return=representation', ...headers } });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, any>) : {} };
}
const order = (invoice: string, intent = 'CAPTURE') => ({ intent, purchase_units: [{ reference_id: 'default', invoice_id: invoice, amount: { currency_code: 'USD', value: '25.50' } }] });
async function approved(invoice: string, intent = 'CAPTURE'): Promise<string> {
  const created = await call('POST', '/v2/checkout/orders', order(invoice, intent));
  await s.app.inject({ method: 'POST', url: `/__sim/approve/${created.body.id}` });
  return created.body.id as string;
}
async function payMany(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) expect((await call('POST', `/v2/checkout/orders/${await approved(`inv_${i}`)}/capture`, {}, { 'paypal-request-id': `cap_${i}` })).status).toBe(201);
}

describe('PayPal past retain', () => {
  it('refunds an old capture, finds its order and refund, and never refunds beyond it', async () => {
    await open();
    const id = await approved('inv_old');
    const captureId = (await call('POST', `/v2/checkout/orders/${id}/capture`, {})).body.purchase_units[0].payments.captures[0].id as string;
    await payMany(0, 4 * RETAIN);
    expect((await call('GET', `/v2/checkout/orders/${id}`)).body.status).toBe('COMPLETED');
    const part = await call('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '5.50' } });
    expect(part.status).toBe(201);
    await payMany(100, 4 * RETAIN);
    expect((await call('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '20.01' } })).body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    expect((await call('GET', `/v2/payments/refunds/${part.body.id}`)).body.amount.value).toBe('5.50');
    expect(s.ledger.balanceOf(id)).toMatchObject({ captured: 2550, refunded: 550 });
  });

  it('captures an old authorization once, and refuses an old invoice id a second time', async () => {
    await open();
    const id = await approved('inv_auth', 'AUTHORIZE');
    const authId = (await call('POST', `/v2/checkout/orders/${id}/authorize`, {})).body.purchase_units[0].payments.authorizations[0].id as string;
    await payMany(0, 4 * RETAIN);
    expect((await call('POST', `/v2/payments/authorizations/${authId}/capture`, {})).status).toBe(201);
    await payMany(100, 4 * RETAIN);
    expect((await call('GET', `/v2/payments/authorizations/${authId}`)).body.status).toBe('CAPTURED');
    expect((await call('POST', `/v2/payments/authorizations/${authId}/capture`, {})).status).toBe(422);
    const again = await approved('inv_0');
    expect((await call('POST', `/v2/checkout/orders/${again}/capture`, {})).status).toBe(422);
    expect(s.ledger.byOrder('inv_0').filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('answers a repeated old PayPal-Request-Id with the stored response and captures nothing', async () => {
    await open();
    const id = await approved('inv_old');
    const first = await call('POST', `/v2/checkout/orders/${id}/capture`, {}, { 'paypal-request-id': 'cap_old' });
    await payMany(0, 4 * RETAIN);
    const captures = s.ledger.count('capture');
    const replay = await call('POST', `/v2/checkout/orders/${id}/capture`, {}, { 'paypal-request-id': 'cap_old' });
    expect([replay.status, replay.body]).toEqual([first.status, first.body]);
    expect(s.ledger.count('capture')).toBe(captures);
  });
});
