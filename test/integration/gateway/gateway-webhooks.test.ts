import { createHmac, generateKeyPairSync, randomBytes, createSign } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../../gateway/index.js';
import { startAdyenSim, startAlipaySim, startPaypalSim, startStripeSim, startWechatPaySim } from '../../../simulators/index.js';

/**
 * POST /webhooks/{provider} on the whole gateway: notifications verified with the credentials of
 * the provider's connection, recorded once in the inbox and applied to the payment — the same
 * event twice, out of order, or before the API answer, all end in one consistent state. Real
 * notifications come from the Stripe simulator (recorded, then replayed in the order a test
 * wants); the ones no simulator sends (a late failure, a forgery) are made as Stripe documents
 * (HMAC-SHA256 of `${t}.${body}` with the endpoint secret).
 */
const SECRET = 'whsec_gateway_wiring';
let stripe: Awaited<ReturnType<typeof startStripeSim>>;
const recorded: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let recorderClose: () => Promise<void>;
let recorderUrl: string;
/** Back to the plain profile, still delivering to the recorder. */
const plain = (): void => void stripe.behaviour.apply({ webhooks: { url: recorderUrl } });
const withFault = (profile: Record<string, unknown>): void => void stripe.behaviour.apply({ ...profile, webhooks: { url: recorderUrl } });

beforeAll(async () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      recorded.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  recorderClose = () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  recorderUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  stripe = await startStripeSim({ seed: 401, webhookSecret: SECRET, profile: { webhooks: { url: recorderUrl } } });
});
afterAll(async () => {
  await stripe?.close();
  await recorderClose?.();
});

function gateway(extra: Partial<GatewayOptions> = {}): BuiltGateway {
  const gw = buildGateway({ providers: { stripe: { url: stripe.url, credentials: { webhookSecret: SECRET } } }, recovery: { intervalMs: 3_600_000 }, ...extra });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
const newOrder = () => `wh_${process.pid}_${++n}`;
const pay = (gw: BuiltGateway, orderId: string, paymentMethod = 'pm_card_visa') =>
  gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'eur', paymentMethod } });
const deliver = (gw: BuiltGateway, d: { headers: IncomingHttpHeaders; body: string }) =>
  gw.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': String(d.headers['stripe-signature']) }, payload: d.body });

/** A Stripe event signed as Stripe signs (or with another secret: a forgery). */
function stripeEvent(type: string, object: Record<string, unknown>, secret = SECRET) {
  const body = JSON.stringify({ id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return { headers: { 'stripe-signature': `t=${t},v1=${v1}` }, body };
}

/** The simulator's notification of a type for an order (it delivers asynchronously: waited for, bounded). */
async function recordedFor(orderId: string, type: string) {
  for (let i = 0; i < 100; i++) {
    // Stripe pretty-prints its events: match the type and the order whatever the spacing.
    const d = recorded.find((r) => new RegExp(`"type":\\s*"${type.replace('.', '\\.')}"`).test(r.body) && r.body.includes(`"${orderId}"`));
    if (d) return d;
    await sleep(50);
  }
  throw new Error(`no ${type} for ${orderId} from the simulator in 5 s`);
}

describe('webhooks applied to payments', () => {
  it('the same notification twice is applied once; a late failure never overrides a success; refunds are not booked twice', async () => {
    const gw = gateway();
    const orderId = newOrder();
    const paid = (await pay(gw, orderId)).json();
    expect(paid.status).toBe('succeeded');
    const succeeded = await recordedFor(orderId, 'payment_intent.succeeded');
    for (let i = 0; i < 2; i++) expect((await deliver(gw, succeeded)).statusCode).toBe(200);
    expect(gw.store.db.prepare('SELECT count(*) AS n FROM webhook_inbox WHERE provider = ? AND payment_id = ?').get('stripe', paid.paymentId)).toEqual({ n: 1 });
    expect(gw.store.ledger.captured(paid.paymentId)).toBe(1500);

    const refund = await gw.app.inject({ method: 'POST', url: `/payments/${paid.paymentId}/refunds`, headers: { 'idempotency-key': 'r' }, payload: { amount: 500 } });
    expect(refund.json().status).toBe('succeeded');
    const refunded = await recordedFor(orderId, 'charge.refunded');
    expect((await deliver(gw, refunded)).statusCode).toBe(200);
    // The running total (500) adds nothing to what the API path booked.
    expect(gw.store.ledger.refunded(paid.paymentId)).toBe(500);

    // Out of order: a failure dated after the success arrives last. Money moved: still succeeded.
    const failed = stripeEvent('payment_intent.payment_failed', { id: paid.providerPaymentId, object: 'payment_intent', amount: 1500, currency: 'eur', metadata: { order_id: orderId }, last_payment_error: { code: 'card_declined' } });
    expect((await deliver(gw, failed)).statusCode).toBe(200);
    // And the success again, late: nothing changes either.
    expect((await deliver(gw, succeeded)).statusCode).toBe(200);
    expect(gw.store.payments.get(paid.paymentId)).toMatchObject({ status: 'succeeded' });
    expect((await gw.app.inject({ method: 'GET', url: `/payments/${paid.paymentId}` })).json().status).toBe('succeeded');
    expect(gw.store.ledger.captured(paid.paymentId)).toBe(1500);
    expect(gw.store.ledger.refunded(paid.paymentId)).toBe(500);
    expect(gw.store.ledger.unbalancedEntries()).toEqual([]);
  });

  it('a notification that arrives before the API answer settles the payment; the answer agrees; one capture', async () => {
    const gw = gateway();
    const orderId = newOrder();
    withFault({ latency: { kind: 'fixed', value: 800 } });
    onTestFinished(plain);
    const answer = pay(gw, orderId);
    // While the charge is in flight the provider's notification lands first.
    let row;
    for (let i = 0; i < 40 && !(row = gw.store.payments.forOrder(orderId)); i++) await sleep(10);
    expect(row?.status).toBe('pending');
    const early = stripeEvent('payment_intent.succeeded', { id: 'pi_early', object: 'payment_intent', amount: 1500, amount_received: 1500, currency: 'eur', metadata: { order_id: orderId } });
    expect((await deliver(gw, early)).statusCode).toBe(200);
    expect(gw.store.payments.forOrder(orderId)?.status).toBe('succeeded');
    const res = await answer;
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'succeeded' });
    expect(gw.store.ledger.captured(res.json().paymentId)).toBe(1500);
    expect(stripe.ledger.byOrder(orderId).filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('a notification settles a payment the API left pending ("charged, then 500")', async () => {
    const gw = gateway();
    const orderId = newOrder();
    withFault({ commitThenError: { rate: 1, status: 500 } });
    onTestFinished(plain);
    const res = await pay(gw, orderId);
    plain();
    expect(res.statusCode).toBe(502);
    expect(res.json().status).toBe('pending');
    // Stripe's word that the charge went through (signed as Stripe signs; the simulator's own
    // event for a 500'd call is not one it sends).
    const succeeded = stripeEvent('payment_intent.succeeded', { id: 'pi_late', object: 'payment_intent', amount: 1500, amount_received: 1500, currency: 'eur', metadata: { order_id: orderId } });
    expect((await deliver(gw, succeeded)).statusCode).toBe(200);
    expect(gw.store.payments.get(res.json().paymentId)).toMatchObject({ status: 'succeeded', providerPaymentId: 'pi_late' });
    expect(gw.store.ledger.captured(res.json().paymentId)).toBe(1500);
    // The order's status, as the shop polls it, is the settled one.
    expect((await gw.app.inject({ method: 'GET', url: `/payments/${orderId}` })).json()).toMatchObject({ status: 'succeeded', paymentId: res.json().paymentId });
  });

  it('a forged success is rejected (401) and changes nothing; with the ignoreWebhookSignature regression it is applied (negative control)', async () => {
    const forge = (orderId: string) => stripeEvent('payment_intent.succeeded', { id: 'pi_forged', object: 'payment_intent', amount: 1500, amount_received: 1500, currency: 'eur', metadata: { order_id: orderId } }, 'whsec_not_the_secret');
    for (const regression of [{}, { ignoreWebhookSignature: true }]) {
      const gw = gateway({ regression });
      const orderId = newOrder();
      withFault({ outcomes: { card_declined: 1 } });
      const declined = (await pay(gw, orderId)).json();
      plain();
      expect(declined.status).toBe('failed');
      const res = await deliver(gw, forge(orderId));
      const after = gw.store.payments.get(declined.paymentId)!;
      if (regression.ignoreWebhookSignature) {
        expect(res.statusCode).toBe(200);
        // The bug: goods shipped for a payment that never happened.
        expect(after.status).toBe('succeeded');
      } else {
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE');
        expect(after.status).toBe('failed');
        expect(gw.store.ledger.captured(declined.paymentId) === 0).toBe(true);
      }
    }
  });
});

describe('forgeries refused for every provider', () => {
  const sims: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  it('stripe, adyen, alipay, wechatpay and paypal: a notification signed with another key is 401 BAD_SIGNATURE and never reaches the inbox', async () => {
    const [adyen, alipay, wechat, paypal] = await Promise.all([startAdyenSim({ seed: 402 }), startAlipaySim({ seed: 403 }), startWechatPaySim({ seed: 404 }), startPaypalSim({ seed: 405 })]);
    sims.push(adyen, alipay, wechat, paypal);
    const keysOf = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, string>;
    const [ak, wk, pk] = await Promise.all([keysOf(alipay.url), keysOf(wechat.url), keysOf(paypal.url)]);
    const gw = buildGateway({
      providers: {
        stripe: { url: stripe.url, credentials: { webhookSecret: SECRET } },
        adyen: { url: adyen.url, credentials: { hmacKey: adyen.hmacKey } },
        alipay: { url: alipay.url, credentials: ak },
        wechatpay: { url: wechat.url, credentials: wk },
        paypal: { url: paypal.url, credentials: pk },
      },
      recovery: { intervalMs: 3_600_000 },
    });
    onTestFinished(() => gw.close());
    // The forger's own RSA key: well-formed signatures that verify with nothing the gateway trusts.
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const rsa = (text: string) => createSign('RSA-SHA256').update(text).sign(forger, 'base64');
    const now = Math.floor(Date.now() / 1000);
    const stripeForged = stripeEvent('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent', amount: 1, currency: 'eur', metadata: { order_id: 'o' } }, 'whsec_forger');
    const adyenItem = { pspReference: 'PSP1', merchantAccountCode: 'Acc', merchantReference: 'o', amount: { value: 1, currency: 'EUR' }, eventCode: 'AUTHORISATION', success: 'true', additionalData: { hmacSignature: createHmac('sha256', Buffer.from('00ff', 'hex')).update('x').digest('base64') } };
    const alipayFields = { app_id: ak.appId!, notify_id: 'n1', out_trade_no: 'o', trade_status: 'TRADE_SUCCESS', total_amount: '0.01', charset: 'utf-8' };
    const alipayContent = Object.keys(alipayFields).sort().map((k) => `${k}=${alipayFields[k as keyof typeof alipayFields]}`).join('&');
    const wechatBody = JSON.stringify({ id: 'w1', event_type: 'TRANSACTION.SUCCESS', resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'AAAA', nonce: 'n', associated_data: 'transaction' } });
    const paypalBody = JSON.stringify({ id: 'WH-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} });
    const forgeries: Array<[string, Record<string, string>, string]> = [
      ['stripe', { 'content-type': 'application/json', ...stripeForged.headers }, stripeForged.body],
      ['adyen', { 'content-type': 'application/json' }, JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: adyenItem }] })],
      ['alipay', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ ...alipayFields, sign_type: 'RSA2', sign: rsa(alipayContent) }).toString()],
      ['wechatpay', { 'content-type': 'application/json', 'wechatpay-serial': wk.platformSerial!, 'wechatpay-timestamp': String(now), 'wechatpay-nonce': 'abc', 'wechatpay-signature': rsa(`${now}\nabc\n${wechatBody}\n`) }, wechatBody],
      ['paypal', { 'content-type': 'application/json', 'paypal-transmission-id': 't1', 'paypal-transmission-time': new Date().toISOString(), 'paypal-transmission-sig': rsa('t1|x'), 'paypal-auth-algo': 'SHA256withRSA', 'paypal-cert-url': 'https://api.paypal.com/cert' }, paypalBody],
    ];
    for (const [provider, headers, payload] of forgeries) {
      const res = await gw.app.inject({ method: 'POST', url: `/webhooks/${provider}`, headers, payload });
      expect([provider, res.statusCode, res.json().error?.code]).toEqual([provider, 401, 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE']);
    }
    expect(gw.store.db.prepare('SELECT count(*) AS n FROM webhook_inbox').get()).toEqual({ n: 0 });
  });
});
