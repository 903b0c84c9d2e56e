import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim, verifyAdyenHmac, type NotificationFields } from '../../../simulators/adyen/index.js';
import { scaledClock } from '../../../src/kernel/index.js';
import { startReceiver, type Received } from './receiver.js';

const KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

const itemOf = (r: Received) => JSON.parse(r.body).notificationItems[0].NotificationRequestItem as NotificationFields & { additionalData: { hmacSignature: string } };
const verified = (r: Received) => {
  const item = itemOf(r);
  return verifyAdyenHmac(item, item.additionalData.hmacSignature, KEY);
};

async function pay(url: string, body: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/v71/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ merchantAccount: 'PaychaosECOM', amount: { value: 2500, currency: 'EUR' }, reference: 'ord_ady', paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030', cvc: '737' }, ...body }),
  });
  return (await res.json()) as { pspReference: string; resultCode: string };
}

describe('Adyen notifications over real sockets', () => {
  it('sends HMAC-signed notifications and retries until the body is [accepted]', async () => {
    // A 200 without "[accepted]" is not an acknowledgement to Adyen.
    const receiver = await startReceiver((r, n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 200, body: 'ok' } : { status: verified(r) ? 200 : 401, body: '[accepted]' }));
    closers.push(receiver.close);
    // ×6000: Adyen's 2 and 5 minute gaps take 20 and 50 ms.
    const sim = await startAdyenSim({ seed: 61, hmacKey: KEY, clock: scaledClock(6000), profile: { webhooks: { url: receiver.url } } });
    closers.push(sim.close);
    const auth = await pay(sim.url);
    expect(auth.resultCode).toBe('Authorised');
    await receiver.waitFor(3);
    await sim.webhooks.settled();
    expect(receiver.received.every(verified)).toBe(true);
    expect(itemOf(receiver.received[0]!)).toMatchObject({ eventCode: 'AUTHORISATION', success: 'true', pspReference: auth.pspReference, merchantReference: 'ord_ady', amount: { value: 2500, currency: 'EUR' } });
    expect(JSON.parse(receiver.received[0]!.body).live).toBe('false');
    expect(sim.webhooks.attempts().map((a) => [a.status, a.accepted])).toEqual([[500, false], [200, false], [200, true]]);
  });

  it('signs with a wrong key when told to, so a verifying receiver refuses it', async () => {
    const receiver = await startReceiver((r) => (verified(r) ? { status: 200, body: '[accepted]' } : { status: 401 }));
    closers.push(receiver.close);
    const sim = await startAdyenSim({ seed: 62, hmacKey: KEY, profile: { webhooks: { url: receiver.url, badSignature: 1, retrySchedule: [] } } });
    closers.push(sim.close);
    await pay(sim.url);
    await receiver.waitFor(1);
    await sim.webhooks.settled();
    expect(sim.webhooks.attempts()).toMatchObject([{ status: 401, accepted: false, badSignature: true }]);
  });

  it('notifies a refund of a captured payment with the modification pspReference and the original reference', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: '[accepted]' }));
    closers.push(receiver.close);
    const sim = await startAdyenSim({ seed: 63, hmacKey: KEY, profile: { webhooks: { url: receiver.url } } });
    closers.push(sim.close);
    const auth = await pay(sim.url);
    const refund = await fetch(`${sim.url}/v71/payments/${auth.pspReference}/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'refund-1' },
      body: JSON.stringify({ merchantAccount: 'PaychaosECOM', amount: { value: 500, currency: 'EUR' } }),
    });
    expect(refund.status).toBe(201);
    const { pspReference } = (await refund.json()) as { pspReference: string };
    await receiver.waitFor(2);
    const items = receiver.received.map(itemOf);
    expect(items.find((i) => i.eventCode === 'REFUND')).toMatchObject({ pspReference, originalReference: auth.pspReference, success: 'true', amount: { value: 500 } });
    expect(receiver.received.every(verified)).toBe(true);
  });
});
