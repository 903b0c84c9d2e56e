import { X509Certificate, createVerify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/kernel/index.js';
import { PAYPAL_RETRY_SCHEDULE, startPaypalSim, type StartedPaypalSim } from '../../../simulators/paypal/index.js';
import { startReceiver, type Received } from './receiver.js';

/** A merchant integration over real sockets: OAuth, Orders v2 with the buyer's redirect, signed webhooks. */
let sim: StartedPaypalSim;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

/**
 * Verification as PayPal documents it for merchants: download the X.509 certificate at
 * PAYPAL-CERT-URL (cached by URL), and check PAYPAL-TRANSMISSION-SIG, SHA256withRSA over
 * `transmission_id|transmission_time|webhook_id|crc32(body)`, with the certificate's public key.
 */
const certificates = new Map<string, X509Certificate>();
async function verifiedAsDocumented(r: Received, webhookId: string): Promise<boolean> {
  const h = (n: string) => String(r.headers[n]);
  const url = h('paypal-cert-url');
  let cert = certificates.get(url);
  if (!cert) {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    cert = new X509Certificate(await res.text());
    certificates.set(url, cert);
  }
  const signed = `${h('paypal-transmission-id')}|${h('paypal-transmission-time')}|${webhookId}|${crc32(r.body)}`;
  return h('paypal-auth-algo') === 'SHA256withRSA' && createVerify('sha256').update(signed).verify(cert.publicKey, h('paypal-transmission-sig'), 'base64');
}

beforeAll(async () => {
  receiver = await startReceiver((_r, n) => ({ status: n === 1 ? 503 : 200 }));
  // ×6000: the first 1 minute retry gap takes 10 ms.
  sim = await startPaypalSim({ seed: 81, clock: scaledClock(6000), profile: { webhooks: { url: receiver.url } } });
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
  it('walks OAuth → create → buyer approval redirect → capture, and delivers webhooks verified with the certificate at PAYPAL-CERT-URL', async () => {
    const tokenRes = await fetch(`${sim.url}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const created = await api('/v2/checkout/orders', { method: 'POST', token, body: { intent: 'CAPTURE', purchase_units: [{ custom_id: 'ord_pp1', amount: { currency_code: 'EUR', value: '42.00' } }], payment_source: { paypal: { experience_context: { return_url: 'https://shop.example/return', cancel_url: 'https://shop.example/cancel' } } } } });
    // payment_source.paypal: the buyer is sent to the payer-action link (Orders v2 integration guide).
    expect(created.body.status).toBe('PAYER_ACTION_REQUIRED');
    const approve = created.body.links.find((l: { rel: string }) => l.rel === 'payer-action').href as string;
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
    for (const r of receiver.received) expect(await verifiedAsDocumented(r, sim.webhookId)).toBe(true);
    const cert = certificates.get(`${sim.url}/__sim/paypal/cert.pem`)!;
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(sim.webhookPublicKey.export({ type: 'spki', format: 'der' }));
    // A body changed in transit no longer verifies.
    const tampered = { ...receiver.received[0]!, body: receiver.received[0]!.body.replace('"event_version":"1.0"', '"event_version":"1.1"') };
    expect(tampered.body).not.toBe(receiver.received[0]!.body);
    expect(await verifiedAsDocumented(tampered, sim.webhookId)).toBe(false);
    await sim.webhooks.settled();
    expect(sim.webhooks.totals()).toMatchObject({ emitted: 2, accepted: 2 });
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'ord_pp1', 4200],
      ['capture', 'ord_pp1', 4200],
    ]);
  });
});

describe('PayPal webhook retries over real sockets', () => {
  it('delivers 25 times over the whole time-scaled ladder (about 68 simulated hours) to an endpoint that keeps failing, each delivery verifiable', async () => {
    const SCALE = 150_000;
    const failing = await startReceiver(() => ({ status: 500 }));
    // ×150,000: a 4 h gap is 96 ms of real time, the whole ladder about 1.6 s.
    const ladderSim = await startPaypalSim({ seed: 82, clock: scaledClock(SCALE), autoApprove: true, profile: { webhooks: { url: failing.url } } });
    try {
      const tokenRes = await fetch(`${ladderSim.url}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${ladderSim.clientId}:${ladderSim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      const { access_token: token } = (await tokenRes.json()) as { access_token: string };
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const order = (await (await fetch(`${ladderSim.url}/v2/checkout/orders`, { method: 'POST', headers, body: JSON.stringify({ intent: 'CAPTURE', purchase_units: [{ invoice_id: 'inv_ladder', amount: { currency_code: 'USD', value: '9.99' } }] }) })).json()) as { id: string };
      expect((await fetch(`${ladderSim.url}/v2/checkout/orders/${order.id}/capture`, { method: 'POST', headers, body: '{}' })).status).toBe(201);
      await failing.waitFor(25);
      await ladderSim.webhooks.settled();

      expect(failing.received).toHaveLength(25);
      expect(new Set(failing.received.map((r) => (JSON.parse(r.body) as { id: string }).id)).size).toBe(1);
      expect(new Set(failing.received.map((r) => r.headers['paypal-transmission-id'])).size).toBe(25);
      for (const r of failing.received) expect(await verifiedAsDocumented(r, ladderSim.webhookId)).toBe(true);

      // Gaps in simulated minutes, from the attempts' simulated times. A timer never fires early
      // (beyond a millisecond of rounding, and the clock reads whole real milliseconds: 2 ms × SCALE
      // allowed below); it may fire late on a busy machine, so above, only the whole ladder is bounded.
      const attempts = ladderSim.webhooks.attempts();
      expect(attempts.map((a) => [a.attempt, a.status, a.accepted])).toEqual(Array.from({ length: 25 }, (_, i) => [i + 1, 500, false]));
      const at = attempts.map((a) => Date.parse(a.at));
      const slack = 2 * SCALE;
      at.slice(1).forEach((t, i) => expect(t - at[i]!).toBeGreaterThanOrEqual(PAYPAL_RETRY_SCHEDULE[i]! - slack));
      const total = PAYPAL_RETRY_SCHEDULE.reduce((a, b) => a + b, 0);
      expect(at[24]! - at[0]!).toBeGreaterThanOrEqual(total - 24 * slack);
      expect(at[24]! - at[0]!).toBeLessThan(total * 1.5);
      expect(ladderSim.webhooks.totals()).toMatchObject({ emitted: 1, attempts: 25, accepted: 0 });
    } finally {
      await ladderSim.close();
      await failing.close();
    }
  });
});
