import { createPublicKey, createVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseSettlement } from '../../../src/analysis/index.js';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/alipay/index.js';
import { startWechatPaySim, type StartedWechatPaySim } from '../../../simulators/wechatpay/index.js';
import { recordingProxy, type SeenRequest } from '../../helpers/recording-proxy.js';

/**
 * 分账 through the reference gateway (issue #15): a split at Alipay or WeChat Pay is a call of its
 * own after the payment — alipay.trade.order.settle, POST /v3/profitsharing/orders — under a
 * number derived from the payment. Checked independently of the gateway: what it sent is read on
 * the wire and its signature verified with node:crypto by each provider's published protocol
 * (Alipay RSA2 over the sorted parameters; WeChat Pay's WECHATPAY2-SHA256-RSA2048 message), and
 * the transfer is booked only once the provider confirmed the share; a resumed share asks first
 * and is never sent twice.
 */
let alipay: StartedAlipaySim;
let alipayKeys: Record<string, unknown>;
let wechat: StartedWechatPaySim;
let wechatKeys: Record<string, unknown>;

beforeAll(async () => {
  [alipay, wechat] = await Promise.all([startAlipaySim({ seed: 1503 }), startWechatPaySim({ seed: 1504, payerDelayMs: 50 })]);
  const keysOf = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;
  [alipayKeys, wechatKeys] = await Promise.all([keysOf(alipay.url), keysOf(wechat.url)]);
});
afterAll(async () => {
  await alipay?.close();
  await wechat?.close();
});


function gateway(providers: Parameters<typeof buildGateway>[0]['providers'], regression: Parameters<typeof buildGateway>[0]['regression'] = {}): BuiltGateway {
  const gw = buildGateway({ providers, regression, recovery: { intervalMs: 3_600_000 } });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
async function pay(gw: BuiltGateway, provider: 'alipay' | 'wechatpay', split: { destination: string; platformFee: number }, amount = 10_000) {
  const orderId = `cnsplit-${process.pid}-${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount, currency: 'cny', paymentMethod: `pm_${provider}`, provider, split } });
  return { orderId, status: res.statusCode, body: res.json() as { status: string; paymentId: string } };
}

interface Entry { orderId: string; kind: string; amount: number; destination?: string; commission?: number }
async function booked(gw: BuiltGateway, orderId: string): Promise<Entry[]> {
  const { entries } = (await gw.app.inject({ method: 'GET', url: '/ledger' })).json() as { entries: Entry[] };
  return entries.filter((e) => e.orderId === orderId);
}

/** The provider's own settlement report (read as the reconciliation reads it): the split rows of one payment. */
async function reportedSplits(simUrl: string, providerRef: string): Promise<Array<[string, number]>> {
  const csv = await (await fetch(`${simUrl}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
  return parseSettlement(csv, 'report.csv').filter((r) => r.providerRef === providerRef && r.kind !== 'capture').map((r) => [r.kind, r.amount]);
}

/** Until `check` holds (the share runs after the answer), within 5 s. */
async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  const until = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Alipay's RSA2 request signature: SHA256withRSA over the non-empty parameters but sign, sorted, k=v joined by &. */
function alipaySignatureHolds(form: URLSearchParams, merchantPrivateKeyPem: string): boolean {
  const params = [...form.entries()].filter(([k, v]) => k !== 'sign' && v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const content = params.map(([k, v]) => `${k}=${v}`).join('&');
  return createVerify('RSA-SHA256').update(content, 'utf8').verify(createPublicKey(merchantPrivateKeyPem), form.get('sign') ?? '', 'base64');
}

/** WeChat Pay APIv3: the Authorization header's signature over `METHOD\nURL\ntimestamp\nnonce\nbody\n`. */
function wechatSignatureHolds(s: SeenRequest, merchantPrivateKeyPem: string): boolean {
  const auth = String(s.headers.authorization ?? '');
  if (!auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return false;
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(auth)?.[1] ?? '';
  const message = `${s.method}\n${s.path}\n${field('timestamp')}\n${field('nonce_str')}\n${s.body}\n`;
  return createVerify('RSA-SHA256').update(message, 'utf8').verify(createPublicKey(merchantPrivateKeyPem), field('signature'), 'base64');
}

const ALIPAY_RECEIVER = '2088000000001503';
const WECHAT_RECEIVER = '1900015040';

describe('Alipay 分账 through the gateway', () => {
  it('settles the receiver\'s part with alipay.trade.order.settle, signed RSA2, and books the transfer once Alipay confirms', async () => {
    const proxy = await recordingProxy(alipay.url);
    const gw = gateway({ alipay: { url: proxy.url, credentials: alipayKeys } });
    const p = await pay(gw, 'alipay', { destination: ALIPAY_RECEIVER, platformFee: 1_500 });
    expect([p.status, p.body.status]).toEqual([201, 'succeeded']);
    await eventually(async () => (await booked(gw, p.orderId)).some((e) => e.kind === 'transfer'));

    const settles = proxy.seen.map((s) => new URLSearchParams(s.body)).filter((f) => f.get('method') === 'alipay.trade.order.settle');
    expect(settles).toHaveLength(1);
    const form = settles[0]!;
    expect(alipaySignatureHolds(form, String(alipayKeys.merchantPrivateKey))).toBe(true);
    const biz = JSON.parse(form.get('biz_content')!) as { out_request_no: string; trade_no: string; royalty_parameters: Array<Record<string, unknown>> };
    const payment = gw.store.payments.get(p.body.paymentId)!;
    expect(biz.trade_no).toBe(payment.providerPaymentId);
    expect(biz.out_request_no).toMatch(/^sp_[0-9a-f]{40}$/);
    expect(biz.royalty_parameters).toEqual([expect.objectContaining({ royalty_type: 'transfer', trans_in_type: 'userId', trans_in: ALIPAY_RECEIVER, amount: '85.00' })]);
    expect(payment.splitState).toBe('shared');
    // Control for the check itself: the same request with another amount does not verify.
    const tampered = new URLSearchParams(form);
    tampered.set('biz_content', form.get('biz_content')!.replace('"85.00"', '"86.00"'));
    expect(alipaySignatureHolds(tampered, String(alipayKeys.merchantPrivateKey))).toBe(false);

    // The books: the commission and the receiver's debt with the capture, the transfer once shared.
    const entries = await booked(gw, p.orderId);
    expect(entries.find((e) => e.kind === 'split')).toMatchObject({ commission: 1_500, destination: ALIPAY_RECEIVER });
    expect(entries.find((e) => e.kind === 'transfer')).toMatchObject({ amount: 8_500, destination: ALIPAY_RECEIVER });
    // And Alipay's bill lists the royalty: what the reconciliation judges the transfer against.
    expect(await reportedSplits(alipay.url, payment.providerPaymentId!)).toEqual([['split', 8_500]]);
  });

  it('a settle whose answer was lost stays pending, books no transfer, and is resumed query-first by the loop: settled once', async () => {
    const proxy = await recordingProxy(alipay.url, (s) => new URLSearchParams(s.body).get('method') === 'alipay.trade.order.settle');
    const gw = gateway({ alipay: { url: proxy.url, credentials: alipayKeys } });
    const p = await pay(gw, 'alipay', { destination: ALIPAY_RECEIVER, platformFee: 0 }, 2_000);
    await eventually(() => proxy.seen.some((s) => new URLSearchParams(s.body).get('method') === 'alipay.trade.order.settle'));
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.store.payments.get(p.body.paymentId)!.splitState).toBe('pending');
    expect((await booked(gw, p.orderId)).map((e) => e.kind)).not.toContain('transfer');

    await gw.recovery.runPass();
    const methods = proxy.seen.map((s) => new URLSearchParams(s.body).get('method'));
    // Asked first, found settled under the same number: not sent again.
    expect(methods.filter((m) => m === 'alipay.trade.order.settle')).toHaveLength(1);
    expect(methods).toContain('alipay.trade.order.settle.query');
    expect(gw.store.payments.get(p.body.paymentId)!.splitState).toBe('shared');
    expect((await booked(gw, p.orderId)).filter((e) => e.kind === 'transfer')).toEqual([expect.objectContaining({ amount: 2_000 })]);
  });

  it('with the splitOff regression books the transfer but never asks Alipay to settle (what the reconciliation must catch)', async () => {
    const proxy = await recordingProxy(alipay.url);
    const gw = gateway({ alipay: { url: proxy.url, credentials: alipayKeys } }, { splitOff: true });
    const p = await pay(gw, 'alipay', { destination: ALIPAY_RECEIVER, platformFee: 1_000 });
    await eventually(async () => (await booked(gw, p.orderId)).some((e) => e.kind === 'transfer'));
    expect(proxy.seen.map((s) => new URLSearchParams(s.body).get('method'))).not.toContain('alipay.trade.order.settle');
    expect(await reportedSplits(alipay.url, gw.store.payments.get(p.body.paymentId)!.providerPaymentId!)).toEqual([]);
  });
});

describe('WeChat Pay profit sharing through the gateway', () => {
  it('places the order with settle_info.profit_sharing, then POSTs /v3/profitsharing/orders signed per APIv3, and books the transfer once WeChat confirms', async () => {
    const proxy = await recordingProxy(wechat.url);
    const gw = gateway({ wechatpay: { url: proxy.url, credentials: wechatKeys, settleWithinMs: 3_000 } });
    const p = await pay(gw, 'wechatpay', { destination: WECHAT_RECEIVER, platformFee: 2_000 });
    expect([p.status, p.body.status]).toEqual([201, 'succeeded']);
    await eventually(async () => (await booked(gw, p.orderId)).some((e) => e.kind === 'transfer'));

    const order = proxy.seen.find((s) => s.method === 'POST' && s.path === '/v3/pay/transactions/jsapi')!;
    expect(JSON.parse(order.body)).toMatchObject({ settle_info: { profit_sharing: true } });
    const shares = proxy.seen.filter((s) => s.method === 'POST' && s.path === '/v3/profitsharing/orders');
    expect(shares).toHaveLength(1);
    expect(wechatSignatureHolds(shares[0]!, String(wechatKeys.merchantPrivateKey))).toBe(true);
    expect(wechatSignatureHolds({ ...shares[0]!, body: shares[0]!.body.replace('"amount":8000', '"amount":8001') }, String(wechatKeys.merchantPrivateKey))).toBe(false);
    const payment = gw.store.payments.get(p.body.paymentId)!;
    expect(JSON.parse(shares[0]!.body)).toEqual({
      appid: wechatKeys.appid,
      transaction_id: payment.providerPaymentId,
      out_order_no: expect.stringMatching(/^sp_[0-9a-f]{40}$/),
      receivers: [{ type: 'MERCHANT_ID', account: WECHAT_RECEIVER, amount: 8_000, description: expect.any(String) }],
      unfreeze_unsplit: true,
    });
    expect((await booked(gw, p.orderId)).find((e) => e.kind === 'transfer')).toMatchObject({ amount: 8_000, destination: WECHAT_RECEIVER });
    expect(await reportedSplits(wechat.url, payment.providerPaymentId!)).toEqual([['split', 8_000]]);
  });

  it('a share whose answer was lost is resumed by GET /v3/profitsharing/orders/{out_order_no} first: shared once', async () => {
    const proxy = await recordingProxy(wechat.url, (s) => s.method === 'POST' && s.path === '/v3/profitsharing/orders');
    const gw = gateway({ wechatpay: { url: proxy.url, credentials: wechatKeys, settleWithinMs: 3_000 } });
    const p = await pay(gw, 'wechatpay', { destination: WECHAT_RECEIVER, platformFee: 500 }, 3_000);
    await eventually(() => proxy.seen.some((s) => s.path === '/v3/profitsharing/orders'));
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.store.payments.get(p.body.paymentId)!.splitState).toBe('pending');
    expect((await booked(gw, p.orderId)).map((e) => e.kind)).not.toContain('transfer');

    await gw.recovery.runPass();
    expect(proxy.seen.filter((s) => s.method === 'POST' && s.path === '/v3/profitsharing/orders')).toHaveLength(1);
    expect(proxy.seen.some((s) => s.method === 'GET' && s.path.startsWith('/v3/profitsharing/orders/sp_'))).toBe(true);
    expect((await booked(gw, p.orderId)).filter((e) => e.kind === 'transfer')).toEqual([expect.objectContaining({ amount: 2_500 })]);
  });
});

describe('a split the provider could not share', () => {
  it('is refused 400 before any call when the destination is not an Alipay user id, naming the field and what it takes', async () => {
    const proxy = await recordingProxy(alipay.url);
    const gw = gateway({ alipay: { url: proxy.url, credentials: alipayKeys } });
    const orderId = `cnsplit-${process.pid}-bad`;
    const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1_000, currency: 'cny', paymentMethod: 'pm_alipay', provider: 'alipay', split: { destination: 'acct_seller', platformFee: 100 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', message: expect.stringMatching(/^split\.destination: alipay .*2088/) } });
    expect(proxy.seen).toEqual([]);
  });
});
