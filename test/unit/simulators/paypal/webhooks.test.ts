import { X509Certificate, createVerify, generateKeyPairSync } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../../../simulators/core/index.js';
import { ManualClock } from '../../../../src/kernel/index.js';
import { PAYPAL_RETRY_SCHEDULE, buildPaypalSim, paypalWebhookCertificate, type PaypalSim } from '../../../../simulators/paypal/index.js';

/**
 * PayPal webhooks on a manual clock: the whole retry ladder, the duplicate / reorder /
 * bad-signature faults, and the certificate at PAYPAL-CERT-URL. Deliveries are verified the way
 * PayPal documents for merchants, independently of the simulator's code: take the certificate
 * from PAYPAL-CERT-URL, and check SHA256withRSA over `transmission_id|transmission_time|webhook_id|crc32(body)`
 * with its public key.
 */
const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 });
const M = 60_000;
let sims: PaypalSim[] = [];
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

interface Delivery { body: string; headers: Record<string, string>; at: number }

/** The merchant's endpoint: records each delivery at the simulated time, answers with `status(n)`. */
function endpoint(clock: ManualClock, status: (n: number) => number) {
  const got: Delivery[] = [];
  const transport: Transport = async (_url, body, headers) => {
    got.push({ body, headers, at: clock.now() });
    return { status: status(got.length), body: '' };
  };
  return { got, transport };
}

function sim(clock: ManualClock, transport: Transport, webhooks: Record<string, unknown> = {}) {
  const s = buildPaypalSim({ seed: 77, clock, transport, now: () => new Date(clock.now()), webhookPrivateKey: KEY.privateKey, autoApprove: true, profile: { webhooks: { url: 'http://127.0.0.1:1/paypal', ...webhooks } } });
  sims.push(s);
  return s;
}

/** Fetch the certificate the way a merchant follows PAYPAL-CERT-URL (here in-process: the URL's path, no token). */
async function certificateAt(s: PaypalSim, certUrl: string): Promise<X509Certificate> {
  const res = await s.app.inject({ method: 'GET', url: new URL(certUrl).pathname });
  expect(res.statusCode).toBe(200);
  return new X509Certificate(res.body);
}

function verifies(cert: X509Certificate, d: Delivery, webhookId: string): boolean {
  const h = d.headers;
  const signed = `${h['paypal-transmission-id']}|${h['paypal-transmission-time']}|${webhookId}|${crc32(d.body)}`;
  return h['paypal-auth-algo'] === 'SHA256withRSA' && createVerify('sha256').update(signed).verify(cert.publicKey, h['paypal-transmission-sig']!, 'base64');
}

async function capture(s: PaypalSim, invoiceId: string): Promise<string> {
  const auth = `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`;
  const token = (await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' } })).json().access_token as string;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const order = { intent: 'CAPTURE', purchase_units: [{ invoice_id: invoiceId, amount: { currency_code: 'USD', value: '10.00' } }] };
  const created = (await s.app.inject({ method: 'POST', url: '/v2/checkout/orders', payload: JSON.stringify(order), headers })).json();
  const captured = await s.app.inject({ method: 'POST', url: `/v2/checkout/orders/${created.id}/capture`, payload: '{}', headers });
  expect(captured.statusCode).toBe(201);
  return created.id as string;
}

/** Advance `ms` in steps, letting each attempt's transport promise settle before time moves on. */
async function run(clock: ManualClock, ms: number, step: number): Promise<void> {
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  clock.advance(0);
  await settle();
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle();
  }
}

const eventOf = (d: Delivery) => JSON.parse(d.body) as { id: string; event_type: string; resource: { supplementary_data: { related_ids: { order_id: string } } } };

describe('PayPal webhook retries', () => {
  it('delivers 25 times over the whole ladder (1, 2, 4 … 32 min, 1 h, 2 h, then 4 h) while the endpoint fails, then stops', async () => {
    const clock = new ManualClock();
    const e = endpoint(clock, () => 500);
    const s = sim(clock, e.transport);
    await capture(s, 'inv_ladder');
    const capturedAt = clock.now();
    // Every gap is whole minutes; run three days past the end of the ladder to see it stop.
    await run(clock, (68 + 72) * 60 * M, M);
    expect(e.got).toHaveLength(25);
    expect(e.got[0]!.at).toBe(capturedAt);
    expect(e.got.slice(1).map((g, i) => g.at - e.got[i]!.at)).toEqual([...PAYPAL_RETRY_SCHEDULE]);
    expect(e.got[24]!.at - capturedAt).toBe(PAYPAL_RETRY_SCHEDULE.reduce((a, b) => a + b, 0));
    // One event, one body; each attempt a fresh transmission, signed at its own time.
    expect(new Set(e.got.map((g) => eventOf(g).id)).size).toBe(1);
    expect(new Set(e.got.map((g) => g.body)).size).toBe(1);
    expect(new Set(e.got.map((g) => g.headers['paypal-transmission-id'])).size).toBe(25);
    expect(e.got.map((g) => Date.parse(g.headers['paypal-transmission-time']!))).toEqual(e.got.map((g) => g.at));
    const cert = await certificateAt(s, e.got[0]!.headers['paypal-cert-url']!);
    expect(e.got.every((g) => verifies(cert, g, s.webhookId))).toBe(true);
    expect(s.webhooks.totals()).toMatchObject({ emitted: 1, attempts: 25, accepted: 0 });
    expect(s.webhooks.attempts().map((a) => a.attempt)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('stops at the first 2xx', async () => {
    const clock = new ManualClock();
    const e = endpoint(clock, (n) => (n < 4 ? 503 : 204));
    const s = sim(clock, e.transport);
    await capture(s, 'inv_ok');
    await run(clock, 24 * 60 * M, M);
    expect(e.got).toHaveLength(4);
    expect(s.webhooks.attempts().map((a) => a.accepted)).toEqual([false, false, false, true]);
  });
});

describe('PayPal webhook faults', () => {
  it('delivers a duplicate a second later: the same event id and body, another transmission, both verifiable', async () => {
    const clock = new ManualClock();
    const e = endpoint(clock, () => 200);
    const s = sim(clock, e.transport, { duplicate: 1 });
    await capture(s, 'inv_dup');
    await run(clock, 10_000, 1000);
    expect(e.got).toHaveLength(2);
    const [a, b] = e.got as [Delivery, Delivery];
    expect(b.at - a.at).toBe(1000);
    expect(eventOf(a).id).toBe(eventOf(b).id);
    expect(a.body).toBe(b.body);
    expect(a.headers['paypal-transmission-id']).not.toBe(b.headers['paypal-transmission-id']);
    const cert = await certificateAt(s, a.headers['paypal-cert-url']!);
    expect(verifies(cert, a, s.webhookId) && verifies(cert, b, s.webhookId)).toBe(true);
    expect(s.webhooks.attempts().map((x) => x.delivery)).toEqual([1, 2]);
  });

  it('reorders held events: after the window the newest arrives first', async () => {
    const clock = new ManualClock();
    const e = endpoint(clock, () => 200);
    const s = sim(clock, e.transport, { reorder: { rate: 1, window: '1m' } });
    const orders = [await capture(s, 'inv_r1'), await capture(s, 'inv_r2'), await capture(s, 'inv_r3')];
    await run(clock, 59_000, 1000);
    expect(e.got).toHaveLength(0);
    await run(clock, 2000, 1000);
    expect(e.got.map((g) => eventOf(g).resource.supplementary_data.related_ids.order_id)).toEqual([...orders].reverse());
    expect(e.got.every((g) => eventOf(g).event_type === 'PAYMENT.CAPTURE.COMPLETED')).toBe(true);
  });

  it('signs with a key the certificate does not hold when the profile asks, so a verifying merchant refuses it', async () => {
    const clock = new ManualClock();
    const e = endpoint(clock, () => 400);
    const s = sim(clock, e.transport, { badSignature: 1, retrySchedule: [] });
    await capture(s, 'inv_bad');
    await run(clock, 1000, 1000);
    expect(e.got).toHaveLength(1);
    const cert = await certificateAt(s, e.got[0]!.headers['paypal-cert-url']!);
    expect(verifies(cert, e.got[0]!, s.webhookId)).toBe(false);
    expect(s.webhooks.attempts()).toMatchObject([{ status: 400, accepted: false, badSignature: true }]);
  });
});

describe('PAYPAL-CERT-URL', () => {
  it('serves an X.509 certificate of the webhook key, without a token, and /__sim/keys hands out the same one', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 11));
    const s = sim(clock, endpoint(clock, () => 200).transport);
    const res = await s.app.inject({ method: 'GET', url: '/__sim/paypal/cert.pem' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-pem-file');
    expect(res.body).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const cert = new X509Certificate(res.body);
    const spki = (k: { export(o: { type: 'spki'; format: 'der' }): Buffer }) => k.export({ type: 'spki', format: 'der' });
    expect(spki(cert.publicKey)).toEqual(spki(s.webhookPublicKey));
    expect(cert.checkPrivateKey(KEY.privateKey)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    expect(cert.subject).toContain('CN=messageverificationcerts.sandbox.paypal.com');
    const now = clock.now();
    expect(Date.parse(cert.validFrom)).toBeLessThan(now);
    expect(Date.parse(cert.validTo)).toBeGreaterThan(now + 365 * 24 * 60 * M);
    expect((await s.app.inject({ method: 'GET', url: '/__sim/keys' })).json().webhookCertificate).toBe(res.body);
    // The serial comes from the key: the same key, the same serial; another key, another serial.
    expect(new X509Certificate(paypalWebhookCertificate(KEY.privateKey, new Date())).serialNumber).toBe(cert.serialNumber);
    expect(new X509Certificate(paypalWebhookCertificate(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, new Date())).serialNumber).not.toBe(cert.serialNumber);
  });
});
