import { createServer, type Server } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AdyenClient, StripeClient } from '../../../gateway/clients/index.js';
import { freePort } from '../../../src/kernel/index.js';
import { fakeProvider } from './fake-provider.js';

/**
 * A refund or cancel that got no answer is read like a charge that got none: nothing reached the
 * provider (refused) → failed network_error, safe to retry; sent and not answered (a black hole)
 * → pending outcome_unknown, the refund may exist. And what the clients send: the refund key as
 * the provider's idempotency key.
 */
async function blackHole(): Promise<string> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((s) => { sockets.add(s); s.on('data', () => {}); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const refund = { orderId: 'o1', paymentId: 'pi_1', amount: 100, capturedAmount: 100, currency: 'eur', refundKey: 'rf-o1-1' };

describe('refunds and cancels without an answer', () => {
  it('a refused connection is failed network_error', async () => {
    const c = new StripeClient({ url: `http://127.0.0.1:${await freePort()}` });
    onTestFinished(() => c.close());
    expect(await c.refund(refund)).toMatchObject({ outcome: 'failed', errorCode: 'network_error', providerStatus: 0 });
  });

  it('a request sent into a black hole is pending outcome_unknown after the timeout', async () => {
    const c = new AdyenClient({ url: await blackHole(), timeoutMs: 200 });
    onTestFinished(() => c.close());
    expect(await c.refund({ ...refund, paymentId: 'PSP1' })).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'timeout' });
    expect(await c.cancel({ orderId: 'o1', cancelKey: 'cx-o1' })).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown' });
  });
});

describe('what refunds send', () => {
  it('Stripe: the refund key is the Idempotency-Key, the order id rides in metadata', async () => {
    const stripe = await fakeProvider(() => ({ status: 200, body: JSON.stringify({ id: 're_1', object: 'refund', status: 'succeeded' }) }));
    onTestFinished(() => stripe.close());
    const c = new StripeClient({ url: stripe.url });
    onTestFinished(() => c.close());
    expect(await c.refund(refund)).toEqual({ outcome: 'succeeded', status: 'succeeded', refundId: 're_1', providerStatus: 200 });
    expect(stripe.calls[0]).toMatchObject({ method: 'POST', url: '/v1/refunds', headers: { 'idempotency-key': 'rf-o1-1' } });
    expect(new URLSearchParams(stripe.calls[0]!.body).get('metadata[order_id]')).toBe('o1');
    expect(new URLSearchParams(stripe.calls[0]!.body).get('amount')).toBe('100');
  });

  it('Adyen: without a pspReference the cancel goes to the standalone /cancels by merchant reference', async () => {
    const adyen = await fakeProvider(() => ({ status: 201, body: JSON.stringify({ pspReference: 'X1', status: 'received' }) }));
    onTestFinished(() => adyen.close());
    const c = new AdyenClient({ url: adyen.url });
    onTestFinished(() => c.close());
    expect(await c.cancel({ orderId: 'o1', cancelKey: 'cx-o1' })).toMatchObject({ outcome: 'pending', status: 'received' });
    expect(adyen.calls[0]).toMatchObject({ url: '/v71/cancels', headers: { 'idempotency-key': 'cx-o1' } });
    expect(JSON.parse(adyen.calls[0]!.body)).toMatchObject({ paymentReference: 'o1', merchantAccount: 'PaychaosECOM' });
  });
});
