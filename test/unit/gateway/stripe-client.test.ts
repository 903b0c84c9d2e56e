import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { StripeClient } from '../../../gateway/clients/index.js';
import { fakeProvider } from './fake-provider.js';

/** A stand-in Stripe answering one fixed error, to pin how the client reads Stripe's error shapes. */
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function answering(status: number, body: unknown): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const charge = (url: string) => {
  const client = new StripeClient({ url });
  return client.charge({ orderId: 'o1', amount: 100, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k1' }).finally(() => client.close());
};

describe('StripeClient reading Stripe errors', () => {
  it.each([
    [400, { error: { type: 'invalid_request_error', message: 'Invalid request (check that your POST content type is application/x-www-form-urlencoded).' } }, 'invalid_request'],
    [413, { error: { type: 'invalid_request_error', message: 'Request too large' } }, 'invalid_request'],
    [402, { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } }, 'insufficient_funds'],
  ])('%i %j → failed %s', async (status, body, code) => {
    expect(await charge(await answering(status, body))).toMatchObject({ outcome: 'failed', errorCode: code, providerStatus: status });
  });

  it('keeps a code-less 5xx pending (the charge may exist), never failed', async () => {
    expect(await charge(await answering(500, { error: { type: 'api_error', message: 'boom' } }))).toMatchObject({ outcome: 'pending', errorCode: 'provider_error' });
  });
});

describe('StripeClient idempotency keys', () => {
  /** The Idempotency-Key header of each charge, as a Stripe stand-in received it. */
  async function keysSent(providerKeys: string[]): Promise<string[]> {
    const stripe = await fakeProvider(() => ({ status: 200, body: JSON.stringify({ id: 'pi_1', status: 'succeeded' }) }));
    onTestFinished(() => stripe.close());
    const client = new StripeClient({ url: stripe.url });
    onTestFinished(() => client.close());
    for (const providerKey of providerKeys) await client.charge({ orderId: 'o1', amount: 100, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey });
    return stripe.calls.map((c) => String(c.headers['idempotency-key']));
  }

  it('sends a key of up to 255 characters as it is', async () => {
    const keys = ['gw-0123456789abcdef-k1', `gw-0123456789abcdef-${'k'.repeat(235)}`];
    expect(keys[1]).toHaveLength(255);
    expect(await keysSent(keys)).toEqual(keys);
  });

  it('sends a longer key (a 255-character client key makes 275) as a stable hash Stripe accepts, distinct per key', async () => {
    const long = `gw-0123456789abcdef-${'k'.repeat(255)}`;
    const other = `gw-0123456789abcdef-${'k'.repeat(254)}j`;
    const [a, again, b] = await keysSent([long, long, other]);
    expect(a!.length).toBeLessThanOrEqual(255);
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    expect(b!.length).toBeLessThanOrEqual(255);
  });
});
