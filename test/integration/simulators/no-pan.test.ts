import { createDecipheriv, createHash, createPrivateKey, createSign, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeForm } from '../../../simulators/core/index.js';
import { startSimulator, wiremockLedger, type NativeSimulatorName, type StartedNativeSimulator, type StartedWireMockSimulator } from '../../../simulators/index.js';
import { findJava } from '../../../simulators/wiremock/index.js';
import { isReferenceKey, luhnValid } from '../../../src/kernel/index.js';
import { supervisedProcesses } from '../../../src/stack/index.js';
import '../../../src/conventions/index.js'; // the providers' id names (out_trade_no …) the redactor knows
import { startReceiver } from './receiver.js';

/**
 * Issue #18 item 4: no card number a merchant sends, in any field, comes back out of a
 * simulator — not in an answer (body or headers), a webhook, the ledger, the settlement file or
 * a log line. Each simulator runs its money path (pay, capture, refund, query) once per field a
 * merchant can fill, with a generated Luhn-valid card number (brands, lengths 13–19, glued or
 * with spaces, dashes, dots) in that field; every output is searched for the digits and for the
 * form sent (raw, JSON-escaped, URL-encoded). Notifications are read as their receiver reads
 * them (Alipay's form decoded, WeChat Pay's resource decrypted).
 *
 * A glued number in an id field (out_trade_no, reference, invoice_id …) is the merchant's own
 * order number, not a card, and providers echo ids: by the same context rule as the redactor
 * (src/kernel/redact.ts), id fields get the number only with separators (4242 4242 …), which
 * no order number has. A provider may refuse the field instead (a 4xx that does not echo it).
 *
 *   property run ─► a journey per field, each with its own PAN ─► answers, ledger and
 *                   settlement (/__sim/settlement.csv) checked at once (fast-check shrinks)
 *   after all runs ─► webhooks and log files checked against every PAN sent
 *
 * Not searched: Alipay's zipped bill and WeChat Pay's tradebill downloads, which exist only once
 * the simulated day is over; they are built from the same (masked) ledger and order subjects.
 */

// ── card numbers ────────────────────────────────────────────────────────────────────────────

/** Brand prefixes and lengths (Visa, Mastercard 51–55 and 2221–2720, Amex, Discover, JCB, UnionPay, Diners). */
const BRANDS: ReadonlyArray<{ prefixes: readonly string[]; lengths: readonly number[] }> = [
  { prefixes: ['4'], lengths: [13, 16, 19] },
  { prefixes: ['51', '52', '53', '54', '55', '2221', '2720', '2500'], lengths: [16] },
  { prefixes: ['34', '37'], lengths: [15] },
  { prefixes: ['6011', '65'], lengths: [16, 19] },
  { prefixes: ['3528', '3589'], lengths: [16, 17, 18, 19] },
  { prefixes: ['62'], lengths: [16, 17, 18, 19] },
  { prefixes: ['36'], lengths: [14] },
];

const panArb: fc.Arbitrary<string> = fc
  .constantFrom(...BRANDS)
  .chain((b) => fc.tuple(fc.constantFrom(...b.prefixes), fc.constantFrom(...b.lengths)))
  .chain(([prefix, length]) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - prefix.length - 1, maxLength: length - prefix.length - 1 }).map((body) => prefix + body.join('')))
  .map((head) => head + [...'0123456789'].find((d) => luhnValid(head + d))!);

type Style = 'glued' | 'spaces' | 'dashes' | 'dots';
const STYLES: readonly Style[] = ['glued', 'spaces', 'dashes', 'dots'];

/** As a person or a form writes it: groups of four (Amex 4-6-5). */
function written(pan: string, style: Style): string {
  if (style === 'glued') return pan;
  const groups = pan.length === 15 ? [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)] : (pan.match(/.{1,4}/g) ?? []);
  return groups.join(style === 'spaces' ? ' ' : style === 'dashes' ? '-' : '.');
}

interface Sent {
  readonly provider: string;
  readonly field: string;
  readonly pan: string;
  readonly text: string;
}

/** Where `text` shows the card number: its digits glued, or the form sent (JSON-escaped too). */
function leaks(text: string, sent: Sent): boolean {
  return text.includes(sent.pan) || text.includes(sent.text) || text.includes(JSON.stringify(sent.text).slice(1, -1)) || text.includes(encodeURIComponent(sent.text));
}

// ── one journey per provider ─────────────────────────────────────────────────────────────────

interface Answer {
  readonly what: string;
  readonly status: number;
  readonly text: string;
}

/** One HTTP exchange, kept whole: status line, headers and body. */
async function exchange(what: string, url: string, init: RequestInit): Promise<Answer & { json: any }> {
  const res = await fetch(url, init);
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { what, status: res.status, text: `${JSON.stringify([...res.headers])}\n${body}`, json };
}

interface Driver {
  readonly fields: readonly string[];
  /** What the receiver answers so the provider counts a notification as delivered. */
  readonly ack: string;
  /** Run the money path with `value` in `field`; returns every answer. */
  journey(sim: StartedNativeSimulator, n: number, field: string, value: string, notifyUrl: string): Promise<Answer[]>;
}

/** The value for `field` when it is the one carrying the card number, else `otherwise`. */
const put = (field: string, wanted: string, value: string, otherwise: string): string => (field === wanted ? value : otherwise);

const stripe: Driver = {
  ack: '',
  fields: ['description', 'metadata.note', 'metadata.key', 'payment_method', 'customer', 'receipt_email', 'update.description', 'refund.metadata', 'refund.reason', 'path.id'],
  async journey(sim, n, field, value) {
    const post = (what: string, path: string, params: Record<string, unknown>) =>
      exchange(what, `${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encodeForm(params) });
    const answers: Answer[] = [];
    const metadata: Record<string, string> = { order_id: `ord_${n}`, note: put(field, 'metadata.note', value, 'gift') };
    if (field === 'metadata.key') metadata[value] = 'x';
    const created = await post('create', '/v1/payment_intents', {
      amount: 2000,
      currency: 'usd',
      confirm: true,
      capture_method: 'manual',
      payment_method: put(field, 'payment_method', value, 'pm_card_visa'),
      description: put(field, 'description', value, 'two shirts'),
      metadata,
      ...(field === 'customer' ? { customer: value } : {}),
      ...(field === 'receipt_email' ? { receipt_email: value } : {}),
    });
    answers.push(created);
    const id = created.json?.id as string | undefined;
    if (created.status >= 400 || !id) return answers;
    answers.push(await post('update', `/v1/payment_intents/${id}`, { description: put(field, 'update.description', value, 'three shirts') }));
    answers.push(await post('capture', `/v1/payment_intents/${id}/capture`, {}));
    answers.push(await post('refund', '/v1/refunds', { payment_intent: id, amount: 500, metadata: { note: put(field, 'refund.metadata', value, 'size') }, ...(field === 'refund.reason' ? { reason: value } : {}) }));
    answers.push(await exchange('query', `${sim.url}/v1/payment_intents/${field === 'path.id' ? encodeURIComponent(value) : id}`, {}));
    return answers;
  },
};

const adyen: Driver = {
  ack: '[accepted]',
  fields: ['reference', 'shopperReference', 'paymentMethod.number', 'paymentMethod.holderName', 'shopperName.firstName', 'shopperStatement', 'metadata.note', 'shopperEmail', 'returnUrl', 'capture.reference', 'refund.reference', 'path.pspReference'],
  async journey(sim, n, field, value) {
    const post = (what: string, path: string, body: Record<string, unknown>) =>
      exchange(what, `${sim.url}/v71${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const account = { merchantAccount: 'PaychaosECOM', amount: { value: 2000, currency: 'EUR' } };
    const answers: Answer[] = [];
    const paid = await post('payment', '/payments', {
      ...account,
      reference: put(field, 'reference', value, `ord_${n}`),
      shopperReference: put(field, 'shopperReference', value, `shopper_${n}`),
      paymentMethod: { type: 'scheme', number: put(field, 'paymentMethod.number', value, '4111111111111111'), expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: put(field, 'paymentMethod.holderName', value, 'J. Smith') },
      shopperName: { firstName: put(field, 'shopperName.firstName', value, 'Jo'), lastName: 'Smith' },
      shopperStatement: put(field, 'shopperStatement', value, 'Shop'),
      shopperEmail: put(field, 'shopperEmail', value, 'jo@example.com'),
      metadata: { note: put(field, 'metadata.note', value, 'gift') },
      returnUrl: `https://shop.example/return?note=${encodeURIComponent(put(field, 'returnUrl', value, 'x'))}`,
      additionalData: { manualCapture: 'true' },
    });
    answers.push(paid);
    const psp = paid.json?.pspReference as string | undefined;
    if (paid.status >= 400 || !psp || paid.json.resultCode !== 'Authorised') return answers;
    answers.push(await post('capture', `/payments/${psp}/captures`, { ...account, reference: put(field, 'capture.reference', value, `cap_${n}`) }));
    answers.push(await post('refund', `/payments/${psp}/refunds`, { ...account, amount: { value: 500, currency: 'EUR' }, reference: put(field, 'refund.reference', value, `ref_${n}`) }));
    if (field === 'path.pspReference') answers.push(await post('refund unknown', `/payments/${encodeURIComponent(value)}/refunds`, account));
    return answers;
  },
};

/** Alipay: form parameters signed SHA256withRSA with the merchant key the simulator hands out. */
function alipay(keys: { appId: string; merchantPrivateKey: string }): Driver {
  const key = createPrivateKey(keys.merchantPrivateKey);
  const call = (sim: StartedNativeSimulator, method: string, biz: Record<string, unknown>, extra: Record<string, string> = {}) => {
    const params: Record<string, string> = { app_id: keys.appId, method, format: 'JSON', charset: 'utf-8', sign_type: 'RSA2', timestamp: '2026-11-11 00:00:01', version: '1.0', biz_content: JSON.stringify(biz), ...extra };
    const content = Object.keys(params).sort().filter((k) => params[k] !== '').map((k) => `${k}=${params[k]}`).join('&');
    params.sign = createSign('sha256').update(content).sign(key, 'base64');
    return exchange(method, `${sim.url}/gateway.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  };
  return {
    ack: 'success',
    fields: ['out_trade_no', 'subject', 'body', 'auth_code', 'notify_url', 'passback_params', 'operator_id', 'refund_reason', 'out_request_no'],
    async journey(sim, n, field, value, notifyUrl) {
      const tradeNo = put(field, 'out_trade_no', value, `ord_${n}`);
      const answers: Answer[] = [];
      const paid = await call(
        sim,
        'alipay.trade.pay',
        {
          out_trade_no: tradeNo,
          total_amount: '20.00',
          subject: put(field, 'subject', value, 'Singles Day tea'),
          body: put(field, 'body', value, 'two tins'),
          scene: 'bar_code',
          auth_code: put(field, 'auth_code', value, '281234567890123456'),
          operator_id: put(field, 'operator_id', value, 'op_1'),
          ...(field === 'passback_params' ? { passback_params: encodeURIComponent(value) } : {}),
        },
        { notify_url: field === 'notify_url' ? `${notifyUrl}?note=${encodeURIComponent(value)}` : notifyUrl },
      );
      answers.push(paid);
      answers.push(await call(sim, 'alipay.trade.query', { out_trade_no: tradeNo }));
      answers.push(await call(sim, 'alipay.trade.refund', { out_trade_no: tradeNo, refund_amount: '5.00', out_request_no: put(field, 'out_request_no', value, `r_${n}`), refund_reason: put(field, 'refund_reason', value, 'size') }));
      answers.push(await call(sim, 'alipay.trade.fastpay.refund.query', { out_trade_no: tradeNo, out_request_no: put(field, 'out_request_no', value, `r_${n}`) }));
      return answers;
    },
  };
}

/** WeChat Pay APIv3: requests signed WECHATPAY2-SHA256-RSA2048 with the merchant key the simulator hands out. */
function wechatpay(keys: { mchid: string; appid: string; merchantSerial: string; merchantPrivateKey: string }): Driver {
  const key = createPrivateKey(keys.merchantPrivateKey);
  const call = (sim: StartedNativeSimulator, what: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const nonce = randomBytes(16).toString('hex');
    const ts = Math.floor(Date.now() / 1000);
    const signature = createSign('sha256').update(`${method}\n${path}\n${ts}\n${nonce}\n${text}\n`).sign(key, 'base64');
    const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${keys.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${keys.merchantSerial}"`;
    return exchange(what, `${sim.url}${path}`, { method, headers: { 'content-type': 'application/json', accept: 'application/json', authorization }, ...(body === undefined ? {} : { body: text }) });
  };
  return {
    ack: '',
    fields: ['out_trade_no', 'description', 'attach', 'goods_tag', 'notify_url', 'payer.openid', 'out_refund_no', 'reason', 'path.out_trade_no'],
    async journey(sim, n, field, value, notifyUrl) {
      const tradeNo = put(field, 'out_trade_no', value, `wx_ord_${n}`);
      const answers: Answer[] = [];
      const created = await call(sim, 'jsapi', 'POST', '/v3/pay/transactions/jsapi', {
        appid: keys.appid,
        mchid: keys.mchid,
        description: put(field, 'description', value, 'Singles Day tea'),
        out_trade_no: tradeNo,
        attach: put(field, 'attach', value, 'gift'),
        goods_tag: put(field, 'goods_tag', value, 'WXG'),
        notify_url: field === 'notify_url' ? `${notifyUrl}?note=${encodeURIComponent(value)}` : notifyUrl,
        amount: { total: 2000, currency: 'CNY' },
        payer: { openid: put(field, 'payer.openid', value, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o') },
      });
      answers.push(created);
      if (created.status >= 400) return answers;
      const queryNo = field === 'path.out_trade_no' ? encodeURIComponent(value) : encodeURIComponent(tradeNo);
      // The payer pays at once (shopperApprovesAfterMs: 0); wait for it before refunding.
      for (let i = 0; i < 50; i++) {
        const q = await call(sim, 'query', 'GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(tradeNo)}?mchid=${keys.mchid}`);
        if (q.json?.trade_state !== 'NOTPAY') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      answers.push(await call(sim, 'query', 'GET', `/v3/pay/transactions/out-trade-no/${queryNo}?mchid=${keys.mchid}`));
      answers.push(
        await call(sim, 'refund', 'POST', '/v3/refund/domestic/refunds', {
          out_trade_no: tradeNo,
          out_refund_no: put(field, 'out_refund_no', value, `wx_ref_${n}`),
          reason: put(field, 'reason', value, 'size'),
          notify_url: notifyUrl,
          amount: { refund: 500, total: 2000, currency: 'CNY' },
        }),
      );
      return answers;
    },
  };
}

/** UnionPay 5.1.0: form requests signed with the merchant key the simulator hands out (sorted k=v&…, SHA-256 hex, SHA256withRSA). */
function unionpay(keys: { merId: string; certId: string; merchantPrivateKey: string }): Driver {
  const key = createPrivateKey(keys.merchantPrivateKey);
  const txnTime = '20261111000001';
  const call = (sim: StartedNativeSimulator, what: string, path: string, fields: Record<string, string>) => {
    const all: Record<string, string> = { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', certId: keys.certId, bizType: '000201', accessType: '0', channelType: '07', merId: keys.merId, ...fields };
    const content = Object.keys(all).sort().map((k) => `${k}=${all[k]}`).join('&');
    all.signature = createSign('sha256').update(createHash('sha256').update(content).digest('hex')).sign(key, 'base64');
    return exchange(what, `${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(all).toString() });
  };
  return {
    ack: 'ok',
    fields: ['orderId', 'accNo', 'backUrl', 'reqReserved', 'refund.orderId', 'query.orderId'],
    async journey(sim, n, field, value, notifyUrl) {
      const orderId = put(field, 'orderId', value, `upOrd${String(n).padStart(6, '0')}`);
      const answers: Answer[] = [];
      const paid = await call(sim, 'consume', '/gateway/api/backTransReq.do', {
        txnType: '01',
        txnSubType: '01',
        orderId,
        txnTime,
        txnAmt: '2000',
        currencyCode: '156',
        backUrl: field === 'backUrl' ? `${notifyUrl}?note=${encodeURIComponent(value)}` : notifyUrl,
        // The card field takes digits only: the number itself, so the money path runs with it.
        accNo: put(field, 'accNo', value.replace(/\D/g, ''), '6216261000000000018'),
        ...(field === 'reqReserved' ? { reqReserved: value } : {}),
      });
      answers.push(paid);
      const queryId = /(?:^|&)queryId=(\d+)/.exec(paid.text)?.[1];
      answers.push(await call(sim, 'query', '/gateway/api/queryTrans.do', { txnType: '00', txnSubType: '00', bizType: '000000', orderId: put(field, 'query.orderId', value, orderId), txnTime }));
      if (queryId) {
        answers.push(await call(sim, 'refund', '/gateway/api/backTransReq.do', { txnType: '04', txnSubType: '00', orderId: put(field, 'refund.orderId', value, `upRef${String(n).padStart(6, '0')}`), txnTime, txnAmt: '500', currencyCode: '156', origQryId: queryId, backUrl: notifyUrl }));
      }
      return answers;
    },
  };
}

/** PayPal Orders v2 with an OAuth token from the simulator's client credentials. */
function paypal(keys: { clientId: string; clientSecret: string }): Driver {
  let token: string | undefined;
  return {
    ack: '',
    fields: ['description', 'custom_id', 'invoice_id', 'reference_id', 'soft_descriptor', 'payment_source.card.number', 'payment_source.card.name', 'return_url', 'refund.note_to_payer', 'refund.invoice_id', 'path.id'],
    async journey(sim, n, field, value) {
      token ??= (
        (await (
          await fetch(`${sim.url}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${keys.clientId}:${keys.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })
        ).json()) as { access_token: string }
      ).access_token;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const post = (what: string, path: string, body: unknown) => exchange(what, `${sim.url}${path}`, { method: 'POST', headers: { ...headers, 'paypal-request-id': `${what}_${n}` }, body: JSON.stringify(body) });
      const card = field.startsWith('payment_source.card');
      const answers: Answer[] = [];
      const created = await post('create', '/v2/checkout/orders', {
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: put(field, 'reference_id', value, `pu_${n}`),
            custom_id: put(field, 'custom_id', value, `ord_${n}`),
            invoice_id: put(field, 'invoice_id', value, `inv_${n}`),
            description: put(field, 'description', value, 'two shirts'),
            soft_descriptor: put(field, 'soft_descriptor', value, 'SHOP'),
            amount: { currency_code: 'EUR', value: '20.00' },
          },
        ],
        payment_source: card
          ? { card: { number: put(field, 'payment_source.card.number', value, '4111111111111111'), expiry: '2030-03', security_code: '737', name: put(field, 'payment_source.card.name', value, 'Jo Smith') } }
          : { paypal: { experience_context: { return_url: `https://shop.example/return?note=${encodeURIComponent(put(field, 'return_url', value, 'x'))}`, cancel_url: 'https://shop.example/cancel' } } },
      });
      answers.push(created);
      const id = created.json?.id as string | undefined;
      if (created.status >= 400 || !id) return answers;
      const captured = await post('capture', `/v2/checkout/orders/${id}/capture`, {});
      answers.push(captured);
      const captureId = captured.json?.purchase_units?.[0]?.payments?.captures?.[0]?.id as string | undefined;
      if (captureId) {
        answers.push(await post('refund', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'EUR', value: '5.00' }, note_to_payer: put(field, 'refund.note_to_payer', value, 'sorry'), invoice_id: put(field, 'refund.invoice_id', value, `rinv_${n}`) }));
      }
      answers.push(await exchange('query', `${sim.url}/v2/checkout/orders/${field === 'path.id' ? encodeURIComponent(value) : id}`, { headers }));
      return answers;
    },
  };
}

// ── the property, per simulator ─────────────────────────────────────────────────────────────

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paychaos-no-pan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A notification as its receiver reads it: Alipay's form decoded, WeChat Pay's resource decrypted
 * with the APIv3 key (AEAD_AES_256_GCM, the tag at the end) — ciphertext would hide a leak.
 */
function readable(body: string, apiV3Key: string | undefined): string {
  if (!body.startsWith('{')) return JSON.stringify(Object.fromEntries(new URLSearchParams(body)));
  const resource = (JSON.parse(body) as { resource?: { ciphertext: string; nonce: string; associated_data: string } }).resource;
  if (!resource || !apiV3Key) return '';
  const bytes = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(resource.nonce));
  decipher.setAAD(Buffer.from(resource.associated_data));
  decipher.setAuthTag(bytes.subarray(-16));
  return Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString('utf8');
}

/** The last segment of a field's path: what decides whether it is an id field. */
const keyOf = (field: string) => field.split('.').at(-1)!;

async function checkSimulator(provider: NativeSimulatorName, makeDriver: (sim: StartedNativeSimulator) => Promise<Driver>, numRuns: number): Promise<void> {
  const receiver = await startReceiver(() => ({ status: 200, body: drivers.get(provider)?.ack ?? '' }));
  const logFile = join(dir, `${provider}.log`);
  const sim = (await startSimulator(provider, { seed: 184, log: { level: 'trace', file: logFile }, profile: { webhooks: { url: receiver.url } }, shopperApprovesAfterMs: 0, clockScale: 600 })) as StartedNativeSimulator;
  const sentAll: Sent[] = [];
  try {
    const { apiV3Key } = await keysOf<{ apiV3Key?: string }>(sim);
    const driver = await makeDriver(sim);
    drivers.set(provider, driver);
    let n = 0;
    const settlementUrl = `${sim.url}/__sim/settlement.csv`;
    // Every run puts a card number of its own into every field, one journey per field.
    const caseArb = fc.tuple(panArb, fc.constantFrom(...STYLES), fc.constantFrom('', 'card ', 'paid with '));
    await fc.assert(
      fc.asyncProperty(fc.tuple(...driver.fields.map(() => caseArb)), async (cases) => {
        const found: string[] = [];
        for (const [i, field] of driver.fields.entries()) {
          const [pan, style0, lead] = cases[i]!;
          // A glued number in an id field is an order number (see the header comment).
          const id = isReferenceKey(keyOf(field));
          const text = written(pan, style0 === 'glued' && id ? 'spaces' : style0);
          const value = id ? text : `${lead}${text}`;
          const sent: Sent = { provider, field, pan, text };
          sentAll.push(sent);
          const answers = await driver.journey(sim, ++n, field, value, receiver.url);
          const at = `${field} = ${JSON.stringify(value)}`;
          for (const a of answers) if (leaks(a.text, sent)) found.push(`${at}: ${a.what} ${a.status}: ${a.text.slice(0, 600)}`);
          const ledger = JSON.stringify(sim.ledger.entries());
          if (leaks(ledger, sent)) found.push(`${at}: ledger`);
          const settlement = await (await fetch(settlementUrl)).text();
          if (leaks(settlement, sent)) found.push(`${at}: settlement`);
        }
        expect(found, provider).toEqual([]);
      }),
      { numRuns, seed: 184, endOnFailure: true },
    );
    // Notifications arrive on their own time: wait for every ladder, then search them all.
    await new Promise((r) => setTimeout(r, 150));
    await sim.webhooks.settled();
    expect(receiver.received.length, 'the journeys sent notifications, so the webhook check searched something').toBeGreaterThan(0);
    const hooks = receiver.received.map((r) => `${JSON.stringify(r.headers)}\n${r.body}\n${readable(r.body, apiV3Key)}`);
    const webhookLeaks = sentAll.filter((s) => hooks.some((h) => leaks(h, s))).map((s) => `${s.field} = ${s.text}`);
    expect(webhookLeaks, `${provider} webhooks`).toEqual([]);
  } finally {
    await sim.close();
    await receiver.close();
  }
  const log = await readFile(logFile, 'utf8');
  expect(log.split('\n').length, 'trace logging wrote the requests, so the log check searched something').toBeGreaterThan(10);
  const lines = log.split('\n');
  const logLeaks = sentAll.filter((s) => leaks(log, s)).map((s) => `${s.field} = ${s.text}: ${lines.find((l) => leaks(l, s))?.slice(0, 700)}`);
  expect(logLeaks, `${provider} log`).toEqual([]);
}

const drivers = new Map<string, Driver>();
const keysOf = async <T>(sim: StartedNativeSimulator): Promise<T> => (await (await fetch(`${sim.url}/__sim/keys`)).json()) as T;

/**
 * The WireMock localwallet: only what its stubs echo can leak — `reference` (answers, the
 * callback, the ledger rebuilt from the journal); `description` and the callback URL's query are
 * never echoed. No settlement file: WireMock keeps none.
 */
async function checkLocalwallet(numRuns: number): Promise<void> {
  const FIELDS = ['reference', 'description', 'callbackUrl', 'refund.reason'] as const;
  const receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  const logDir = join(dir, 'localwallet');
  const sim = (await startSimulator('wiremock:localwallet', { log: { level: 'trace', file: join(logDir, 'localwallet.log') }, logDir, processes: supervisedProcesses })) as StartedWireMockSimulator;
  const sentAll: Sent[] = [];
  const headers = { authorization: 'Bearer sk_test_paychaos', 'content-type': 'application/json' };
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(...FIELDS.map(() => fc.tuple(panArb, fc.constantFrom(...STYLES)))), async (cases) => {
        const found: string[] = [];
        for (const [i, field] of FIELDS.entries()) {
          const [pan, style0] = cases[i]!;
          // `reference` is the wallet's order id: a glued number there is an order number.
          const text = written(pan, style0 === 'glued' && field === 'reference' ? 'dots' : style0);
          const sent: Sent = { provider: 'localwallet', field, pan, text };
          sentAll.push(sent);
          n++;
          const answers: Answer[] = [];
          const created = await exchange('charge', `${sim.url}/v1/charges`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ reference: put(field, 'reference', text, `ord_lw_${n}`), amount: 1250, currency: 'SGD', description: put(field, 'description', `paid with ${text}`, 'tea'), callbackUrl: `${receiver.url}?note=${encodeURIComponent(put(field, 'callbackUrl', text, 'x'))}` }),
          });
          answers.push(created);
          const id = created.json?.id as string | undefined;
          if (created.status < 400 && id) {
            answers.push(await exchange('poll', `${sim.url}/v1/charges/${id}`, { headers }));
            answers.push(await exchange('refund', `${sim.url}/v1/charges/${id}/refunds`, { method: 'POST', headers, body: JSON.stringify({ amount: 1250, reason: put(field, 'refund.reason', text, 'size') }) }));
          }
          for (const a of answers) if (leaks(a.text, sent)) found.push(`${field} = ${JSON.stringify(text)}: ${a.what} ${a.status}: ${a.text.slice(0, 600)}`);
        }
        expect(found, 'localwallet').toEqual([]);
      }),
      { numRuns, seed: 184, endOnFailure: true },
    );
    // The wallet calls back 300 ms after a charge.
    await new Promise((r) => setTimeout(r, 800));
    expect(receiver.received.length, 'the charges called back, so the webhook check searched something').toBeGreaterThan(0);
    const hooks = receiver.received.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`);
    expect(sentAll.filter((s) => hooks.some((h) => leaks(h, s))).map((s) => `${s.field} = ${s.text}`), 'localwallet callbacks').toEqual([]);
    const ledger = JSON.stringify(await wiremockLedger(sim.adminUrl, sim.provider));
    expect(ledger.length).toBeGreaterThan(2);
    expect(sentAll.filter((s) => leaks(ledger, s)).map((s) => `${s.field} = ${s.text}`), 'localwallet ledger').toEqual([]);
  } finally {
    await sim.close();
    await receiver.close();
  }
  // The wrapper's redacting log and the JVM's own output.
  for (const file of await readdir(logDir)) {
    const log = await readFile(join(logDir, file), 'utf8');
    expect(sentAll.filter((s) => leaks(log, s)).map((s) => `${s.field} = ${s.text}`), `localwallet ${file}`).toEqual([]);
  }
}

describe('no card number passes through a simulator (issue #18 item 4)', () => {
  it('stripe: answers, webhooks, ledger, settlement and logs never hold a PAN sent in any field', { timeout: 60_000 }, async () => {
    await checkSimulator('stripe', async () => stripe, 8);
  });
  it('adyen: answers, notifications, ledger, settlement and logs never hold a PAN sent in any field', { timeout: 60_000 }, async () => {
    await checkSimulator('adyen', async () => adyen, 8);
  });
  it('alipay: answers, notifications, ledger, settlement and logs never hold a PAN sent in any field', { timeout: 60_000 }, async () => {
    await checkSimulator('alipay', async (sim) => alipay(await keysOf(sim)), 8);
  });
  it('wechatpay: answers, notifications, ledger, settlement and logs never hold a PAN sent in any field', { timeout: 60_000 }, async () => {
    await checkSimulator('wechatpay', async (sim) => wechatpay(await keysOf(sim)), 8);
  });
  it('paypal: answers, webhooks, ledger, settlement and logs never hold a PAN sent in any field', { timeout: 60_000 }, async () => {
    await checkSimulator('paypal', async (sim) => paypal(await keysOf(sim)), 8);
  });
  it('unionpay: answers, notifications, ledger, settlement and logs never hold a PAN sent in any field', { timeout: 60_000 }, async () => {
    await checkSimulator('unionpay', async (sim) => unionpay(await keysOf(sim)), 8);
  });
  it('wiremock:localwallet: answers, callbacks, the journal ledger and logs never hold a PAN sent in any field', { timeout: 90_000 }, async (ctx) => {
    try {
      findJava();
    } catch (err) {
      console.warn(`skipping wiremock:localwallet in the no-PAN property: ${(err as Error).message}`);
      ctx.skip();
    }
    await checkLocalwallet(6);
  });
});
