import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AdyenClient, AlipayClient, PaypalClient, StripeClient, WechatPayClient, alipayOutTradeNo, wechatOutTradeNo } from '../../../gateway/clients/index.js';
import { STRIPE_TOLERANCE_S, ackFor, webhookRoutes, type WebhookEvent, verifyAdyen, verifyAlipay, verifyPaypal, verifyStripe, verifyWechatPay, type VerifyResult } from '../../../gateway/webhooks/index.js';
import { ManualClock } from '../../../src/kernel/index.js';
import { startAdyenSim, startAlipaySim, startPaypalSim, startStripeSim, startWechatPaySim } from '../../../simulators/index.js';

/**
 * Every provider's verifier against real notifications: the simulator signs and sends them to a
 * receiver on 127.0.0.1, the test verifies what arrived byte for byte — then the negative
 * controls: the same body with one byte changed, a wrong key, a stale timestamp, each refused.
 */
interface Delivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A receiver that keeps every delivery as it arrived and answers the provider's ack, so the simulator stops retrying. */
async function receiver(provider: string) {
  const deliveries: Delivery[] = [];
  const ack = ackFor(provider);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(ack.status, { 'content-type': ack.contentType }).end(ack.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/${provider}`;
  /** The first delivery whose verified event matches, waited for (bounded). */
  const waitFor = async (verify: (d: Delivery) => VerifyResult, match: (r: VerifyResult) => boolean, tick?: () => void): Promise<Delivery> => {
    for (let i = 0; i < 100; i++) {
      const found = deliveries.find((d) => match(verify(d)));
      if (found) return found;
      tick?.();
      await sleep(50);
    }
    throw new Error(`no matching ${provider} notification in 5 s (got ${deliveries.length})`);
  };
  return { url, deliveries, waitFor };
}

const keysOf = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;
const pemOfNewPublicKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The body with the byte at `at` (first occurrence of `needle`, plus offset) changed. */
function flip(body: Buffer, needle: string, offset = 0): Buffer {
  const out = Buffer.from(body);
  const at = out.indexOf(needle) + offset;
  expect(at).toBeGreaterThanOrEqual(offset);
  out[at] = out[at] === 0x31 ? 0x32 : 0x31;
  return out;
}

const ok = (type: string) => (r: VerifyResult) => r.ok && r.event.type === type;
const refusedAs = (code: string) => expect.objectContaining({ ok: false, code });
const BAD_SIGNATURE = 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE';


/**
 * The same delivery through POST /webhooks/:provider of an in-test app: answered with the
 * provider's ack and handed to onEvent; with one byte changed, 401 and nothing handed on.
 */
async function throughRoutes(provider: string, credentials: Record<string, unknown>, d: Delivery, tampered: Buffer): Promise<void> {
  const events: WebhookEvent[] = [];
  const app = Fastify();
  await app.register(webhookRoutes({ credentialsOf: (p) => (p === provider ? credentials : undefined), onEvent: (e) => void events.push(e) }));
  onTestFinished(() => app.close());
  const headers = Object.fromEntries(Object.entries(d.headers).filter(([k]) => k !== 'content-length' && k !== 'host' && k !== 'connection')) as Record<string, string>;
  const good = await app.inject({ method: 'POST', url: `/webhooks/${provider}`, headers, payload: d.body });
  const ack = ackFor(provider);
  expect({ status: good.statusCode, body: good.body }).toEqual({ status: ack.status, body: ack.body });
  expect(events).toHaveLength(1);
  const bad = await app.inject({ method: 'POST', url: `/webhooks/${provider}`, headers, payload: tampered });
  expect(bad.statusCode).toBe(401);
  expect(bad.json()).toMatchObject({ error: { code: BAD_SIGNATURE } });
  expect(events).toHaveLength(1);
}

describe('Stripe-Signature', () => {
  it('verifies a real payment_intent.succeeded and refund, and refuses a changed byte, a wrong secret and a stale timestamp', async () => {
    const rx = await receiver('stripe');
    const sim = await startStripeSim({ seed: 201, webhookSecret: 'whsec_lifecycle_test', profile: { webhooks: { url: rx.url } } });
    onTestFinished(() => sim.close());
    const client = new StripeClient({ url: sim.url });
    onTestFinished(() => client.close());
    const creds = { webhookSecret: 'whsec_lifecycle_test' };
    const v = (d: Delivery) => verifyStripe(d.headers, d.body, creds);

    const paid = await client.charge({ orderId: 'wh-stripe-1', amount: 2500, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-wh-stripe-1' });
    const d = await rx.waitFor(v, ok('payment.succeeded'));
    expect(v(d)).toMatchObject({ ok: true, event: { provider: 'stripe', type: 'payment.succeeded', providerType: 'payment_intent.succeeded', providerPaymentId: paid.paymentId, merchantReference: 'wh-stripe-1', amount: 2500, currency: 'eur', eventId: expect.stringMatching(/^evt_/) } });

    await client.refund({ orderId: 'wh-stripe-1', paymentId: paid.paymentId!, amount: 700, capturedAmount: 2500, currency: 'eur', refundKey: 'rf-wh-stripe-1' });
    const r = await rx.waitFor(v, ok('refund.succeeded'));
    expect(v(r)).toMatchObject({ ok: true, event: { type: 'refund.succeeded', amount: 700, providerPaymentId: paid.paymentId, refundId: expect.stringMatching(/^re_/), merchantReference: 'wh-stripe-1' } });

    expect(verifyStripe(d.headers, flip(d.body, '"amount"', 10), creds)).toEqual(refusedAs(BAD_SIGNATURE));
    await throughRoutes('stripe', creds, d, flip(d.body, '"amount"', 10));
    // Negative control: the changed body, re-signed with the right secret, is taken (with its changed amount),
    // so the refusal above is the signature's doing, not a body the change made unreadable.
    const changed = flip(d.body, '"amount_received"', 19);
    const now = Math.floor(Date.now() / 1000);
    const resigned = `t=${now},v1=${createHmac('sha256', creds.webhookSecret).update(`${now}.`).update(changed).digest('hex')}`;
    const taken = verifyStripe({ 'stripe-signature': resigned }, changed, creds);
    expect(taken).toMatchObject({ ok: true, event: { eventId: (v(d) as { event: { eventId: string } }).event.eventId } });
    expect((taken as { event: { amount?: number } }).event.amount).not.toBe(2500);
    expect(verifyStripe(d.headers, d.body, { webhookSecret: 'whsec_someone_else' })).toEqual(refusedAs(BAD_SIGNATURE));
    const t = Number(/t=(\d+)/.exec(String(d.headers['stripe-signature']))![1]) * 1000;
    // The tolerance's edge: just inside is taken, just outside is a replay.
    expect(verifyStripe(d.headers, d.body, creds, { now: () => t + (STRIPE_TOLERANCE_S - 1) * 1000 }).ok).toBe(true);
    expect(verifyStripe(d.headers, d.body, creds, { now: () => t + (STRIPE_TOLERANCE_S + 1) * 1000 })).toEqual(refusedAs(BAD_SIGNATURE));
    expect(verifyStripe({}, d.body, creds)).toEqual(refusedAs('PAYCHAOS_ERR_GATEWAY_WEBHOOK_MALFORMED'));
  });
});

describe('Adyen HMAC', () => {
  it('verifies real AUTHORISATION and REFUND notifications (a refused over-refund included), and refuses a changed signed field and a wrong key', async () => {
    const rx = await receiver('adyen');
    const hmacKey = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
    const sim = await startAdyenSim({ seed: 202, hmacKey, profile: { webhooks: { url: rx.url } } });
    onTestFinished(() => sim.close());
    const client = new AdyenClient({ url: sim.url });
    onTestFinished(() => client.close());
    const creds = { hmacKey, merchantAccount: 'PaychaosECOM' };
    const v = (d: Delivery) => verifyAdyen(d.headers, d.body, creds);

    const paid = await client.charge({ orderId: 'wh-adyen-1', amount: 3000, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-wh-adyen-1' });
    const d = await rx.waitFor(v, ok('payment.succeeded'));
    expect(v(d)).toMatchObject({ ok: true, event: { provider: 'adyen', type: 'payment.succeeded', providerType: 'AUTHORISATION', providerPaymentId: paid.paymentId, merchantReference: 'wh-adyen-1', amount: 3000, currency: 'eur', eventId: `${paid.paymentId}:AUTHORISATION:true` } });

    const full = await client.refund({ orderId: 'wh-adyen-1', paymentId: paid.paymentId!, amount: 3000, capturedAmount: 3000, currency: 'eur', refundKey: 'rf-wh-adyen-1' });
    const over = await client.refund({ orderId: 'wh-adyen-1', paymentId: paid.paymentId!, amount: 1, capturedAmount: 3000, currency: 'eur', refundKey: 'rf-wh-adyen-2' });
    const refunded = await rx.waitFor(v, (r) => r.ok && r.event.type === 'refund.succeeded');
    expect(v(refunded)).toMatchObject({ ok: true, event: { refundId: full.refundId, providerPaymentId: paid.paymentId, amount: 3000 } });
    // Adyen refuses the refund beyond the capture in its notification, not in the 201.
    const refused = await rx.waitFor(v, (r) => r.ok && r.event.type === 'refund.failed');
    expect(v(refused)).toMatchObject({ ok: true, event: { refundId: over.refundId, providerPaymentId: paid.paymentId, amount: 1 } });
    expect(sim.ledger.byOrder('wh-adyen-1').filter((e) => e.kind === 'refund').map((e) => e.amount)).toEqual([3000]);

    expect(verifyAdyen(d.headers, flip(d.body, '"value":', 8), creds)).toEqual(refusedAs(BAD_SIGNATURE));
    await throughRoutes('adyen', creds, d, flip(d.body, '"value":', 8));
    expect(verifyAdyen(d.headers, d.body, { hmacKey: 'AA'.repeat(32) })).toEqual(refusedAs(BAD_SIGNATURE));
    expect(verifyAdyen(d.headers, d.body, { hmacKey, merchantAccount: 'SomeoneElse' })).toEqual(refusedAs(BAD_SIGNATURE));
  });

  it('closes the loop on cancels: CANCELLATION of a held authorisation is payment.cancelled; TECHNICAL_CANCEL of a captured one is cancel.failed', async () => {
    const rx = await receiver('adyen');
    const sim = await startAdyenSim({ seed: 208, profile: { webhooks: { url: rx.url } } });
    onTestFinished(() => sim.close());
    const client = new AdyenClient({ url: sim.url });
    onTestFinished(() => client.close());
    const creds = { hmacKey: sim.hmacKey };
    const v = (d: Delivery) => verifyAdyen(d.headers, d.body, creds);
    const held = (await (await fetch(`${sim.url}/v71/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ merchantAccount: 'PaychaosECOM', amount: { value: 900, currency: 'EUR' }, reference: 'wh-adyen-hold', paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: 'Paychaos Shopper' }, returnUrl: 'https://x.invalid/r', additionalData: { manualCapture: 'true' } }),
    })).json()) as { pspReference: string };
    const cancel = await client.cancel({ orderId: 'wh-adyen-hold', paymentId: held.pspReference, cancelKey: 'cx-wh-adyen-hold' });
    const cancelled = await rx.waitFor(v, ok('payment.cancelled'));
    expect(v(cancelled)).toMatchObject({ ok: true, event: { providerType: 'CANCELLATION', providerPaymentId: held.pspReference, eventId: `${cancel.cancelId}:CANCELLATION:true` } });

    await client.charge({ orderId: 'wh-adyen-captured', amount: 900, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-wh-adyen-captured' });
    await client.cancel({ orderId: 'wh-adyen-captured', cancelKey: 'cx-wh-adyen-captured' });
    const refused = await rx.waitFor(v, ok('cancel.failed'));
    expect(v(refused)).toMatchObject({ ok: true, event: { providerType: 'TECHNICAL_CANCEL' } });
    expect(sim.ledger.byOrder('wh-adyen-captured').filter((e) => e.kind === 'void')).toEqual([]);
  });

  it('does not cover fields outside the documented concatenation (eventDate): a documented limit of Adyen HMAC', async () => {
    const rx = await receiver('adyen');
    const sim = await startAdyenSim({ seed: 203, profile: { webhooks: { url: rx.url } } });
    onTestFinished(() => sim.close());
    const client = new AdyenClient({ url: sim.url });
    onTestFinished(() => client.close());
    const creds = { hmacKey: sim.hmacKey };
    await client.charge({ orderId: 'wh-adyen-2', amount: 100, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-wh-adyen-2' });
    const d = await rx.waitFor((x) => verifyAdyen(x.headers, x.body, creds), ok('payment.succeeded'));
    expect(verifyAdyen(d.headers, flip(d.body, '"eventDate":"', 14), creds).ok).toBe(true);
  });
});

describe('Alipay RSA2 notify', () => {
  it('verifies a real TRADE_SUCCESS and refund notify, and refuses a changed byte, the wrong public key and another app_id', async () => {
    const rx = await receiver('alipay');
    const sim = await startAlipaySim({ seed: 204, profile: { webhooks: { url: rx.url } } });
    onTestFinished(() => sim.close());
    const keys = await keysOf(sim.url);
    const client = new AlipayClient({ url: sim.url, credentials: keys });
    onTestFinished(() => client.close());
    const creds = { appId: keys.appId, alipayPublicKey: keys.alipayPublicKey };
    const v = (d: Delivery) => verifyAlipay(d.headers, d.body, creds);

    const paid = await client.charge({ orderId: 'wh-alipay-1', amount: 1234, currency: 'cny', paymentMethod: 'pm_alipay', providerKey: 'k-wh-alipay-1' });
    const d = await rx.waitFor(v, ok('payment.succeeded'));
    expect(v(d)).toMatchObject({ ok: true, event: { provider: 'alipay', type: 'payment.succeeded', providerType: 'TRADE_SUCCESS', providerPaymentId: paid.paymentId, merchantReference: alipayOutTradeNo('wh-alipay-1'), amount: 1234, currency: 'cny', occurredAt: expect.stringMatching(/\+08:00$/) } });

    await client.refund({ orderId: 'wh-alipay-1', amount: 234, capturedAmount: 1234, currency: 'cny', refundKey: 'rf-wh-alipay-1' });
    // refund_fee is the trade's refunded total so far: a running total, as Stripe's charge.refunded.
    const r = await rx.waitFor(v, ok('payment.refunded'));
    expect(v(r)).toMatchObject({ ok: true, event: { type: 'payment.refunded', amount: 234, providerPaymentId: paid.paymentId } });
    expect(v(r).ok && v(d).ok && (v(r) as { event: { eventId: string } }).event.eventId !== (v(d) as { event: { eventId: string } }).event.eventId).toBe(true);
    // A second refund's notification carries the total, 234 + 100, not the 100 of this refund.
    await client.refund({ orderId: 'wh-alipay-1', amount: 100, capturedAmount: 1234, currency: 'cny', refundKey: 'rf-wh-alipay-2' });
    const r2 = await rx.waitFor(v, (x) => x.ok && x.event.type === 'payment.refunded' && x.event.amount !== 234);
    expect(v(r2)).toMatchObject({ ok: true, event: { type: 'payment.refunded', amount: 334 } });

    expect(verifyAlipay(d.headers, flip(d.body, 'total_amount=', 13), creds)).toEqual(refusedAs(BAD_SIGNATURE));
    await throughRoutes('alipay', creds, d, flip(d.body, 'total_amount=', 13));
    expect(verifyAlipay(d.headers, d.body, { ...creds, alipayPublicKey: pemOfNewPublicKey() })).toEqual(refusedAs(BAD_SIGNATURE));
    expect(verifyAlipay(d.headers, d.body, { ...creds, appId: '2021009999999999' })).toEqual(refusedAs(BAD_SIGNATURE));
  });
});

describe('WeChat Pay APIv3 notify', () => {
  it('verifies and decrypts a real TRANSACTION.SUCCESS and REFUND.SUCCESS, and refuses a changed byte, the wrong platform key and the wrong APIv3 key', async () => {
    const rx = await receiver('wechatpay');
    const clock = new ManualClock(Date.now());
    const sim = await startWechatPaySim({ seed: 205, clock });
    onTestFinished(() => sim.close());
    const keys = await keysOf(sim.url);
    const client = new WechatPayClient({ url: sim.url, credentials: { ...keys, notifyUrl: rx.url }, settleWithinMs: 0 });
    onTestFinished(() => client.close());
    const creds = { platformSerial: keys.platformSerial, platformPublicKey: keys.platformPublicKey, apiV3Key: keys.apiV3Key };
    const v = (d: Delivery) => verifyWechatPay(d.headers, d.body, creds);

    await client.charge({ orderId: 'wh-wechat-1', amount: 888, currency: 'cny', paymentMethod: 'pm_wechatpay', providerKey: 'k-wh-wechat-1' });
    expect((await fetch(`${sim.url}/__sim/payer/${wechatOutTradeNo('wh-wechat-1')}?action=pay`, { method: 'POST' })).ok).toBe(true);
    // WeChat's first notification waits 15 s (on the simulator's clock).
    const d = await rx.waitFor(v, ok('payment.succeeded'), () => clock.advance(15_000));
    const event = v(d);
    expect(event).toMatchObject({ ok: true, event: { provider: 'wechatpay', type: 'payment.succeeded', providerType: 'TRANSACTION.SUCCESS', merchantReference: wechatOutTradeNo('wh-wechat-1'), amount: 888, currency: 'cny', providerPaymentId: expect.stringMatching(/^42000/) } });

    await client.refund({ orderId: 'wh-wechat-1', amount: 88, capturedAmount: 888, currency: 'cny', refundKey: 'rf-wh-wechat-1' });
    const r = await rx.waitFor(v, ok('refund.succeeded'), () => clock.advance(15_000));
    expect(v(r)).toMatchObject({ ok: true, event: { type: 'refund.succeeded', amount: 88, refundId: expect.any(String), merchantReference: wechatOutTradeNo('wh-wechat-1') } });

    expect(verifyWechatPay(d.headers, flip(d.body, '"ciphertext":"', 20), creds)).toEqual(refusedAs(BAD_SIGNATURE));
    await throughRoutes('wechatpay', creds, d, flip(d.body, '"ciphertext":"', 20));
    expect(verifyWechatPay(d.headers, d.body, { ...creds, platformPublicKey: pemOfNewPublicKey() })).toEqual(refusedAs(BAD_SIGNATURE));
    // The signature holds, but the resource does not decrypt: the GCM tag authenticates it under the APIv3 key.
    expect(verifyWechatPay(d.headers, d.body, { ...creds, apiV3Key: 'x'.repeat(32) })).toEqual(refusedAs(BAD_SIGNATURE));
    expect(verifyWechatPay(d.headers, d.body, { ...creds, platformSerial: 'ANOTHER_SERIAL' })).toEqual(refusedAs(BAD_SIGNATURE));
    const ts = Number(d.headers['wechatpay-timestamp']) * 1000;
    expect(verifyWechatPay(d.headers, d.body, creds, { now: () => ts + 301_000 })).toEqual(refusedAs(BAD_SIGNATURE));
  });
});

describe('PayPal CRC32 + certificate', () => {
  it('verifies a real PAYMENT.CAPTURE.COMPLETED and REFUNDED with the pinned certificate, and refuses a changed byte, another certificate and another webhook id', async () => {
    const rx = await receiver('paypal');
    const [sim, other] = await Promise.all([startPaypalSim({ seed: 206, autoApprove: true, profile: { webhooks: { url: rx.url } } }), startPaypalSim({ seed: 207 })]);
    onTestFinished(() => Promise.all([sim.close(), other.close()]).then(() => undefined));
    const keys = await keysOf(sim.url);
    const client = new PaypalClient({ url: sim.url, credentials: keys });
    onTestFinished(() => client.close());
    const creds = { webhookId: keys.webhookId, webhookCertificate: keys.webhookCertificate };
    const v = (d: Delivery) => verifyPaypal(d.headers, d.body, creds);

    const paid = await client.charge({ orderId: 'wh-paypal-1', amount: 4250, currency: 'usd', paymentMethod: 'pm_paypal', providerKey: 'k-wh-paypal-1' });
    const d = await rx.waitFor(v, ok('payment.succeeded'));
    expect(v(d)).toMatchObject({ ok: true, event: { provider: 'paypal', type: 'payment.succeeded', providerType: 'PAYMENT.CAPTURE.COMPLETED', amount: 4250, currency: 'usd', eventId: expect.stringMatching(/^WH-/) } });
    expect((v(d) as { event: { providerPaymentId?: string; merchantReference?: string } }).event).toMatchObject({ merchantReference: 'wh-paypal-1' });
    expect((v(d) as { event: { providerPaymentId?: string } }).event.providerPaymentId).toBe(paid.paymentId);

    await client.refund({ orderId: 'wh-paypal-1', paymentId: paid.paymentId!, amount: 250, capturedAmount: 4250, currency: 'usd', refundKey: 'rf-wh-paypal-1' });
    const r = await rx.waitFor(v, ok('refund.succeeded'));
    expect(v(r)).toMatchObject({ ok: true, event: { type: 'refund.succeeded', amount: 250, refundId: expect.any(String) } });

    expect(verifyPaypal(d.headers, flip(d.body, '"value":"', 9), creds)).toEqual(refusedAs(BAD_SIGNATURE));
    await throughRoutes('paypal', creds, d, flip(d.body, '"value":"', 9));
    const otherKeys = await keysOf(other.url);
    expect(verifyPaypal(d.headers, d.body, { ...creds, webhookCertificate: otherKeys.webhookCertificate })).toEqual(refusedAs(BAD_SIGNATURE));
    expect(verifyPaypal(d.headers, d.body, { ...creds, webhookId: 'WH-SOMEONE-ELSE' })).toEqual(refusedAs(BAD_SIGNATURE));
  });
});

describe('ackFor', () => {
  it.each([
    ['stripe', 200, undefined],
    ['adyen', 200, '[accepted]'],
    ['alipay', 200, 'success'],
    ['wechatpay', 200, '{"code":"SUCCESS","message":"成功"}'],
    ['paypal', 200, undefined],
  ])('%s is acknowledged with %i %s', (provider, status, body) => {
    const ack = ackFor(provider);
    expect(ack.status).toBe(status);
    if (body !== undefined) expect(ack.body).toBe(body);
  });
});
