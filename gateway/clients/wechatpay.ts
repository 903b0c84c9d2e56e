import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { normaliseWechatPay, normaliseWechatPayLifecycle } from './codes/index.js';
import { badRefundAmount, lifecycleOf, type CancelRequest, type LifecycleResult, type RefundQuery, type RefundRequest, type RefundStatus } from './lifecycle.js';
import { signSha256WithRsa, verifySha256WithRsa } from './signing.js';
import { Credentials, openPool } from './connection.js';
import { jsonObject, statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult, type ShareRequest, type ShareResult } from './provider-client.js';
import { settle, type SettleStep } from './settle.js';

/**
 * WeChat Pay APIv3 JSAPI payments, as a merchant's backend makes them:
 *
 *   POST /v3/pay/transactions/jsapi ─┬─ 200 prepay_id ─▶ the payer pays in WeChat; poll
 *                                    │   GET …/out-trade-no/{no} until SUCCESS / CLOSED / PAYERROR,
 *                                    │   or settleWithinMs passes ─▶ pending (NOTPAY, USERPAYING)
 *                                    ├─ 400 ORDERPAID (an earlier attempt paid) ─▶ succeeded
 *                                    ├─ 429 / 5xx ─▶ statusFailure
 *                                    └─ other {code} ─▶ failed, normalised
 *
 * Requests carry `Authorization: WECHATPAY2-SHA256-RSA2048 …` signed with the merchant key;
 * every answer must carry a Wechatpay-Signature that verifies with the platform key, or it is not
 * believed. out_trade_no derives from the order alone (not providerKey) and every other field is
 * a function of the order too, so a repeat meets the same order — WeChat's idempotency.
 */

/**
 * The gateway learns outcomes by polling, but WeChat requires a notify_url. Port 9 (discard) on
 * the loopback refuses at once, so the simulator's notifications cost nothing and go nowhere;
 * `credentials.notifyUrl` names a real receiver.
 */
const DEFAULT_NOTIFY_URL = 'http://127.0.0.1:9/paychaos/wechatpay-notify';
/** The payer's openid under our appid (a real page gets it by OAuth; the load model has one test payer). */
const TEST_OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
/** WeChat's own bound on request timestamps, applied to its answers. */
const MAX_SKEW_S = 300;

/**
 * The out_trade_no of an order (6–32 of [A-Za-z0-9_|*-]). An id that is one already is used as
 * it is. Any other — the load model's ids (`demo-20261122T024500Z-a1b2c3-1abc`) are longer than
 * 32 — becomes its first 15 characters with invalid ones as '_', then '_' and 16 hex digits of the
 * SHA-256 of the whole id (`demo-20261122T0_<16 hex>`): the same number for the same order,
 * readable enough to find in the ledger.
 */
export function wechatOutTradeNo(orderId: string): string {
  if (/^[A-Za-z0-9_|*-]{6,32}$/.test(orderId)) return orderId;
  const hash = createHash('sha256').update(orderId, 'utf8').digest('hex').slice(0, 16);
  return `${orderId.slice(0, 15).replace(/[^A-Za-z0-9_|*-]/g, '_')}_${hash}`;
}

type Json = Readonly<Record<string, unknown>>;
/** A verified answer. */
interface Answer {
  readonly json: Json;
  readonly status: number;
}
type Query = { kind: 'final'; result: ChargeResult } | { kind: 'waiting'; state: string } | { kind: 'absent' } | { kind: 'unknown' };

export class WechatPayClient implements ProviderClient {
  readonly provider = 'wechatpay';
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #settleWithinMs: number;
  readonly #mchid: string;
  readonly #appid: string;
  readonly #merchantSerial: string;
  readonly #merchantKey: KeyObject;
  readonly #platformSerial: string;
  readonly #platformKey: KeyObject;
  readonly #notifyUrl: string;

  constructor(connection: ProviderConnection) {
    // As GET /__sim/keys lists them (or the WeChat Pay merchant platform gives them).
    const c = new Credentials(this.provider, connection.credentials);
    c.require(['mchid', 'appid', 'merchantSerial', 'merchantPrivateKey', 'platformSerial', 'platformPublicKey']);
    // mchid and the serial go into the Authorization header.
    this.#mchid = c.headerText('mchid');
    this.#appid = c.text('appid');
    this.#merchantSerial = c.headerText('merchantSerial');
    this.#merchantKey = c.rsaPrivateKey('merchantPrivateKey');
    this.#platformSerial = c.text('platformSerial');
    this.#platformKey = c.rsaPublicKey('platformPublicKey');
    this.#notifyUrl = c.url('notifyUrl', DEFAULT_NOTIFY_URL);
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#settleWithinMs = connection.settleWithinMs ?? 3_000;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const deadline = performance.now() + this.#settleWithinMs;
    const outTradeNo = wechatOutTradeNo(req.orderId);
    // Any field that differed between attempts would make WeChat answer OUT_TRADE_NO_USED.
    const body = JSON.stringify({
      appid: this.#appid,
      mchid: this.#mchid,
      description: `paychaos ${req.orderId}`.slice(0, 127),
      out_trade_no: outTradeNo,
      notify_url: this.#notifyUrl,
      // JSAPI takes CNY only: another currency is sent as it is and refused (PARAM_ERROR), not
      // silently charged in yuan.
      amount: { total: req.amount, currency: req.currency.toUpperCase() },
      payer: { openid: TEST_OPENID },
      // A marketplace order: WeChat freezes the funds for shareSplit; without it the order cannot be shared.
      ...(req.split ? { settle_info: { profit_sharing: true } } : {}),
    });
    const created = await this.#call('POST', '/v3/pay/transactions/jsapi', body, this.#timeoutMs);
    if (!('json' in created)) return created;
    const { json, status } = created;
    // The order is made and waits for the payer (NOTPAY): no errorCode, so the gateway answers 202
    // if the payer has not paid by the deadline. Only a query that sees the end changes that.
    if (status === 200) return this.#settle(outTradeNo, deadline, { outcome: 'pending', providerCode: 'NOTPAY', providerStatus: status });
    const code = str(json.code);
    if (code === 'ORDERPAID') {
      // Paid by an earlier attempt for this order: success. One query finds its transaction_id.
      const q = await this.#query(outTradeNo, this.#timeoutMs);
      return q.kind === 'final' && q.result.outcome === 'succeeded' ? q.result : { outcome: 'succeeded', providerCode: code, providerStatus: status };
    }
    // The table makes SIGN_ERROR invalid_request: our signing is broken, retrying cannot help.
    return { outcome: 'failed', errorCode: normaliseWechatPay({ ...(code !== undefined ? { code } : {}), status }), ...(code !== undefined ? { providerCode: code } : {}), providerStatus: status };
  }

  /**
   * 分账 (profit sharing): `POST /v3/profitsharing/orders` sends the receiver's part of a paid
   * order (placed with settle_info.profit_sharing) to one receiver — a merchant id (digits) or a
   * user's openid — and unfreezes the rest to the merchant (`unfreeze_unsplit`), under
   * `out_order_no`: WeChat's idempotency ("the same number asked again is the same request").
   * Resuming, `GET /v3/profitsharing/orders/{out_order_no}?transaction_id=` comes first: 404
   * RESOURCE_NOT_EXISTS means never received, so it is sent. The order is done when its state is
   * FINISHED and its receiver's result SUCCESS; CLOSED is a refusal; PROCESSING / PENDING wait.
   */
  async shareSplit(req: ShareRequest): Promise<ShareResult> {
    if (req.resume) {
      const q = await this.#call('GET', `/v3/profitsharing/orders/${encodeURIComponent(req.shareNo)}?transaction_id=${encodeURIComponent(req.providerPaymentId)}`, '', this.#timeoutMs);
      if (!('json' in q)) return { state: 'pending', providerCode: q.providerCode, providerStatus: q.providerStatus };
      if (q.status !== 404 || str(q.json.code) !== 'RESOURCE_NOT_EXISTS') return shareOf(q.json, q.status);
    }
    const body = JSON.stringify({
      appid: this.#appid,
      transaction_id: req.providerPaymentId,
      out_order_no: req.shareNo,
      receivers: [{ type: /^\d+$/.test(req.destination) ? 'MERCHANT_ID' : 'PERSONAL_OPENID', account: req.destination, amount: req.amount, description: `paychaos ${req.orderId}`.slice(0, 80) }],
      unfreeze_unsplit: true,
    });
    const answer = await this.#call('POST', '/v3/profitsharing/orders', body, this.#timeoutMs);
    if (!('json' in answer)) return { state: 'pending', providerCode: answer.providerCode, providerStatus: answer.providerStatus };
    return shareOf(answer.json, answer.status);
  }

  /** `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=` (the providerReference): the order's trade_state. */
  async query(req: QueryRequest): Promise<QueryResult> {
    const q = await this.#query(req.providerReference, this.#timeoutMs);
    if (q.kind === 'final') return q;
    if (q.kind === 'absent') return { kind: 'absent', providerStatus: 404 };
    if (q.kind === 'waiting') return { kind: 'waiting', result: { outcome: 'pending', providerCode: q.state, ...(req.providerPaymentId ? { paymentId: req.providerPaymentId } : {}), providerStatus: 200 } };
    return { kind: 'unknown', reason: 'no verified answer' };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /**
   * POST /v3/refund/domestic/refunds by out_trade_no, with out_refund_no derived from the
   * refundKey: WeChat's refund idempotency (the same number answers the same refund; WeChat asks
   * that a failed refund be retried under its original number). `amount.total` must be the
   * order's total. The answer is acceptance: SUCCESS is done, PROCESSING pending until the
   * REFUND.SUCCESS notification or a refund query; CLOSED / ABNORMAL failed.
   */
  async refund(req: RefundRequest): Promise<LifecycleResult> {
    const bad = badRefundAmount(req);
    if (bad) return bad;
    const outRefundNo = wechatOutRefundNo(req.refundKey);
    const body = JSON.stringify({
      out_trade_no: wechatOutTradeNo(req.orderId),
      out_refund_no: outRefundNo,
      ...(req.reason !== undefined ? { reason: req.reason.slice(0, 80) } : {}),
      notify_url: this.#notifyUrl,
      amount: { refund: req.amount, total: req.capturedAmount, currency: req.currency.toUpperCase() },
    });
    const answer = await this.#call('POST', '/v3/refund/domestic/refunds', body, this.#timeoutMs);
    if (!('json' in answer)) return lifecycleOf(answer);
    const { json, status } = answer;
    const refundId = str(json.refund_id);
    const id = refundId !== undefined ? { refundId } : {};
    if (status === 200) {
      const state = str(json.status);
      if (state === 'SUCCESS') return { outcome: 'succeeded', status: state, ...id, providerStatus: status };
      if (state === 'CLOSED' || state === 'ABNORMAL') return { outcome: 'failed', errorCode: 'provider_error', providerCode: state, status: state, ...id, providerStatus: status };
      return { outcome: 'pending', ...(state !== undefined ? { status: state, providerCode: state } : {}), ...id, providerStatus: status };
    }
    const code = str(json.code);
    return { outcome: 'failed', errorCode: normaliseWechatPayLifecycle({ ...(code !== undefined ? { code } : {}), status }), ...(code !== undefined ? { providerCode: code } : {}), providerStatus: status };
  }

  /**
   * POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close: an unpaid order (NOTPAY) can
   * never be paid afterwards (204). A paid one is 400 ORDERPAID — its money needs refund().
   */
  async cancel(req: CancelRequest): Promise<LifecycleResult> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(wechatOutTradeNo(req.orderId))}/close`;
    const answer = await this.#call('POST', path, JSON.stringify({ mchid: this.#mchid }), this.#timeoutMs);
    if (!('json' in answer)) return lifecycleOf(answer);
    const { json, status } = answer;
    if (status === 204 || status === 200) return { outcome: 'succeeded', status: 'CLOSED', providerStatus: status };
    const code = str(json.code);
    return { outcome: 'failed', errorCode: normaliseWechatPayLifecycle({ ...(code !== undefined ? { code } : {}), status }), ...(code !== undefined ? { providerCode: code } : {}), providerStatus: status };
  }

  /**
   * GET /v3/refund/domestic/refunds/{out_refund_no}: SUCCESS, PROCESSING, or CLOSED / ABNORMAL;
   * 404 RESOURCE_NOT_EXISTS means no such refund, so refund() with the same number may be retried.
   */
  async queryRefund(q: RefundQuery): Promise<RefundStatus> {
    const answer = await this.#call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(wechatOutRefundNo(q.refundKey))}`, '', this.#timeoutMs);
    if (!('json' in answer)) return { state: 'unknown', ...(answer.providerCode !== undefined ? { providerCode: answer.providerCode } : {}), providerStatus: answer.providerStatus };
    const { json, status } = answer;
    if (status === 404) return { state: 'absent', ...(str(json.code) !== undefined ? { providerCode: str(json.code)! } : {}), providerStatus: status };
    if (status !== 200) return { state: 'unknown', ...(str(json.code) !== undefined ? { providerCode: str(json.code)! } : {}), providerStatus: status };
    const refundStatus = str(json.status);
    const amount = typeof json.amount === 'object' && json.amount !== null ? (json.amount as Record<string, unknown>).refund : undefined;
    const state = refundStatus === 'SUCCESS' ? 'succeeded' : refundStatus === 'CLOSED' || refundStatus === 'ABNORMAL' ? 'failed' : 'pending';
    return { state, ...(str(json.refund_id) !== undefined ? { refundId: str(json.refund_id)! } : {}), ...(typeof amount === 'number' ? { amount } : {}), ...(refundStatus !== undefined ? { providerCode: refundStatus } : {}), providerStatus: status };
  }

  /** Poll the order (growing gaps) until it is final or the deadline passes; then `known`, updated by the last state seen. */
  #settle(outTradeNo: string, deadline: number, known: ChargeResult): Promise<ChargeResult> {
    return settle(deadline, known, this.#timeoutMs, async (timeoutMs): Promise<SettleStep> => {
      const q = await this.#query(outTradeNo, timeoutMs);
      if (q.kind === 'final') return q;
      if (q.kind === 'waiting') return { kind: 'waiting', known: { ...known, providerCode: q.state } };
      return { kind: 'unknown' };
    });
  }

  async #query(outTradeNo: string, timeoutMs: number): Promise<Query> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.#mchid)}`;
    const answer = await this.#call('GET', path, '', timeoutMs);
    // Transport errors, 5xx, unverifiable answers: nothing learned. ORDER_NOT_EXIST (404, signed)
    // says WeChat never received the order; while settling a charge it cannot follow a 200 create.
    if ('json' in answer && answer.status === 404 && answer.json.code === 'ORDER_NOT_EXIST') return { kind: 'absent' };
    if (!('json' in answer) || answer.status !== 200) return { kind: 'unknown' };
    const { json, status } = answer;
    const state = str(json.trade_state);
    const paymentId = typeof json.transaction_id === 'string' ? { paymentId: json.transaction_id } : {};
    switch (state) {
      case 'SUCCESS':
      case 'REFUND':
        return { kind: 'final', result: { outcome: 'succeeded', ...paymentId, providerStatus: status } };
      case 'CLOSED':
      case 'REVOKED':
      case 'PAYERROR':
        return { kind: 'final', result: { outcome: 'failed', errorCode: normaliseWechatPay({ trade_state: state }), providerCode: state, ...paymentId, providerStatus: status } };
      case 'NOTPAY':
      case 'USERPAYING':
        return { kind: 'waiting', state };
      default:
        return { kind: 'unknown' };
    }
  }

  /** One signed APIv3 call: a verified answer, or the ChargeResult of not getting one. */
  async #call(method: 'GET' | 'POST', path: string, body: string, timeoutMs: number): Promise<Answer | ChargeResult> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    // The signed message: method, path with query, timestamp, nonce, body — each line ending in \n.
    const signature = signSha256WithRsa(`${method}\n${path}\n${timestamp}\n${nonce}\n${body}\n`, this.#merchantKey);
    const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${this.#mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${this.#merchantSerial}"`;
    let status: number;
    let text: string;
    let headers: Record<string, string | string[] | undefined>;
    try {
      const res = await this.#pool.request({
        method,
        path,
        headers: { authorization, accept: 'application/json', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { body } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (err) {
      return transportFailure(err);
    }
    // 429 and 5xx never mean "paid", so they are read before (and without) the signature: a
    // load balancer's 502 is not signed.
    const early = statusFailure(status, codeIn(text));
    if (early) return early;
    if (!this.#verified(headers, text)) {
      // Not provably WeChat's answer: believe nothing, in particular not an order or a payment.
      return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'bad_signature', providerStatus: status };
    }
    if (text === '') return { json: {}, status };
    // Signed or not, `null` or an array is not an answer: nothing about the order can be read from it.
    const json = jsonObject(text);
    return json === undefined ? unreadableAnswer(status) : { json, status };
  }

  /** Wechatpay-Signature over `timestamp\nnonce\nbody\n`, by the platform key we know, recently. */
  #verified(headers: Record<string, string | string[] | undefined>, body: string): boolean {
    const h = (name: string): string | undefined => {
      const v = headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const timestamp = h('wechatpay-timestamp');
    const nonce = h('wechatpay-nonce');
    const signature = h('wechatpay-signature');
    if (!timestamp || !nonce || !signature || h('wechatpay-serial') !== this.#platformSerial) return false;
    if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - Date.now() / 1000) > MAX_SKEW_S) return false;
    return verifySha256WithRsa(`${timestamp}\n${nonce}\n${body}\n`, signature, this.#platformKey);
  }
}

/** A profit-sharing order as WeChat answers it (create or query), or its error. */
function shareOf(json: Record<string, unknown>, status: number): ShareResult {
  if (status !== 200) {
    const code = str(json.code);
    // SYSTEM_ERROR / FREQUENCY_LIMITED: the same request again later; any other 4xx is a refusal.
    return { state: code === 'SYSTEM_ERROR' || code === 'FREQUENCY_LIMITED' ? 'pending' : 'failed', providerCode: code, providerStatus: status };
  }
  const results = Array.isArray(json.receivers) ? json.receivers.map((r) => (typeof r === 'object' && r !== null ? str((r as Record<string, unknown>).result) : undefined)) : [];
  if (results.includes('CLOSED')) return { state: 'failed', providerCode: 'CLOSED', providerStatus: status };
  if (str(json.state) === 'FINISHED' && results.length > 0 && results.every((r) => r === 'SUCCESS')) return { state: 'shared', providerCode: 'FINISHED', providerStatus: status };
  return { state: 'pending', providerCode: str(json.state) ?? 'PROCESSING', providerStatus: status };
}

function codeIn(text: string): string | undefined {
  return str(jsonObject(text)?.code);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** out_refund_no (≤ 64 of [A-Za-z0-9_|*@-]): the refundKey as it is when it fits, else a stable hash of it. */
export function wechatOutRefundNo(refundKey: string): string {
  if (/^[A-Za-z0-9_|*@-]{1,64}$/.test(refundKey)) return refundKey;
  return `rf_${createHash('sha256').update(refundKey, 'utf8').digest('hex').slice(0, 40)}`;
}
