import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { classifyResponse, type ShopperPlan } from '../../../src/load/index.js';
import { OrdersPlaced, buildStack, checkGroundTruth, queryUnanswered, readLedgers, type BuiltStack } from '../../../src/run/index.js';

/**
 * Ground truth against the real Alipay and WeChat Pay simulators behind their proxies and the
 * reference gateway: both number orders their own way (out_trade_no syntax), and the harness
 * joins their ledgers to the shop's orders knowing only what the gateway's answers said.
 */
const ALIPAY_ORDER = 'shop-order-a-1';
const WECHAT_ORDER = 'shop-order-with-an-identifier-longer-than-32-w-1';

describe('ground truth over providers whose numbering differs from the order id', () => {
  let stack: BuiltStack;
  const orders = new OrdersPlaced();
  beforeAll(async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'paychaos-ground-truth-'));
    stack = await buildStack(
      { providers: ['alipay', 'wechatpay'], seed: 3, simulator: { shopperApprovesAfterMs: 50 }, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
      { runId: 'ground-truth-test', outDir },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const pay = async (orderId: string, provider: string, paymentMethod: string) => {
    orders.placing({ orderId, provider, variant: 'baseline', amount: 990, currency: 'cny', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan);
    const res = await request(`${stack.systems.baseline!.url}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `key-${orderId}` },
      body: JSON.stringify({ orderId, amount: 990, currency: 'CNY', paymentMethod, provider }),
    });
    return classifyResponse(res.statusCode, await res.body.text());
  };

  it('joins both ledgers on the ids the answers (or the order query) named, and both money invariants hold', async () => {
    // Alipay's answer reaches the shopper; WeChat Pay's is lost on the way (an interrupt cut it).
    const alipay = await pay(ALIPAY_ORDER, 'alipay', 'pm_alipay');
    expect(alipay).toMatchObject({ outcome: 'succeeded', provider: 'alipay' });
    expect(alipay.providerReference).toBeDefined();
    expect(alipay.providerReference).not.toBe(ALIPAY_ORDER);
    const event: PaymentEvent = {
      t: 0, variant: 'baseline', provider: 'alipay', outcome: alipay.outcome, latencyMs: 1, status: alipay.status, orderId: ALIPAY_ORDER, idempotencyKey: 'k',
      ...(alipay.providerPaymentId ? { providerPaymentId: alipay.providerPaymentId } : {}),
      ...(alipay.providerReference ? { providerReference: alipay.providerReference } : {}),
    };
    orders.see(event);
    expect((await pay(WECHAT_ORDER, 'wechatpay', 'pm_wechat_pay')).outcome).toBe('succeeded');

    // Before the query, WeChat Pay's ledger row is in WeChat Pay's numbering only.
    const before = (await readLedgers(stack.providers.providers)).map((r) => orders.inShopTerms(r));
    expect(before.filter((r) => r.provider === 'wechatpay').every((r) => r.orderId !== WECHAT_ORDER)).toBe(true);
    expect(before.filter((r) => r.provider === 'alipay' && r.kind === 'capture').map((r) => r.orderId)).toEqual([ALIPAY_ORDER]);

    expect(orders.unanswered()).toEqual([{ variant: 'baseline', provider: 'wechatpay', orderId: WECHAT_ORDER }]);
    const asked = await queryUnanswered(orders, stack.systems);
    expect(asked).toEqual({ asked: 1, learnt: 1, unsupported: [] });

    await stack.closeSystems();
    const after = (await readLedgers(stack.providers.providers)).map((r) => orders.inShopTerms(r));
    expect([...new Set(after.map((r) => `${r.provider} ${r.orderId}`))].sort()).toEqual([`alipay ${ALIPAY_ORDER}`, `wechatpay ${WECHAT_ORDER}`]);
    const [noDouble, within] = await checkGroundTruth(stack.providers.providers, orders);
    expect(noDouble).toMatchObject({ name: 'no-double-charge', unit: 'orders', passed: true, checked: 2 });
    expect(within).toMatchObject({ name: 'captures-within-orders', unit: 'charges', passed: true, checked: 2 });
  }, 60_000);

  it('stops asking a system that does not offer the order query, without failing', async () => {
    const lonely = new OrdersPlaced();
    for (const id of ['x-1', 'x-2', 'x-3']) lonely.placing({ orderId: id, provider: 'alipay', variant: 'baseline', amount: 990, currency: 'cny', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan);
    // A user's own gateway without the query: it answers 501 Not Implemented.
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(501).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await queryUnanswered(lonely, { baseline: { url } }, { concurrency: 1 })).toEqual({ asked: 1, learnt: 0, unsupported: ['baseline'] });
      expect(hits).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
