import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { buildGateway } from '../../../gateway/index.js';
import { LocalWalletClient, type ChargeRequest } from '../../../gateway/clients/index.js';
import { fakeProvider, rsaPemPair } from './fake-provider.js';

/**
 * A client that cannot make sense of what came back — or throws outright — after the provider
 * may have received the request: the charge may exist, so the gateway must answer pending, keep
 * the answer under the key, and refuse to charge the order again under a new key.
 */

type Gateway = ReturnType<typeof buildGateway>;

const pay = (gw: Gateway, key: string, body: Record<string, unknown>) =>
  gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { orderId: 'O1', amount: 1000, currency: 'CNY', paymentMethod: 'pm_wallet', ...body } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the gateway, when a provider client cannot read an answer or throws', () => {
  it('answers a 200 `null` from Alipay pending (504, outcome_unknown), replays it for the same key and calls Alipay no more for a new key', async () => {
    const alipay = await fakeProvider(() => ({ status: 200, body: 'null' }));
    onTestFinished(() => alipay.close());
    const keys = rsaPemPair();
    const gw = buildGateway({ providers: { alipay: { url: alipay.url, credentials: { appId: '2021000000000001', merchantPrivateKey: keys.privateKey, alipayPublicKey: keys.publicKey } } } });
    onTestFinished(() => gw.close());

    const first = await pay(gw, 'k1', {});
    expect(first.statusCode).toBe(504);
    expect(first.json()).toMatchObject({ orderId: 'O1', status: 'pending', provider: 'alipay', errorCode: 'outcome_unknown' });
    expect(alipay.calls).toHaveLength(1);

    const sameKey = await pay(gw, 'k1', {});
    expect(sameKey.statusCode).toBe(504);
    expect(sameKey.headers['idempotent-replayed']).toBe('true');
    expect(sameKey.json()).toEqual(first.json());

    const newKey = await pay(gw, 'k2', {});
    expect(newKey.statusCode).toBe(200);
    expect(newKey.headers['idempotent-replayed']).toBe('order');
    expect(newKey.json()).toEqual(first.json());
    expect(alipay.calls).toHaveLength(1);
    expect((await gw.app.inject({ method: 'GET', url: '/payments/O1' })).json()).toEqual(first.json());
  });

  it('answers a client that throws after the wallet took the charge pending client_error, and never charges the order through the wallet again', async () => {
    // The wallet takes no idempotency key: every create it gets is a new charge.
    const wallet = await fakeProvider((call) => (call.method === 'POST' ? { status: 201, body: JSON.stringify({ id: 'ch_1', status: 'SUCCEEDED' }) } : { status: 404, body: '{}' }));
    onTestFinished(() => wallet.close());
    const charge = LocalWalletClient.prototype.charge;
    vi.spyOn(LocalWalletClient.prototype, 'charge').mockImplementation(async function (this: LocalWalletClient, req: ChargeRequest) {
      await charge.call(this, req);
      throw new TypeError("Cannot read properties of null (reading 'status')");
    });
    const gw = buildGateway({ providers: { 'wiremock:localwallet': { url: wallet.url } } });
    onTestFinished(() => gw.close());
    const creates = () => wallet.calls.filter((c) => c.method === 'POST' && c.url === '/v1/charges');

    const first = await pay(gw, 'k1', {});
    expect(first.statusCode).toBe(504);
    expect(first.json()).toMatchObject({ orderId: 'O1', status: 'pending', provider: 'wiremock:localwallet', errorCode: 'outcome_unknown', providerCode: 'client_error' });
    expect(creates()).toHaveLength(1);

    // The key was finished, not left locked for 90 s: a replay, not a 409.
    const sameKey = await pay(gw, 'k1', {});
    expect(sameKey.statusCode).toBe(504);
    expect(sameKey.json()).toEqual(first.json());

    const newKey = await pay(gw, 'k2', {});
    expect(newKey.statusCode).toBe(200);
    expect(newKey.json()).toEqual(first.json());
    expect(creates()).toHaveLength(1);
  });
});
