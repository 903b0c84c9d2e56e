import { afterEach, describe, expect, it } from 'vitest';
import { AlipayClient, PaypalClient, WechatPayClient, alipayOutTradeNo, wechatOutTradeNo, type ProviderClient } from '../../../gateway/clients/index.js';
import { startAlipaySim, startPaypalSim, startWechatPaySim, type Ledger } from '../../../simulators/index.js';

/**
 * The behaviour profile's outcome chain ("this share of orders fails its first attempt, then
 * succeeds") follows the merchant's order in the wallet simulators too: the first attempt of an
 * order gets the chained error, the merchant's retry of the same order goes through, once.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function started<S extends { url: string; close(): Promise<void>; ledger: Ledger }>(sim: S, make: (credentials: Record<string, unknown>) => ProviderClient) {
  const credentials = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as Record<string, unknown>;
  const client = make(credentials);
  closers.push(() => client.close(), () => sim.close());
  return client;
}
const charge = (client: ProviderClient, orderId: string, attempt: number) => client.charge({ orderId, amount: 2599, currency: 'cny', paymentMethod: 'pm_wallet', providerKey: `${orderId}:${attempt}` });
const captures = (ledger: Ledger, orderId: string) => ledger.byOrder(orderId).filter((e) => e.kind === 'capture');
const chain = (code: string) => ({ chain: { rate: 1, code, failures: 1 } });

describe('outcome chains in the wallet simulators', () => {
  it('alipay: the first trade.pay of an order meets ACQ.SYSTEM_ERROR, the retry of the same out_trade_no is paid once', async () => {
    const sim = await startAlipaySim({ seed: 3, profile: chain('ACQ.SYSTEM_ERROR') });
    const client = await started(sim, (c) => new AlipayClient({ url: sim.url, credentials: c }));
    expect(await charge(client, 'chain-a1', 1)).toMatchObject({ outcome: 'pending', errorCode: 'provider_error' });
    expect(await charge(client, 'chain-a1', 2)).toMatchObject({ outcome: 'succeeded' });
    expect(captures(sim.ledger, alipayOutTradeNo('chain-a1'))).toHaveLength(1);
    // Each order has its own chain: another order fails its first attempt too.
    expect(await charge(client, 'chain-a2', 1)).toMatchObject({ outcome: 'pending' });
  });

  it('wechatpay: the first order creation meets SYSTEM_ERROR, the retry is created and paid once', async () => {
    const sim = await startWechatPaySim({ seed: 3, payerDelayMs: 50, profile: chain('SYSTEM_ERROR') });
    const client = await started(sim, (c) => new WechatPayClient({ url: sim.url, credentials: c }));
    expect(await charge(client, 'chain-w1', 1)).toMatchObject({ outcome: 'pending', errorCode: 'provider_error' });
    expect(await charge(client, 'chain-w1', 2)).toMatchObject({ outcome: 'succeeded' });
    expect(captures(sim.ledger, wechatOutTradeNo('chain-w1'))).toHaveLength(1);
  });

  it('paypal: the first capture for an order meets INTERNAL_SERVER_ERROR, the retry captures once', async () => {
    const sim = await startPaypalSim({ seed: 3, autoApprove: true, profile: chain('INTERNAL_SERVER_ERROR') });
    const client = await started(sim, (c) => new PaypalClient({ url: sim.url, credentials: c }));
    expect(await charge(client, 'chain-p1', 1)).toMatchObject({ outcome: 'pending' });
    expect(await charge(client, 'chain-p1', 2)).toMatchObject({ outcome: 'succeeded' });
    expect(captures(sim.ledger, 'chain-p1')).toHaveLength(1);
  });
});
