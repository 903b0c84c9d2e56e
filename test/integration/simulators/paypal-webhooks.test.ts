import { createVerify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../../simulators/core/index.js';
import { startPaypalSim, type StartedPaypalSim } from '../../../simulators/paypal/index.js';
import { startReceiver, type Received } from './receiver.js';

/** A merchant integration over real sockets: OAuth, Orders v2 with the buyer's redirect, signed webhooks. */
let sim: StartedPaypalSim;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let certPem = '';

const verified = (r: Received) => {
  const h = (n: string) => String(r.headers[n]);
  const signed = `${h('paypal-transmission-id')}|${h('paypal-transmission-time')}|${sim.webhookId}|${crc32(r.body)}`;
  return h('paypal-auth-algo') === 'SHA256withRSA' && createVerify('sha256').update(signed).verify(certPem, h('paypal-transmission-sig'), 'base64');
};

beforeAll(async () => {
  receiver = await startReceiver((r, n) => (n === 1 ? { status: 503 } : { status: verified(r) ? 200 : 400 }));
  // ×6000: the first 1 minute retry gap takes 10 ms.
  sim = await startPaypalSim({ seed: 81, clock: scaledClock(6000), profile: { webhooks: { url: receiver.url } } });
  certPem = await (await fetch(`${sim.url}/__sim/paypal/cert.pem`)).text();
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

async function api(path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${sim.url}${path}`, { method: init.method ?? 'GET', redirect: 'manual', headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers }, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
  return { status: res.status, headers: res.headers, body: res.status === 302 ? {} : ((await res.json()) as Record<string, any>) };
}

describe('PayPal simulator over real sockets', () => {
  it('walks OAuth → create → buyer approval redirect → capture, and delivers signed webhooks verified with the key at PAYPAL-CERT-URL', async () => {
    const tokenRes = await fetch(`${sim.url}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const created = await api('/v2/checkout/orders', { method: 'POST', token, body: { intent: 'CAPTURE', purchase_units: [{ custom_id: 'ord_pp1', amount: { currency_code: 'EUR', value: '42.00' } }], payment_source: { paypal: { experience_context: { return_url: 'https://shop.example/return', cancel_url: 'https://shop.example/cancel' } } } } });
    const approve = created.body.links.find((l: { rel: string }) => l.rel === 'approve').href as string;
    expect(approve.startsWith(sim.url)).toBe(true);
    const redirect = await fetch(approve, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^https://shop\\.example/return\\?token=${created.body.id}&PayerID=[A-Z0-9]{13}$`));
    const captured = await api(`/v2/checkout/orders/${created.body.id}/capture`, { method: 'POST', token, body: {} });
    expect(captured.body.status).toBe('COMPLETED');

    await receiver.waitFor(3);
    expect(receiver.received[0]!.headers['paypal-cert-url']).toBe(`${sim.url}/__sim/paypal/cert.pem`);
    // CHECKOUT.ORDER.APPROVED is refused once (503) and retried; PAYMENT.CAPTURE.COMPLETED is accepted at once.
    const types = receiver.received.map((r) => (JSON.parse(r.body) as { event_type: string }).event_type);
    expect(types.sort()).toEqual(['CHECKOUT.ORDER.APPROVED', 'CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED']);
    expect(receiver.received.every(verified)).toBe(true);
    await sim.webhooks.settled();
    expect(sim.webhooks.totals()).toMatchObject({ emitted: 2, accepted: 2 });
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'ord_pp1', 4200],
      ['capture', 'ord_pp1', 4200],
    ]);
  });
});
