import { createVerify, generateKeyPairSync } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../../../simulators/core/index.js';
import { ManualClock } from '../../../../src/kernel/index.js';
import { buildPaypalSim, normalisePaypalCode, PAYPAL_ISSUES, PAYPAL_OUTCOMES, type PaypalSim } from '../../../../simulators/paypal/index.js';
import { NORMALISED_CODES } from '../../../../src/conventions/index.js';

const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 });
let sims: PaypalSim[] = [];
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

function sim(options: Parameters<typeof buildPaypalSim>[0] = {}) {
  const s = buildPaypalSim({ seed: 71, webhookPrivateKey: KEY.privateKey, ...options });
  sims.push(s);
  return s;
}

async function token(s: PaypalSim): Promise<string> {
  const res = await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` } });
  return res.json().access_token as string;
}

function client(s: PaypalSim, bearer: string) {
  return async (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await s.app.inject({ method, url, ...(body === undefined ? {} : { payload: JSON.stringify(body) }), headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', prefer: 'return=representation', ...headers } });
    return { status: res.statusCode, body: res.body ? (res.json() as Record<string, any>) : {}, headers: res.headers };
  };
}

const ORDER = { intent: 'CAPTURE', purchase_units: [{ reference_id: 'default', invoice_id: 'inv_1', amount: { currency_code: 'USD', value: '25.50' } }] };

async function approvedOrder(s: PaypalSim, call: ReturnType<typeof client>, order = ORDER) {
  const created = await call('POST', '/v2/checkout/orders', order);
  await s.app.inject({ method: 'POST', url: `/__sim/approve/${created.body.id}` });
  return created.body.id as string;
}

describe('PayPal Orders v2', () => {
  it('needs an OAuth bearer token from client credentials', async () => {
    const s = sim();
    expect((await client(s, 'nope')('GET', '/v2/checkout/orders/X')).body).toMatchObject({ error: 'invalid_token' });
    const bad = await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic eDp5' } });
    expect(bad.statusCode).toBe(401);
  });

  it('creates an order with an approve link, refuses capture before approval, captures once after, and records the money', async () => {
    const s = sim();
    const call = client(s, await token(s));
    const created = await call('POST', '/v2/checkout/orders', ORDER);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'CREATED', intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '25.50' } }] });
    expect(created.body.links.map((l: { rel: string }) => l.rel)).toContain('approve');
    const early = await call('POST', `/v2/checkout/orders/${created.body.id}/capture`, {});
    expect([early.status, early.body.name, early.body.details[0].issue]).toEqual([422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED']);
    await s.app.inject({ method: 'POST', url: `/__sim/approve/${created.body.id}` });
    const captured = await call('POST', `/v2/checkout/orders/${created.body.id}/capture`, {});
    expect(captured.status).toBe(201);
    expect(captured.body.status).toBe('COMPLETED');
    expect(captured.body.purchase_units[0].payments.captures[0]).toMatchObject({ status: 'COMPLETED', amount: { value: '25.50' }, final_capture: true });
    expect((await call('POST', `/v2/checkout/orders/${created.body.id}/capture`, {})).body.details[0].issue).toBe('ORDER_ALREADY_CAPTURED');
    expect((await call('GET', `/v2/checkout/orders/${created.body.id}`)).body.status).toBe('COMPLETED');
    expect(s.ledger.entries().map((e) => [e.kind, e.amount, e.orderId, e.currency])).toEqual([
      ['authorization', 2550, 'inv_1', 'USD'],
      ['capture', 2550, 'inv_1', 'USD'],
    ]);
  });

  it('replays the stored response for a repeated PayPal-Request-Id and refuses it on another call', async () => {
    const s = sim();
    const call = client(s, await token(s));
    const first = await call('POST', '/v2/checkout/orders', ORDER, { 'paypal-request-id': 'req-1' });
    const again = await call('POST', '/v2/checkout/orders', { ...ORDER, purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' } }] }, { 'paypal-request-id': 'req-1' });
    expect(again.body.id).toBe(first.body.id);
    await s.app.inject({ method: 'POST', url: `/__sim/approve/${first.body.id}` });
    const other = await call('POST', `/v2/checkout/orders/${first.body.id}/capture`, {}, { 'paypal-request-id': 'req-1' });
    expect(other.body.details[0].issue).toBe('PAYPAL_REQUEST_ID_PREVIOUSLY_USED');
  });

  it('captures once when many captures race under one PayPal-Request-Id, all answered alike', async () => {
    const s = sim({ profile: { latency: { kind: 'uniform', min: 1, max: 15 } } });
    const call = client(s, await token(s));
    const id = await approvedOrder(s, call);
    const answers = await Promise.all(Array.from({ length: 8 }, () => call('POST', `/v2/checkout/orders/${id}/capture`, {}, { 'paypal-request-id': 'cap-1' })));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(s.ledger.count('capture')).toBe(1);
  });

  it('fails a call with the issue named in PayPal-Mock-Response and does nothing else', async () => {
    const s = sim();
    const call = client(s, await token(s));
    const id = await approvedOrder(s, call);
    const declined = await call('POST', `/v2/checkout/orders/${id}/capture`, {}, { 'paypal-mock-response': JSON.stringify({ mock_application_codes: 'INSTRUMENT_DECLINED' }) });
    expect([declined.status, declined.body.name, declined.body.details[0].issue]).toEqual([422, 'UNPROCESSABLE_ENTITY', 'INSTRUMENT_DECLINED']);
    expect(declined.body.debug_id).toBe(declined.headers['paypal-debug-id']);
    expect(s.ledger.size).toBe(0);
    const internal = await call('POST', `/v2/checkout/orders/${id}/capture`, {}, { 'paypal-mock-response': '{"mock_application_codes":"INTERNAL_SERVER_ERROR"}' });
    expect([internal.status, internal.body.name]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
    expect((await call('POST', `/v2/checkout/orders/${id}/capture`, {})).status).toBe(201);
  });

  it('forces declines from the profile on capture, leaving the order APPROVED', async () => {
    const s = sim({ profile: { outcomes: { TRANSACTION_REFUSED: 1 } } });
    const call = client(s, await token(s));
    const id = await approvedOrder(s, call);
    expect((await call('POST', `/v2/checkout/orders/${id}/capture`, {})).body.details[0].issue).toBe('TRANSACTION_REFUSED');
    expect((await call('GET', `/v2/checkout/orders/${id}`)).body.status).toBe('APPROVED');
  });

  it('refunds in parts, refunds the rest without an amount, and refuses more', async () => {
    const s = sim();
    const call = client(s, await token(s));
    const id = await approvedOrder(s, call);
    const captureId = (await call('POST', `/v2/checkout/orders/${id}/capture`, {})).body.purchase_units[0].payments.captures[0].id;
    expect((await call('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '30.00' } })).body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    const part = await call('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '5.50' } });
    expect([part.status, part.body.status, part.body.amount.value]).toEqual([201, 'COMPLETED', '5.50']);
    expect((await call('POST', `/v2/payments/captures/${captureId}/refund`, {})).body.amount.value).toBe('20.00');
    expect((await call('POST', `/v2/payments/captures/${captureId}/refund`, {})).body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');
    expect((await call('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('REFUNDED');
    expect((await call('GET', `/v2/payments/refunds/${part.body.id}`)).body.amount.value).toBe('5.50');
    expect(s.ledger.entries().filter((e) => e.kind === 'refund').map((e) => e.amount)).toEqual([550, 2000]);
    expect((await s.app.inject({ method: 'GET', url: '/__sim/settlement.csv' })).body).toContain('T1107');
  });

  it('sends a buyer who cancels to cancel_url and leaves the order waiting for the payer', async () => {
    const s = sim();
    const call = client(s, await token(s));
    const created = await call('POST', '/v2/checkout/orders', { ...ORDER, payment_source: { paypal: { experience_context: { return_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/cancel' } } } });
    const res = await s.app.inject({ method: 'GET', url: `/__sim/approve/${created.body.id}?outcome=cancel` });
    expect([res.statusCode, res.headers.location]).toEqual([302, `https://shop.example/cancel?token=${created.body.id}`]);
    expect((await call('GET', `/v2/checkout/orders/${created.body.id}`)).body.status).toBe('PAYER_ACTION_REQUIRED');
  });

  it('answers PAYER_ACTION_REQUIRED with a payer-action link for payment_source.paypal, CREATED with an approve link for the legacy application_context', async () => {
    const s = sim();
    const call = client(s, await token(s));
    const wallet = await call('POST', '/v2/checkout/orders', { ...ORDER, payment_source: { paypal: { experience_context: { return_url: 'https://shop.example/ok' } } } });
    expect([wallet.body.status, wallet.body.links.map((l: { rel: string }) => l.rel)]).toEqual(['PAYER_ACTION_REQUIRED', ['self', 'payer-action']]);
    const legacy = await call('POST', '/v2/checkout/orders', { ...ORDER, application_context: { return_url: 'https://shop.example/ok' } });
    expect([legacy.body.status, legacy.body.links.map((l: { rel: string }) => l.rel)]).toEqual(['CREATED', ['self', 'approve', 'update', 'capture']]);
  });

  it('answers unknown ids with RESOURCE_NOT_FOUND / INVALID_RESOURCE_ID and bad input with INVALID_REQUEST', async () => {
    const s = sim();
    const call = client(s, await token(s));
    expect((await call('GET', '/v2/checkout/orders/NOPE')).body).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID' }] });
    const bad = await call('POST', '/v2/checkout/orders', { intent: 'SELL', purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' } }] });
    expect([bad.status, bad.body.name, bad.body.details[0].issue, bad.body.details[0].field]).toEqual([400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE', '/intent']);
  });
});

describe('PayPal webhooks', () => {
  it('signs each delivery over transmission_id|time|webhook_id|crc32(body), retries non-2xx, and the verify endpoint agrees', async () => {
    const clock = new ManualClock();
    const got: Array<{ body: string; headers: Record<string, string> }> = [];
    const transport: Transport = async (_url, body, headers) => {
      got.push({ body, headers });
      return { status: got.length === 1 ? 500 : 200, body: '' };
    };
    const s = sim({ clock, transport, autoApprove: true, profile: { webhooks: { url: 'http://127.0.0.1:1/paypal' } } });
    const call = client(s, await token(s));
    const created = await call('POST', '/v2/checkout/orders', ORDER);
    await call('POST', `/v2/checkout/orders/${created.body.id}/capture`, {});
    clock.advance(0);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    clock.advance(60_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(got).toHaveLength(2);
    const event = JSON.parse(got[1]!.body);
    expect(event).toMatchObject({ event_type: 'PAYMENT.CAPTURE.COMPLETED', resource_type: 'capture', resource: { status: 'COMPLETED', amount: { value: '25.50' } } });
    for (const g of got) {
      const h = g.headers;
      const signed = `${h['paypal-transmission-id']}|${h['paypal-transmission-time']}|${s.webhookId}|${crc32(g.body)}`;
      expect(createVerify('sha256').update(signed).verify(KEY.publicKey, h['paypal-transmission-sig']!, 'base64')).toBe(true);
    }
    const verify = (sig: string) =>
      call('POST', '/v1/notifications/verify-webhook-signature', { auth_algo: 'SHA256withRSA', cert_url: got[1]!.headers['paypal-cert-url'], transmission_id: got[1]!.headers['paypal-transmission-id'], transmission_sig: sig, transmission_time: got[1]!.headers['paypal-transmission-time'], webhook_id: s.webhookId, webhook_event: event });
    expect((await verify(got[1]!.headers['paypal-transmission-sig']!)).body).toEqual({ verification_status: 'SUCCESS' });
    expect((await verify(got[0]!.headers['paypal-transmission-sig']!)).body).toEqual({ verification_status: 'FAILURE' });
  });
});

describe('PayPal code table', () => {
  it('maps every issue into the normalised set and lets profiles force only known issues', () => {
    for (const issue of Object.values(PAYPAL_ISSUES)) expect(Object.keys(NORMALISED_CODES)).toContain(issue.normalised);
    for (const code of PAYPAL_OUTCOMES) expect(code in PAYPAL_ISSUES).toBe(true);
  });

  it.each([
    [{ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'INSTRUMENT_DECLINED' }] }, 'card_declined'],
    [{ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'ORDER_ALREADY_CAPTURED' }] }, 'duplicate_transaction'],
    [{ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'PAYER_ACTION_REQUIRED' }] }, 'authentication_required'],
    [{ name: 'RATE_LIMIT_REACHED', status: 429 }, 'rate_limited'],
    [{ name: 'INTERNAL_SERVER_ERROR', status: 500 }, 'provider_error'],
    [{ name: 'SERVICE_UNAVAILABLE', status: 503 }, 'provider_unavailable'],
    [{ name: 'SOMETHING', details: [{ issue: 'NEW_ISSUE' }] }, 'unknown'],
  ])('maps %j to %s', (error, normalised) => {
    expect(normalisePaypalCode(error)).toBe(normalised);
  });
});
