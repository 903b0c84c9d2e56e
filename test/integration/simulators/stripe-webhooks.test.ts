import { afterEach, describe, expect, it } from 'vitest';
import { encodeForm } from '../../../simulators/core/index.js';
import { scaledClock } from '../../../src/kernel/index.js';
import { startStripeSim, verifyStripeSignature, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { startReceiver } from './receiver.js';

/** The endpoint subscribes to the payment outcome events only (Stripe's enabled_events), as these tests count them. */
const SUBSCRIBED = ['payment_intent.succeeded', 'payment_intent.payment_failed'];

const SECRET = 'whsec_integration';
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function pay(sim: StartedStripeSim, orderId: string, pm = 'pm_card_visa') {
  const res = await fetch(`${sim.url}/v1/payment_intents`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm({ amount: 1000, currency: 'usd', payment_method: pm, confirm: true, metadata: { order_id: orderId } }),
  });
  return (await res.json()) as { id: string };
}

describe('Stripe webhooks over real sockets', () => {
  it('retries along the ladder on a scaled clock until the receiver accepts, each attempt freshly signed', async () => {
    // ×3000: a simulated minute is 20 ms of real time, so 1m, 5m, 30m take 20, 100 and 600 ms.
    const receiver = await startReceiver((_r, n) => ({ status: n <= 3 ? 500 : 200 }));
    closers.push(receiver.close);
    const sim = await startStripeSim({ seed: 51, webhookSecret: SECRET, clock: scaledClock(3000), webhookEvents: SUBSCRIBED, profile: { webhooks: { url: receiver.url } } });
    closers.push(sim.close);
    const pi = await pay(sim, 'ord_w1');
    await receiver.waitFor(4);
    const nowS = Math.floor(Date.now() / 1000);
    for (const r of receiver.received) expect(verifyStripeSignature(r.body, String(r.headers['stripe-signature']), SECRET, nowS)).toBe(true);
    const event = JSON.parse(receiver.received[0]!.body);
    expect(event).toMatchObject({ object: 'event', type: 'payment_intent.succeeded', data: { object: { id: pi.id, status: 'succeeded' } } });
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    const gapsMin = receiver.received.slice(1).map((r, i) => ((r.at - receiver.received[i]!.at) * 3000) / 60_000);
    // Each gap within −0.5 simulated minutes (timer granularity) and +30 (≤ 600 ms of real-time slack on a busy machine).
    [1, 5, 30].forEach((expected, i) => {
      expect(gapsMin[i]).toBeGreaterThan(expected - 0.5);
      expect(gapsMin[i]).toBeLessThan(expected + 30);
    });
    await sim.webhooks.settled();
    expect(sim.webhooks.attempts().map((a) => a.status)).toEqual([500, 500, 500, 200]);
  });

  it('delivers duplicates with the same event id, and a signature-checking receiver rejects bad signatures', async () => {
    const receiver = await startReceiver((r) => ({ status: verifyStripeSignature(r.body, String(r.headers['stripe-signature']), SECRET, Math.floor(Date.now() / 1000)) ? 200 : 400 }));
    closers.push(receiver.close);
    const sim = await startStripeSim({ seed: 52, webhookSecret: SECRET, clock: scaledClock(1000), webhookEvents: SUBSCRIBED, profile: { webhooks: { url: receiver.url, duplicate: 1 } } });
    closers.push(sim.close);
    await pay(sim, 'ord_dup');
    await receiver.waitFor(2);
    const [a, b] = receiver.received.map((r) => JSON.parse(r.body).id);
    expect(a).toBe(b);
    await sim.webhooks.settled();

    const put = await fetch(`${sim.url}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhooks: { url: receiver.url, badSignature: 1, retrySchedule: [] } }) });
    expect(put.status).toBe(200);
    await pay(sim, 'ord_bad');
    await receiver.waitFor(3);
    await sim.webhooks.settled();
    expect(sim.webhooks.attempts().at(-1)).toMatchObject({ status: 400, accepted: false, badSignature: true });
  });

  it('reorders events: within the window the newest arrives first', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    closers.push(receiver.close);
    // ×1000: the 300 s simulated window is 300 ms of real time, enough to collect three events.
    const sim = await startStripeSim({ seed: 53, webhookSecret: SECRET, clock: scaledClock(1000), webhookEvents: SUBSCRIBED, profile: { webhooks: { url: receiver.url, reorder: { rate: 1, window: '300s' } } } });
    closers.push(sim.close);
    const ids = [];
    for (const order of ['o1', 'o2', 'o3']) ids.push((await pay(sim, order)).id);
    await receiver.waitFor(3);
    expect(receiver.received.map((r) => JSON.parse(r.body).data.object.id)).toEqual([...ids].reverse());
  });

  it('lists every delivery attempt at /__sim/webhooks', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    closers.push(receiver.close);
    const sim = await startStripeSim({ seed: 54, webhookEvents: SUBSCRIBED, profile: { webhooks: { url: receiver.url } } });
    closers.push(sim.close);
    await pay(sim, 'o', 'pm_card_chargeDeclined');
    await receiver.waitFor(1);
    await sim.webhooks.settled();
    const log = (await (await fetch(`${sim.url}/__sim/webhooks`)).json()) as { attempts: Array<{ type: string; status: number; accepted: boolean }> };
    expect(log.attempts).toMatchObject([{ type: 'payment_intent.payment_failed', status: 204, accepted: true }]);
  });
});
