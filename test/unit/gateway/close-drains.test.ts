import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../../gateway/index.js';
import { fakeProvider, type FakeProvider } from './fake-provider.js';

/**
 * Closing a gateway waits for the charges it is still making: a run reads the providers' ledgers
 * right after, and a charge that reached a provider later would be missing from them.
 */
let wallet: FakeProvider | undefined;
afterEach(async () => wallet?.close());

describe('gateway close', () => {
  it('lets a charge in flight finish, and nothing reaches the provider after close resolves', async () => {
    let createdAt = Infinity;
    wallet = await fakeProvider((call) => {
      if (call.method === 'POST') {
        createdAt = Date.now();
        return { status: 201, body: JSON.stringify({ id: 'ch_AAAA', status: 'PENDING' }) };
      }
      // The shopper approves 500 ms after the charge was made.
      return { status: 200, body: JSON.stringify({ status: Date.now() - createdAt > 500 ? 'SUCCEEDED' : 'PENDING' }) };
    });
    const gateway = await startGateway({ providers: { 'wiremock:localwallet': { url: wallet.url } } });
    const answer = fetch(`${gateway.url}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ orderId: 'o1', amount: 100, currency: 'sgd', paymentMethod: 'pm_localwallet', provider: 'wiremock:localwallet' }),
    }).catch(() => undefined);
    // Close once the charge is really in flight (the provider saw it), not after a guessed delay:
    // on a loaded machine 100 ms was sometimes not enough for the request to arrive at all.
    const until = Date.now() + 5_000;
    while (!wallet.calls.some((c) => c.method === 'POST') && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    expect(wallet.calls.some((c) => c.method === 'POST')).toBe(true);
    await gateway.close();
    // The charge ran to its end: the last poll saw SUCCEEDED.
    const polls = wallet.calls.filter((c) => c.method === 'GET');
    expect(Date.now() - createdAt).toBeGreaterThan(500);
    expect(polls.length).toBeGreaterThan(0);
    const after = wallet.calls.length;
    await new Promise((r) => setTimeout(r, 700));
    expect(wallet.calls.length).toBe(after);
    await answer;
    // Closing twice is harmless (a run closes its gateways, then its supervisor does).
    await gateway.close();
  });
});
