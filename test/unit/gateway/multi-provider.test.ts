import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../../../gateway/index.js';
import { alipayOutTradeNo } from '../../../gateway/clients/index.js';
import { startAdyenSim, startAlipaySim, startStripeSim, type Ledger } from '../../../simulators/index.js';

/**
 * One gateway, three providers (real simulators on 127.0.0.1): each payment goes to the provider
 * it names, and the guards — one charge per order, one request per key — hold across providers.
 * The providers' ledgers are the judge of where money moved.
 */

type Sim = { url: string; ledger: Ledger; close(): Promise<void> };
let stripe: Sim;
let adyen: Sim;
let alipay: Sim;
let gw: ReturnType<typeof buildGateway>;

beforeAll(async () => {
  [stripe, adyen, alipay] = await Promise.all([startStripeSim({ seed: 41 }), startAdyenSim({ seed: 42 }), startAlipaySim({ seed: 43 })]);
  // Alipay's merchant keys as its simulator lists them; Stripe's and Adyen's simulators take the gateway's defaults.
  const alipayKeys = (await (await fetch(`${alipay.url}/__sim/keys`)).json()) as Record<string, unknown>;
  gw = buildGateway({ providers: { stripe: { url: stripe.url }, adyen: { url: adyen.url }, alipay: { url: alipay.url, credentials: alipayKeys } } });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([stripe?.close(), adyen?.close(), alipay?.close()]);
});

const pay = (key: string, body: Record<string, unknown>) =>
  gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa', ...body } });

/** What each provider's ledger holds for an order: the amounts captured, and whether anything at all (an authorisation) was recorded. */
function ledgers(orderId: string): Record<'stripe' | 'adyen' | 'alipay', { captured: number[]; entries: number }> {
  const of = (sim: Sim, id: string) => {
    const entries = sim.ledger.byOrder(id);
    return { captured: entries.filter((e) => e.kind === 'capture').map((e) => e.amount), entries: entries.length };
  };
  // Alipay's ledger knows the order by its out_trade_no.
  return { stripe: of(stripe, orderId), adyen: of(adyen, orderId), alipay: of(alipay, alipayOutTradeNo(orderId)) };
}
const nothing = { captured: [], entries: 0 };
const once = (amount: number) => ({ captured: [amount], entries: expect.any(Number) });

describe('a gateway configured with stripe, adyen and alipay', () => {
  it('charges each payment at the provider its body names, and only there', async () => {
    const answers = await Promise.all([pay('route-s', { orderId: 'route-s', provider: 'stripe' }), pay('route-y', { orderId: 'route-y', provider: 'adyen' }), pay('route-a', { orderId: 'route-a', provider: 'alipay', currency: 'CNY' })]);
    expect(answers.map((a) => [a.statusCode, a.json().provider, a.json().status])).toEqual([
      [201, 'stripe', 'succeeded'],
      [201, 'adyen', 'succeeded'],
      [201, 'alipay', 'succeeded'],
    ]);
    expect(ledgers('route-s')).toEqual({ stripe: once(1000), adyen: nothing, alipay: nothing });
    expect(ledgers('route-y')).toEqual({ stripe: nothing, adyen: once(1000), alipay: nothing });
    expect(ledgers('route-a')).toEqual({ stripe: nothing, adyen: nothing, alipay: once(1000) });
  });

  it('charges a payment that names no provider at the first one configured', async () => {
    const res = await pay('default-1', { orderId: 'default-1' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ provider: 'stripe', status: 'succeeded' });
    expect(ledgers('default-1')).toEqual({ stripe: once(1000), adyen: nothing, alipay: nothing });
  });

  it('does not charge an order paid at stripe again at adyen under a new key: the prior answer comes back', async () => {
    const paid = await pay('guard-1', { orderId: 'guard-x', provider: 'stripe' });
    expect(paid.statusCode).toBe(201);
    const elsewhere = await pay('guard-2', { orderId: 'guard-x', provider: 'adyen' });
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.headers['idempotent-replayed']).toBe('order');
    expect(elsewhere.json()).toEqual(paid.json());
    expect(ledgers('guard-x')).toEqual({ stripe: once(1000), adyen: nothing, alipay: nothing });
  });

  it('charges an order declined at stripe once at adyen when retried there with a new key', async () => {
    const declined = await pay('fail-1', { orderId: 'fail-x', provider: 'stripe', paymentMethod: 'pm_card_chargeDeclined' });
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({ provider: 'stripe', status: 'failed', errorCode: 'card_declined' });
    const retried = await pay('fail-2', { orderId: 'fail-x', provider: 'adyen' });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ provider: 'adyen', status: 'succeeded' });
    // Once: a third key, at either provider, gets the adyen answer back.
    for (const [key, provider] of [['fail-3', 'adyen'], ['fail-4', 'stripe']] as const) {
      const again = await pay(key, { orderId: 'fail-x', provider });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(retried.json());
    }
    expect(ledgers('fail-x')).toEqual({ stripe: nothing, adyen: once(1000), alipay: nothing });
  });

  it('refuses a key reused with another provider as a mismatch (422), charging nothing there', async () => {
    expect((await pay('same-key', { orderId: 'mismatch-x', provider: 'stripe' })).statusCode).toBe(201);
    const reused = await pay('same-key', { orderId: 'mismatch-x', provider: 'adyen' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH');
    expect(ledgers('mismatch-x')).toEqual({ stripe: once(1000), adyen: nothing, alipay: nothing });
  });
});
