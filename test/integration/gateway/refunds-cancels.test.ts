import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AdyenClient, AlipayClient, PaypalClient, StripeClient, WechatPayClient, alipayOutTradeNo, wechatOutTradeNo, type ProviderClient, type ProviderConnection } from '../../../gateway/clients/index.js';
import type { LedgerEntry } from '../../../simulators/index.js';
import { startAdyenSim, startAlipaySim, startPaypalSim, startStripeSim, startWechatPaySim } from '../../../simulators/index.js';

/**
 * Refunds and cancels of every native provider's client against its real simulator on
 * 127.0.0.1. The simulators' ledgers are the judge of what moved: a refund the client calls
 * succeeded must be there exactly once, a refused one must not be there at all.
 */
interface Sim {
  url: string;
  close(): Promise<void>;
  ledger: { byOrder(orderId: string): LedgerEntry[] };
}
interface Case {
  name: string;
  sim: Sim;
  /** The ledger's order id for the gateway's order id (each provider files under its own merchant reference). */
  ledgerId(orderId: string): string;
  make(connection?: Partial<ProviderConnection>): ProviderClient;
  currency: string;
  /** Adyen only receives a refund: its outcome arrives in a notification (webhooks test). */
  async: boolean;
  overRefund: { errorCode: string; providerCode: unknown } | undefined;
}

const keysOf = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;
const cases: Case[] = [];

beforeAll(async () => {
  const [stripe, adyen, alipay, wechat, paypal] = await Promise.all([
    startStripeSim({ seed: 101 }),
    startAdyenSim({ seed: 102 }),
    startAlipaySim({ seed: 103 }),
    startWechatPaySim({ seed: 104, payerDelayMs: 100 }),
    startPaypalSim({ seed: 105, autoApprove: true }),
  ]);
  const [alipayKeys, wechatKeys, paypalKeys] = await Promise.all([keysOf(alipay.url), keysOf(wechat.url), keysOf(paypal.url)]);
  const own = <T extends ProviderClient>(c: T): T => {
    onTestFinished(() => c.close());
    return c;
  };
  cases.push(
    { name: 'stripe', sim: stripe, ledgerId: (o) => o, make: (c) => own(new StripeClient({ url: stripe.url, ...c })), currency: 'eur', async: false, overRefund: { errorCode: 'invalid_request', providerCode: 'amount_too_large' } },
    { name: 'adyen', sim: adyen, ledgerId: (o) => o, make: (c) => own(new AdyenClient({ url: adyen.url, ...c })), currency: 'eur', async: true, overRefund: undefined },
    { name: 'alipay', sim: alipay, ledgerId: alipayOutTradeNo, make: (c) => own(new AlipayClient({ url: alipay.url, credentials: alipayKeys, ...c })), currency: 'cny', async: false, overRefund: { errorCode: 'invalid_request', providerCode: expect.stringMatching(/^ACQ\.(REASON_TRADE_REFUND_FEE_ERR|REFUND_AMT_NOT_EQUAL_TOTAL)$/) } },
    { name: 'wechatpay', sim: wechat, ledgerId: wechatOutTradeNo, make: (c) => own(new WechatPayClient({ url: wechat.url, credentials: wechatKeys, ...c })), currency: 'cny', async: false, overRefund: { errorCode: 'invalid_request', providerCode: 'INVALID_REQUEST' } },
    { name: 'paypal', sim: paypal, ledgerId: (o) => o, make: (c) => own(new PaypalClient({ url: paypal.url, credentials: paypalKeys, ...c })), currency: 'usd', async: false, overRefund: { errorCode: 'invalid_request', providerCode: 'REFUND_AMOUNT_EXCEEDED' } },
  );
});
afterAll(async () => {
  await Promise.all(cases.map((c) => c.sim.close()));
});

const byName = (name: string): Case => cases.find((c) => c.name === name)!;
const moved = (c: Case, orderId: string, kind: LedgerEntry['kind']) => c.sim.ledger.byOrder(c.ledgerId(orderId)).filter((e) => e.kind === kind).map((e) => e.amount);
let n = 0;

async function paid(c: Case, client: ProviderClient, amount = 1000) {
  const orderId = `lc-${c.name}-${++n}`;
  const charged = await client.charge({ orderId, amount, currency: c.currency, paymentMethod: c.name === 'alipay' ? 'pm_alipay' : c.name === 'wechatpay' ? 'pm_wechatpay' : 'pm_card_visa', providerKey: `gw-${orderId}` });
  expect(charged.outcome).toBe('succeeded');
  return { orderId, paymentId: charged.paymentId, amount };
}

const refundOf = (c: Case, p: { orderId: string; paymentId?: string | undefined; amount: number }, amount: number, refundKey: string) => ({
  orderId: p.orderId,
  ...(p.paymentId !== undefined ? { paymentId: p.paymentId } : {}),
  amount,
  capturedAmount: p.amount,
  currency: c.currency,
  refundKey,
});

describe.each(['stripe', 'adyen', 'alipay', 'wechatpay', 'paypal'])('%s refunds', (name) => {
  it('refunds a capture in full, once in the ledger', async () => {
    const c = byName(name);
    const client = c.make();
    const p = await paid(c, client);
    const r = await client.refund!(refundOf(c, p, 1000, `rf-${p.orderId}-full`));
    // Adyen receives (a notification confirms); WeChat accepts (PROCESSING until REFUND.SUCCESS); the rest answer done.
    expect(r.outcome).toBe(c.async || name === 'wechatpay' ? 'pending' : 'succeeded');
    expect(r.refundId).toEqual(expect.any(String));
    expect(moved(c, p.orderId, 'refund')).toEqual([1000]);
  });

  it('refunds in partials that sum to the capture, each once', async () => {
    const c = byName(name);
    const client = c.make();
    const p = await paid(c, client);
    const parts = [300, 450, 250];
    const results = [];
    for (const [i, amount] of parts.entries()) results.push(await client.refund!(refundOf(c, p, amount, `rf-${p.orderId}-${i}`)));
    expect(results.map((r) => r.outcome === 'failed')).toEqual([false, false, false]);
    expect(new Set(results.map((r) => r.refundId)).size).toBe(3);
    expect(moved(c, p.orderId, 'refund')).toEqual(parts);
  });

  it('refunds once when the same refund is retried with the same key', async () => {
    const c = byName(name);
    const client = c.make();
    const p = await paid(c, client);
    const first = await client.refund!(refundOf(c, p, 400, `rf-${p.orderId}-a`));
    const again = await client.refund!(refundOf(c, p, 400, `rf-${p.orderId}-a`));
    // The same refund, not a second one (WeChat's may have gone PROCESSING → SUCCESS in between).
    expect([first.outcome, again.outcome]).not.toContain('failed');
    expect(again.refundId).toBe(first.refundId);
    expect(moved(c, p.orderId, 'refund')).toEqual([400]);
  });

  it('negative control: the same refund retried under a new key is refunded twice (what the key prevents), so the check above can fail', async () => {
    const c = byName(name);
    const client = c.make();
    const p = await paid(c, client);
    await client.refund!(refundOf(c, p, 400, `rf-${p.orderId}-a`));
    await client.refund!(refundOf(c, p, 400, `rf-${p.orderId}-b`));
    expect(moved(c, p.orderId, 'refund')).toEqual([400, 400]);
  });

  it('applies a refund once when the provider commits it and then answers 5xx, and the retry uses the same key', async () => {
    const c = byName(name);
    const sim = c.sim as Sim & { behaviour: { apply(p: unknown): void } };
    const client = c.make();
    const p = await paid(c, client);
    sim.behaviour.apply({ commitThenError: { rate: 1, status: 500 } });
    onTestFinished(() => sim.behaviour.apply({}));
    const lost = await client.refund!(refundOf(c, p, 300, `rf-${p.orderId}-x`));
    sim.behaviour.apply({});
    // The refund may exist: not failed, not succeeded — pending, to be retried with the same key.
    expect(lost).toMatchObject({ outcome: 'pending', errorCode: expect.stringMatching(/^(provider_error|outcome_unknown)$/) });
    const retried = await client.refund!(refundOf(c, p, 300, `rf-${p.orderId}-x`));
    expect(retried.outcome).not.toBe('failed');
    expect(moved(c, p.orderId, 'refund')).toEqual([300]);
  });

  it('has a refund beyond what is left refused by the provider, with the normalised code, and nothing moved', async () => {
    const c = byName(name);
    const client = c.make();
    const p = await paid(c, client);
    await client.refund!(refundOf(c, p, 600, `rf-${p.orderId}-1`));
    const over = await client.refund!(refundOf(c, p, 500, `rf-${p.orderId}-2`));
    if (c.overRefund) expect(over).toMatchObject({ outcome: 'failed', ...c.overRefund });
    // Adyen receives it (pending) and refuses it in the REFUND notification: see webhooks tests.
    else expect(over).toMatchObject({ outcome: 'pending', status: 'received' });
    expect(moved(c, p.orderId, 'refund')).toEqual([600]);
  });
});

describe('cancels', () => {
  it('stripe: voids a held authorisation (requires_capture) and refuses to cancel a succeeded intent', async () => {
    const c = byName('stripe');
    const client = c.make();
    const orderId = `lc-stripe-hold-${++n}`;
    const held = (await (await fetch(`${c.sim.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer sk_test_paychaos' },
      body: `amount=1500&currency=eur&payment_method=pm_card_visa&confirm=true&capture_method=manual&metadata[order_id]=${orderId}`,
    })).json()) as { id: string; status: string };
    expect(held.status).toBe('requires_capture');
    expect(await client.cancel!({ orderId, paymentId: held.id, cancelKey: `cx-${orderId}` })).toMatchObject({ outcome: 'succeeded', status: 'canceled' });
    expect(moved(c, orderId, 'void')).toEqual([1500]);
    expect(moved(c, orderId, 'capture')).toEqual([]);

    const p = await paid(c, client);
    expect(await client.cancel!({ orderId: p.orderId, paymentId: p.paymentId!, cancelKey: `cx-${p.orderId}` })).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'payment_intent_unexpected_state' });
    expect(moved(c, p.orderId, 'void')).toEqual([]);
  });

  it('adyen: a held authorisation is cancelled by pspReference, another by merchant reference alone (both received)', async () => {
    const c = byName('adyen');
    const client = c.make();
    const hold = async (orderId: string) =>
      (await (await fetch(`${c.sim.url}/v71/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ merchantAccount: 'PaychaosECOM', amount: { value: 1500, currency: 'EUR' }, reference: orderId, paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: 'Paychaos Shopper' }, returnUrl: 'https://x.invalid/r', additionalData: { manualCapture: 'true' } }),
      })).json()) as { pspReference: string; resultCode: string };
    const a = `lc-adyen-hold-${++n}`;
    const b = `lc-adyen-hold-${++n}`;
    const heldA = await hold(a);
    await hold(b);
    expect(heldA.resultCode).toBe('Authorised');
    expect(await client.cancel!({ orderId: a, paymentId: heldA.pspReference, cancelKey: `cx-${a}` })).toMatchObject({ outcome: 'pending', status: 'received', cancelId: expect.any(String) });
    expect(await client.cancel!({ orderId: b, cancelKey: `cx-${b}` })).toMatchObject({ outcome: 'pending', status: 'received' });
    expect(moved(c, a, 'void')).toEqual([1500]);
    expect(moved(c, b, 'void')).toEqual([1500]);
  });

  it('alipay: closes a trade waiting for the buyer, refuses to close a paid one', async () => {
    const c = byName('alipay');
    const alipay = c.sim as Sim & { behaviour: { apply(p: unknown): void } };
    const client = c.make({ settleWithinMs: 0 });
    alipay.behaviour.apply({ outcomes: { '10003': 1 } });
    onTestFinished(() => alipay.behaviour.apply({}));
    const orderId = `lc-alipay-wait-${++n}`;
    expect((await client.charge({ orderId, amount: 900, currency: 'cny', paymentMethod: 'pm_alipay', providerKey: `gw-${orderId}` })).outcome).toBe('pending');
    alipay.behaviour.apply({});
    expect(await client.cancel!({ orderId, cancelKey: `cx-${orderId}` })).toMatchObject({ outcome: 'succeeded', status: 'TRADE_CLOSED' });
    // Closed for good: a later attempt to pay the same order is refused, nothing captured.
    expect(await client.charge({ orderId, amount: 900, currency: 'cny', paymentMethod: 'pm_alipay', providerKey: `gw-${orderId}` })).toMatchObject({ outcome: 'failed', errorCode: 'order_closed' });
    expect(moved(c, orderId, 'capture')).toEqual([]);

    const p = await paid(c, c.make());
    expect(await client.cancel!({ orderId: p.orderId, cancelKey: `cx-${p.orderId}` })).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('wechatpay: closes an unpaid order, refuses to close a paid one (ORDERPAID)', async () => {
    const c = byName('wechatpay');
    const manual = await startWechatPaySim({ seed: 106 });
    onTestFinished(() => manual.close());
    const client = new WechatPayClient({ url: manual.url, credentials: await keysOf(manual.url), settleWithinMs: 0 });
    onTestFinished(() => client.close());
    const orderId = `lc-wechat-unpaid-${++n}`;
    expect((await client.charge({ orderId, amount: 900, currency: 'cny', paymentMethod: 'pm_wechatpay', providerKey: `gw-${orderId}` })).outcome).toBe('pending');
    expect(await client.cancel!({ orderId, cancelKey: `cx-${orderId}` })).toMatchObject({ outcome: 'succeeded', status: 'CLOSED', providerStatus: 204 });
    const payer = await fetch(`${manual.url}/__sim/payer/${wechatOutTradeNo(orderId)}?action=pay`, { method: 'POST' });
    expect(payer.status).not.toBe(200);
    expect(manual.ledger.byOrder(wechatOutTradeNo(orderId)).filter((e) => e.kind === 'capture')).toEqual([]);

    const p = await paid(c, c.make());
    expect(await c.make().cancel!({ orderId: p.orderId, cancelKey: `cx-${p.orderId}` })).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'ORDERPAID' });
  });

  it('paypal: an order the payer has not approved is cancelled by never capturing it; a captured one is refused', async () => {
    const c = byName('paypal');
    const manual = await startPaypalSim({ seed: 107 });
    onTestFinished(() => manual.close());
    const client = new PaypalClient({ url: manual.url, credentials: await keysOf(manual.url), settleWithinMs: 0 });
    onTestFinished(() => client.close());
    const orderId = `lc-paypal-open-${++n}`;
    const open = await client.charge({ orderId, amount: 900, currency: 'usd', paymentMethod: 'pm_paypal', providerKey: `gw-${orderId}` });
    expect(open).toMatchObject({ outcome: 'pending', providerCode: 'PAYER_ACTION_REQUIRED' });
    expect(await client.cancel!({ orderId, paymentId: open.paymentId!, cancelKey: `cx-${orderId}` })).toMatchObject({ outcome: 'succeeded', status: expect.stringMatching(/CREATED|PAYER_ACTION_REQUIRED/) });

    const p = await paid(c, c.make());
    expect(await c.make().cancel!({ orderId: p.orderId, paymentId: p.paymentId!, cancelKey: `cx-${p.orderId}` })).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'ORDER_ALREADY_CAPTURED' });
  });
});

describe('refund input the gateway cannot send', () => {
  it('refuses a non-positive amount before calling the provider', async () => {
    const c = byName('stripe');
    expect(await c.make().refund!({ orderId: 'o', paymentId: 'pi_x', amount: 0, capturedAmount: 100, currency: 'eur', refundKey: 'k' })).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'amount_not_positive', providerStatus: 0 });
  });
});

describe.each(['stripe', 'alipay', 'wechatpay'])('%s queryRefund', (name) => {
  it('finds a refund whose answer was lost (commit, then 5xx) by its key alone, and says absent for a key never used', async () => {
    const c = byName(name);
    const sim = c.sim as Sim & { behaviour: { apply(p: unknown): void } };
    const client = c.make();
    const p = await paid(c, client);
    sim.behaviour.apply({ commitThenError: { rate: 1, status: 500 } });
    onTestFinished(() => sim.behaviour.apply({}));
    const lost = await client.refund!(refundOf(c, p, 300, `rf-${p.orderId}-lost`));
    sim.behaviour.apply({});
    expect(lost.outcome).toBe('pending');
    const found = await client.queryRefund!({ orderId: p.orderId, ...(p.paymentId !== undefined ? { paymentId: p.paymentId } : {}), refundKey: `rf-${p.orderId}-lost` });
    expect(found).toMatchObject({ state: expect.stringMatching(/^(succeeded|pending)$/), amount: 300, refundId: expect.any(String) });
    expect(await client.queryRefund!({ orderId: p.orderId, ...(p.paymentId !== undefined ? { paymentId: p.paymentId } : {}), refundKey: `rf-${p.orderId}-never` })).toMatchObject({ state: 'absent' });
    expect(moved(c, p.orderId, 'refund')).toEqual([300]);
  });
});

describe('paypal queryRefund', () => {
  it('reads a refund by its id, says absent for an unknown id, and unknown without an id (retry refund() with the same key)', async () => {
    const c = byName('paypal');
    const client = c.make();
    const p = await paid(c, client);
    const r = await client.refund!(refundOf(c, p, 300, `rf-${p.orderId}-1`));
    expect(await client.queryRefund!({ orderId: p.orderId, refundKey: `rf-${p.orderId}-1`, refundId: r.refundId! })).toMatchObject({ state: 'succeeded', amount: 300, refundId: r.refundId });
    expect(await client.queryRefund!({ orderId: p.orderId, refundKey: 'x', refundId: 'NOSUCHREFUND1' })).toMatchObject({ state: 'absent' });
    expect(await client.queryRefund!({ orderId: p.orderId, refundKey: 'x' })).toMatchObject({ state: 'unknown', providerCode: 'refund_id_required' });
  });
});
