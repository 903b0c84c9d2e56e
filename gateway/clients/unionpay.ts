import { createHash, type KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { UNIONPAY_PENDING_CODES, UNIONPAY_SUCCESS_CODES, normaliseUnionPay } from './codes/index.js';
import { badRefundAmount, lifecycleOf, type LifecycleResult, type RefundQuery, type RefundRequest, type RefundStatus } from './lifecycle.js';
import { Credentials, badConnection, openPool } from './connection.js';
import { statusFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult } from './provider-client.js';
import { postForm } from './post-form.js';
import { settle, type SettleStep } from './settle.js';
import { UnionPayTrust, parseUnionPayAnswer, unionPaySign } from './unionpay-signing.js';

/**
 * UnionPay online gateway (全渠道 5.1.0) back transactions, as a merchant's server makes them:
 *
 *   backTransReq consume (txnType 01) ─┬─ 00 ─────────────────────────────────▶ succeeded
 *                                      ├─ 03 / 04 / 05 ─┐
 *                                      ├─ 12 duplicate ─┴▶ queryTrans until origRespCode ends,
 *                                      │                   or settleWithinMs passes ─▶ pending
 *                                      ├─ HTTP 5xx / 429 ─▶ statusFailure
 *                                      └─ other respCode ─▶ failed, normalised
 *   refund (04) by origQryId; queryTrans for charges and refunds by orderId + txnTime.
 *
 * merId + orderId + txnTime identify a transaction at UnionPay, and both derive from the order
 * alone (unionpayOrderId, unionpayTxnTime): every attempt for one order is the same transaction,
 * so a repeat is answered 12 and can never charge twice, and a query after a restart finds it.
 * Every answer must verify (certificate chain, CN, signature) before it is believed.
 */

/** Where notifications go when the config names no backUrl: port 9 refuses at once. */
const DEFAULT_BACK_URL = 'http://127.0.0.1:9/paychaos/unionpay-notify';
/** UnionPay's published test debit card: what the traffic model's `pm_card_unionpay` pays with. */
const TEST_CARDS: Readonly<Record<string, string>> = { pm_card_unionpay: '6216261000000000018' };

/**
 * The UnionPay orderId of an order (8–40 letters or digits). An id that is one is used as it is;
 * any other becomes its first 23 letters and digits, then 16 hex digits of the SHA-256 of the
 * whole id (`demo20261122T0245…<16 hex>`): the same number for the same order.
 */
export function unionpayOrderId(orderId: string): string {
  if (/^[A-Za-z0-9]{8,40}$/.test(orderId)) return orderId;
  const hash = createHash('sha256').update(orderId, 'utf8').digest('hex').slice(0, 16);
  return `${orderId.replace(/[^A-Za-z0-9]/g, '').slice(0, 23)}${hash}`;
}

/**
 * The txnTime of an order. Merchants send their order's creation time and must send it again to
 * query; the gateway's charge request carries no such time, so it is derived from the order id —
 * a second of 2026-01-01 (Beijing) picked by its hash — which keeps it stable across retries,
 * failovers and restarts without storing it.
 */
export function unionpayTxnTime(id: string): string {
  const seconds = createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % 86_400;
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `20260101${hh}${mm}${ss}`;
}

/** A refund's own orderId: `R` and 31 hex digits of the refundKey's hash (stable per refund). */
const refundOrderId = (refundKey: string): string => `R${createHash('sha256').update(refundKey, 'utf8').digest('hex').slice(0, 31)}`;

type Fields = Readonly<Record<string, string>>;
type Query = { kind: 'final'; result: ChargeResult } | { kind: 'waiting'; code: string; queryId?: string } | { kind: 'absent' } | { kind: 'unknown' };

export class UnionPayClient implements ProviderClient {
  readonly provider = 'unionpay';
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #settleWithinMs: number;
  readonly #merId: string;
  readonly #certId: string;
  readonly #key: KeyObject;
  readonly #trust: UnionPayTrust;
  readonly #backUrl: string;

  constructor(connection: ProviderConnection) {
    // As GET /__sim/keys lists them (UnionPay's merchant service gives the same).
    const c = new Credentials(this.provider, connection.credentials);
    c.require(['merId', 'certId', 'merchantPrivateKey', 'middleCertificate', 'rootCertificate']);
    this.#merId = c.text('merId');
    if (!/^[A-Za-z0-9]{15}$/.test(this.#merId)) throw badConnection(this.provider, 'credentials.merId', 'must be 15 letters or digits');
    this.#certId = c.text('certId');
    if (!/^\d{1,128}$/.test(this.#certId)) throw badConnection(this.provider, 'credentials.certId', 'must be the certificate serial in decimal digits');
    this.#key = c.rsaPrivateKey('merchantPrivateKey');
    this.#trust = new UnionPayTrust(this.provider, c.text('middleCertificate'), c.text('rootCertificate'));
    // The stack names it notifyUrl, like Alipay's and WeChat Pay's per-request address; UnionPay calls it backUrl.
    this.#backUrl = c.url('notifyUrl', DEFAULT_BACK_URL);
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#settleWithinMs = connection.settleWithinMs ?? 3_000;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const deadline = performance.now() + this.#settleWithinMs;
    const orderId = unionpayOrderId(req.orderId);
    const txnTime = unionpayTxnTime(req.orderId);
    const accNo = TEST_CARDS[req.paymentMethod];
    // The answer names no card: a payment method we have no card for is our request's fault.
    if (accNo === undefined) return { outcome: 'failed', errorCode: 'invalid_payment_data', providerCode: 'unknown_payment_method', providerStatus: 0 };
    // UnionPay takes fen of CNY (currencyCode 156) only: another currency is not sent as yuan.
    if (req.currency.toLowerCase() !== 'cny') return { outcome: 'failed', errorCode: 'invalid_request', providerCode: 'currency_not_supported', providerStatus: 0 };
    const answer = await this.#call('/gateway/api/backTransReq.do', { ...this.#common('01', '01', '000201'), channelType: '07', orderId, txnTime, txnAmt: String(req.amount), currencyCode: '156', backUrl: this.#backUrl, accNo });
    if (!('fields' in answer)) return answer;
    const { fields, status } = answer;
    const code = fields.respCode ?? '';
    const paymentId = fields.queryId ? { paymentId: fields.queryId } : {};
    if (UNIONPAY_SUCCESS_CODES.has(code)) return { outcome: 'succeeded', providerCode: code, ...paymentId, providerStatus: status };
    if (UNIONPAY_PENDING_CODES.has(code) || code === '12') {
      // Not ended (03/04/05), or an earlier attempt's transaction (12): its end comes from a query.
      const known: ChargeResult = { outcome: 'pending', ...(code === '05' ? {} : { errorCode: 'outcome_unknown' as const }), providerCode: code, ...paymentId, providerStatus: status };
      return this.#settle(orderId, txnTime, deadline, known);
    }
    return { outcome: 'failed', errorCode: normaliseUnionPay(code), providerCode: code, ...paymentId, providerStatus: status };
  }

  /** queryTrans by the order's orderId + txnTime (both derive from the order). */
  async query(req: QueryRequest): Promise<QueryResult> {
    const q = await this.#query(unionpayOrderId(req.orderId), unionpayTxnTime(req.orderId), this.#timeoutMs);
    if (q.kind === 'final') return q;
    if (q.kind === 'absent') return { kind: 'absent', providerStatus: 200 };
    if (q.kind === 'waiting') return { kind: 'waiting', result: { outcome: 'pending', providerCode: q.code, ...(q.queryId ? { paymentId: q.queryId } : {}), providerStatus: 200 } };
    return { kind: 'unknown', reason: 'no verified answer' };
  }

  /**
   * A refund (txnType 04) of the consume named by origQryId (its queryId: the charge's paymentId,
   * or found by a query), as a transaction of its own: orderId and txnTime derive from refundKey,
   * so a retried refund is answered 12 and refunds once. 00 is "accepted" (UnionPay's reading);
   * the end comes by notification or queryRefund — here a 00 is taken as done, as the refund's own
   * query confirms.
   */
  async refund(req: RefundRequest): Promise<LifecycleResult> {
    const bad = badRefundAmount(req);
    if (bad) return bad;
    let origQryId = req.paymentId;
    if (origQryId === undefined) {
      const q = await this.#query(unionpayOrderId(req.orderId), unionpayTxnTime(req.orderId), this.#timeoutMs);
      origQryId = q.kind === 'final' ? q.result.paymentId : undefined;
      if (origQryId === undefined) return { outcome: 'failed', errorCode: 'invalid_request', providerCode: 'no_consume_found', providerStatus: 0 };
    }
    const orderId = refundOrderId(req.refundKey);
    const answer = await this.#call('/gateway/api/backTransReq.do', { ...this.#common('04', '00', '000201'), channelType: '07', orderId, txnTime: unionpayTxnTime(req.refundKey), txnAmt: String(req.amount), currencyCode: '156', origQryId, backUrl: this.#backUrl });
    if (!('fields' in answer)) return lifecycleOf(answer);
    const { fields, status } = answer;
    const code = fields.respCode ?? '';
    if (UNIONPAY_SUCCESS_CODES.has(code)) return { outcome: 'succeeded', status: code, refundId: orderId, providerStatus: status };
    if (UNIONPAY_PENDING_CODES.has(code) || code === '12') return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: code, refundId: orderId, providerStatus: status };
    return { outcome: 'failed', errorCode: normaliseUnionPay(code), providerCode: code, providerStatus: status };
  }

  /** queryTrans of the refund's own orderId + txnTime: 34 means it was never made (retry is safe). */
  async queryRefund(q: RefundQuery): Promise<RefundStatus> {
    const orderId = refundOrderId(q.refundKey);
    const answer = await this.#call('/gateway/api/queryTrans.do', { ...this.#common('00', '00', '000000'), orderId, txnTime: unionpayTxnTime(q.refundKey) }, this.#timeoutMs);
    if (!('fields' in answer)) return { state: 'unknown', ...(answer.providerCode !== undefined ? { providerCode: answer.providerCode } : {}), providerStatus: answer.providerStatus };
    const { fields, status } = answer;
    if (fields.respCode === '34') return { state: 'absent', providerCode: '34', providerStatus: status };
    if (fields.respCode !== '00') return { state: 'unknown', ...(fields.respCode ? { providerCode: fields.respCode } : {}), providerStatus: status };
    const orig = fields.origRespCode ?? '';
    const state = UNIONPAY_SUCCESS_CODES.has(orig) ? 'succeeded' : UNIONPAY_PENDING_CODES.has(orig) ? 'pending' : 'failed';
    const amount = /^\d+$/.test(fields.txnAmt ?? '') ? { amount: Number(fields.txnAmt) } : {};
    return { state, refundId: orderId, ...amount, providerCode: orig, providerStatus: status };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  #common(txnType: string, txnSubType: string, bizType: string): Record<string, string> {
    return { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', certId: this.#certId, txnType, txnSubType, bizType, accessType: '0', merId: this.#merId };
  }

  #settle(orderId: string, txnTime: string, deadline: number, known: ChargeResult): Promise<ChargeResult> {
    return settle(deadline, known, this.#timeoutMs, async (timeoutMs): Promise<SettleStep> => {
      const q = await this.#query(orderId, txnTime, timeoutMs);
      if (q.kind === 'final') return q;
      if (q.kind === 'waiting') return { kind: 'waiting', known: { ...known, providerCode: q.code, ...(q.queryId ? { paymentId: q.queryId } : {}) } };
      // 34 after an answer that named the transaction: not visible yet; keep waiting.
      return { kind: 'unknown' };
    });
  }

  async #query(orderId: string, txnTime: string, timeoutMs: number): Promise<Query> {
    const answer = await this.#call('/gateway/api/queryTrans.do', { ...this.#common('00', '00', '000000'), orderId, txnTime }, timeoutMs);
    if (!('fields' in answer)) return { kind: 'unknown' };
    const { fields, status } = answer;
    if (fields.respCode === '34') return { kind: 'absent' };
    if (fields.respCode !== '00') return { kind: 'unknown' };
    const orig = fields.origRespCode ?? '';
    const paymentId = fields.queryId ? { paymentId: fields.queryId } : {};
    if (UNIONPAY_SUCCESS_CODES.has(orig)) return { kind: 'final', result: { outcome: 'succeeded', providerCode: orig, ...paymentId, providerStatus: status } };
    if (UNIONPAY_PENDING_CODES.has(orig)) return { kind: 'waiting', code: orig, ...(fields.queryId ? { queryId: fields.queryId } : {}) };
    if (orig === '') return { kind: 'unknown' };
    return { kind: 'final', result: { outcome: 'failed', errorCode: normaliseUnionPay(orig), providerCode: orig, ...paymentId, providerStatus: status } };
  }

  /** One signed call: a verified answer, or the ChargeResult of not getting one. */
  async #call(path: string, fields: Record<string, string>, timeoutMs = this.#timeoutMs): Promise<{ fields: Fields; status: number } | ChargeResult> {
    const signed = { ...fields, signature: unionPaySign(fields, this.#key) };
    const answer = await postForm(this.#pool, path, signed, 'UTF-8', timeoutMs);
    if (!('text' in answer)) return answer;
    const { status, text } = answer;
    const failed = statusFailure(status, undefined);
    if (failed) return failed;
    const parsed = parseUnionPayAnswer(text);
    // Not UnionPay's answer (an HTML error page, a body cut short, a forgery): the request may have
    // been processed, so nothing is known.
    if (status !== 200 || parsed.respCode === undefined || this.#trust.problem(parsed) !== undefined) return unreadableAnswer(status);
    return { fields: parsed, status };
  }
}
