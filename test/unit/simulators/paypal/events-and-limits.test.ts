import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../../../simulators/core/index.js';
import { ManualClock } from '../../../../src/kernel/index.js';
import { PAYPAL_NOT_SIMULATED, buildPaypalSim, type PaypalSim } from '../../../../simulators/paypal/index.js';

/**
 * Webhook events carry PayPal's `links` (self, resend) and the links work; what the simulator
 * deliberately does not simulate answers in PayPal's own "not enabled" shape; unknown paths 404.
 */
let sims: PaypalSim[] = [];
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

async function setup() {
  const clock = new ManualClock();
  const got: string[] = [];
  const transport: Transport = async (_url, body) => {
    got.push(body);
    return { status: 200, body: '' };
  };
  const s = buildPaypalSim({ seed: 81, clock, transport, now: () => new Date(clock.now()), autoApprove: true, profile: { webhooks: { url: 'http://127.0.0.1:1/paypal' } } });
  sims.push(s);
  s.setBaseUrl('http://127.0.0.1:4242');
  const auth = `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`;
  const token = (await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' } })).json().access_token as string;
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const res = await s.app.inject({ method, url, ...(body === undefined ? {} : { payload: JSON.stringify(body) }), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=representation' } });
    return { status: res.statusCode, body: res.body ? (res.json() as Record<string, any>) : {} };
  };
  const settle = async () => {
    clock.advance(0);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { s, call, got, settle };
}

describe('PayPal webhook events', () => {
  it('carry self and resend links; GET shows the event, resend delivers the same id and body again', async () => {
    const { call, got, settle } = await setup();
    const order = await call('POST', '/v2/checkout/orders', { intent: 'CAPTURE', purchase_units: [{ invoice_id: 'inv_ev', amount: { currency_code: 'USD', value: '3.00' } }] });
    expect((await call('POST', `/v2/checkout/orders/${order.body.id}/capture`, {})).status).toBe(201);
    await settle();
    expect(got).toHaveLength(1);
    const event = JSON.parse(got[0]!) as { id: string; event_type: string; links: Array<{ rel: string; href: string; method: string }> };
    expect(event.event_type).toBe('PAYMENT.CAPTURE.COMPLETED');
    expect(event.links).toEqual([
      { href: `http://127.0.0.1:4242/v1/notifications/webhooks-events/${event.id}`, rel: 'self', method: 'GET' },
      { href: `http://127.0.0.1:4242/v1/notifications/webhooks-events/${event.id}/resend`, rel: 'resend', method: 'POST' },
    ]);
    const path = new URL(event.links[0]!.href).pathname;
    expect(await call('GET', path)).toEqual({ status: 200, body: JSON.parse(got[0]!) });
    expect((await call('POST', `${path}/resend`)).status).toBe(202);
    await settle();
    expect(got).toEqual([got[0], got[0]]);
    expect((await call('GET', '/v1/notifications/webhooks-events/WH-NOPE')).body).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID' }] });
  });
});

describe('PayPal APIs the simulator does not simulate', () => {
  it('answer 403 NOT_AUTHORIZED / PERMISSION_DENIED naming what is missing, and unknown paths 404 RESOURCE_NOT_FOUND', async () => {
    const { call } = await setup();
    for (const { method, path, what } of PAYPAL_NOT_SIMULATED) {
      const res = await call(method as 'GET', path.replace(':id', 'X1').replace(':trackerId', 'T1').replace('*', 'payment-tokens'));
      expect([res.status, res.body.name, res.body.details?.[0]?.issue], `${method} ${path}`).toEqual([403, 'NOT_AUTHORIZED', 'PERMISSION_DENIED']);
      expect(res.body.details[0].description).toContain(what);
    }
    expect(await call('GET', '/v2/nothing/here')).toMatchObject({ status: 404, body: { name: 'RESOURCE_NOT_FOUND' } });
  });

  it('answers a minimal body by default and the representation when asked', async () => {
    const { s } = await setup();
    const token = (await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' } })).json().access_token as string;
    const create = (prefer?: string) =>
      s.app.inject({ method: 'POST', url: '/v2/checkout/orders', payload: JSON.stringify({ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' } }] }), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(prefer ? { prefer } : {}) } });
    expect(Object.keys((await create()).json()).sort()).toEqual(['id', 'links', 'status']);
    expect(Object.keys((await create('return=minimal')).json()).sort()).toEqual(['id', 'links', 'status']);
    expect((await create('respond-async, return=representation')).json()).toHaveProperty('purchase_units');
  });
});
