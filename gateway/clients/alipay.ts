import { createHash, type KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher, Pool } from 'undici';
import { normaliseAlipay, normaliseAlipayLifecycle } from './codes/index.js';
import { badRefundAmount, lifecycleOf, type CancelRequest, type LifecycleResult, type RefundQuery, type RefundRequest, type RefundStatus } from './lifecycle.js';
import { majorToMinor, minorToMajor } from './money.js';
import { signSha256WithRsa, verifySha256WithRsa } from './signing.js';
import { Credentials, openPool } from './connection.js';
import { jsonObject, statusFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult, type ShareRequest, type ShareResult } from './provider-client.js';
import { postForm } from './post-form.js';
import { settle, type SettleStep } from './settle.js';

/**
 * Alipay face-to-face (barcode) payments through `gateway.do`, as a merchant's till makes them:
 *
 *   alipay.trade.pay ─┬─ 10000 ──────────────────────────────────────▶ succeeded
 *                     ├─ 10003 WAIT_BUYER_PAY ─┐
 *                     ├─ 20000 ACQ.SYSTEM_ERROR ┴▶ poll alipay.trade.query until paid / closed,
 *                     │                            or settleWithinMs passes ──▶ pending
 *                     ├─ 40004 ACQ.TRADE_HAS_SUCCESS (an earlier attempt paid) ▶ succeeded
 *                     └─ 40004 other sub_code ──────────────────────────────▶ failed, normalised
 *
 *   pending, and queryWindowMs since the first pay has passed (here, or in a later query()):
 *     alipay.trade.cancel (撤销) ─┬─ 10000 action close / refund / none ─▶ failed order_closed
 *                                 ├─ retry_flag Y ─▶ cancel again (up to 3 times)
 *                                 └─ anything else ─▶ still pending, the next query() tries again
 *
 * The cancel is what Alipay's face-to-face docs require of a till whose pay result stays unknown
 * after querying: it closes an unpaid trade, or refunds a paid one in full, so the buyer cannot
 * be charged for a sale the till gave up on. (Until the window passes, a waiting trade is the
 * gateway's usual 202 pending, and the recovery loop's query() may still find it paid.)
 *
 * Every request is RSA2-signed with the merchant key; every answer must verify against the Alipay
 * public key before it is believed: an unverifiable "paid" is only a claim, so pending.
 * out_trade_no is Alipay's idempotency key and derives from the order alone (not providerKey),
 * so every attempt for one order meets the same trade and can never pay twice.
 */

/** A test payment code: 16–24 digits as a scanner reads it (only its shape is checked). */
const TEST_AUTH_CODE = '281234567890123456';

/**
 * The out_trade_no of an order (≤ 64 of [A-Za-z0-9_]). An id made of letters, digits and '-' —
 * what the load model generates — maps readably: '-' → '_' (`demo-…-1abc` → `demo_…_1abc`).
 * Any other id (an '_', other characters, longer than 64) becomes its first 47 characters with
 * invalid ones as '_', then '_' and 16 hex digits of the SHA-256 of the whole id: still the same
 * number for the same order, and two orders differing only in '-'/'_' cannot collide.
 */
export function alipayOutTradeNo(orderId: string): string {
  if (/^[A-Za-z0-9-]{1,64}$/.test(orderId)) return orderId.replace(/-/g, '_');
  const hash = createHash('sha256').update(orderId, 'utf8').digest('hex').slice(0, 16);
  return `${orderId.slice(0, 47).replace(/[^A-Za-z0-9_]/g, '_')}_${hash}`;
}

type Fields = Readonly<Record<string, unknown>>;
/** A verified answer of one gateway.do call. */
interface Answer {
  readonly fields: Fields;
  readonly status: number;
}
/** What one trade.query learned. `untrusted`: an answer came but did not verify. */
type Query = { kind: 'final'; result: ChargeResult } | { kind: 'waiting'; tradeNo?: string } | { kind: 'absent' } | { kind: 'unknown'; untrusted?: boolean };

/** Alipay's suggested face-to-face query window: poll trade.query for 30 s, then cancel. */
const DEFAULT_QUERY_WINDOW_MS = 30_000;
/** alipay.trade.cancel answered retry_flag Y (ACQ.SYSTEM_ERROR): the docs say call it again. */
const CANCEL_ATTEMPTS = 3;
const CANCEL_RETRY_GAP_MS = 200;

export class AlipayClient implements ProviderClient {
  readonly provider = 'alipay';
  /** 分账 goes to an Alipay user id (trans_in_type userId): 2088 and 12 digits. */
  readonly splitDestination = { pattern: /^2088\d{12}$/, hint: 'an Alipay user id, 2088 followed by 12 digits' };
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #settleWithinMs: number;
  readonly #queryWindowMs: number;
  /**
   * out_trade_no → when its first pay was sent (wall clock), for trades whose outcome is not
   * known yet: the query window runs from there. In memory: after a restart the window starts
   * again at the first query, which only delays the cancel. An entry leaves on a known outcome.
   */
  readonly #unknownSince = new Map<string, number>();
  readonly #appId: string;
  readonly #merchantKey: KeyObject;
  readonly #alipayKey: KeyObject;
  /** Where Alipay sends the trade's async notifications (`credentials.notifyUrl`); none: the gateway polls only. */
  readonly #notifyUrl: string | undefined;

  constructor(connection: ProviderConnection) {
    // As GET /__sim/keys lists them (or the Alipay open platform console gives them).
    const c = new Credentials(this.provider, connection.credentials);
    c.require(['appId', 'merchantPrivateKey', 'alipayPublicKey']);
    this.#appId = c.text('appId');
    this.#merchantKey = c.rsaPrivateKey('merchantPrivateKey');
    this.#alipayKey = c.rsaPublicKey('alipayPublicKey');
    this.#notifyUrl = c.has('notifyUrl') ? c.url('notifyUrl', '') : undefined;
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#settleWithinMs = connection.settleWithinMs ?? 3_000;
    this.#queryWindowMs = connection.queryWindowMs ?? DEFAULT_QUERY_WINDOW_MS;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const sentAt = Date.now();
    const result = await this.#pay(req);
    return this.#endWindow(alipayOutTradeNo(req.orderId), sentAt, result);
  }

  async #pay(req: ChargeRequest): Promise<ChargeResult> {
    const deadline = performance.now() + this.#settleWithinMs;
    const outTradeNo = alipayOutTradeNo(req.orderId);
    const currency = req.currency.toUpperCase();
    // Everything here is a function of the order: Alipay answers ACQ.CONTEXT_INCONSISTENT when a
    // number comes back with another subject or amount.
    const biz = {
      out_trade_no: outTradeNo,
      scene: 'bar_code',
      auth_code: TEST_AUTH_CODE,
      subject: `paychaos ${req.orderId}`.slice(0, 256),
      // Yuan for CNY; with trans_currency, the major units of that currency.
      total_amount: minorToMajor(req.amount, currency),
      ...(currency !== 'CNY' ? { trans_currency: currency } : {}),
    };
    // notify_url: a trade the buyer confirms after the settle window still reaches the gateway.
    const pay = await this.#call('alipay.trade.pay', biz, this.#timeoutMs, this.#notifyUrl !== undefined ? { notify_url: this.#notifyUrl } : {});
    if (!('fields' in pay)) return pay;
    const { fields, status } = pay;
    const subCode = str(fields.sub_code);
    if (fields.code === '10000') return paid(fields, status);
    if (fields.code === '10003') return this.#settle(outTradeNo, deadline, waiting(str(fields.trade_no), status));
    if (subCode === 'ACQ.TRADE_HAS_SUCCESS') {
      // Paid by an earlier attempt for this order: success. One query finds its trade_no.
      const q = await this.#query(outTradeNo, this.#timeoutMs);
      return q.kind === 'final' && q.result.outcome === 'succeeded' ? q.result : { outcome: 'succeeded', providerCode: subCode, providerStatus: status };
    }
    const result: ChargeResult = { outcome: 'failed', errorCode: normaliseAlipay(fields), providerCode: subCode ?? str(fields.code), providerStatus: status };
    // "Call alipay.trade.query now": the trade may have been made (and paid) before the error.
    if (fields.code === '20000') return this.#settle(outTradeNo, deadline, { ...result, outcome: 'pending' }, true);
    return result;
  }

  /** `alipay.trade.query` by out_trade_no (the payment's providerReference): the trade's status, signed and verified. */
  async query(req: QueryRequest): Promise<QueryResult> {
    const outTradeNo = req.providerReference;
    const q = await this.#query(outTradeNo, this.#timeoutMs);
    if (q.kind === 'final') {
      this.#unknownSince.delete(outTradeNo);
      return q;
    }
    if (q.kind === 'absent') return { kind: 'absent', providerStatus: 200 };
    // Still waiting, or no verified answer: past the query window, cancel it (撤销).
    if (!(q.kind === 'unknown' && q.untrusted)) {
      const since = this.#unknownSince.get(outTradeNo) ?? Date.now();
      const cancelled = await this.#cancelAfterWindow(outTradeNo, since);
      if (cancelled) return { kind: 'final', result: cancelled };
    }
    if (q.kind === 'waiting') return { kind: 'waiting', result: waiting(q.tradeNo ?? req.providerPaymentId, 200) };
    return { kind: 'unknown', reason: 'no verified answer' };
  }

  /**
   * A charge's result at the end of its settle window: a known outcome as it is; an unknown one
   * cancelled if the query window has passed, else remembered for query() to cancel later. An
   * answer that did not verify is left alone: a cancel's answer would not verify either, and it
   * may move money (refund a paid trade) that nobody could then confirm.
   */
  async #endWindow(outTradeNo: string, sentAt: number, result: ChargeResult): Promise<ChargeResult> {
    if (result.outcome !== 'pending') {
      this.#unknownSince.delete(outTradeNo);
      return result;
    }
    if (result.providerCode === 'bad_signature') return result;
    return (await this.#cancelAfterWindow(outTradeNo, this.#unknownSince.get(outTradeNo) ?? sentAt)) ?? result;
  }

  /** alipay.trade.cancel once the window since `since` has passed: the failed result it makes, or undefined (not yet, or not cancelled). */
  async #cancelAfterWindow(outTradeNo: string, since: number): Promise<ChargeResult | undefined> {
    if (Date.now() - since < this.#queryWindowMs) {
      this.#unknownSince.set(outTradeNo, since);
      return undefined;
    }
    const cancelled = await this.#cancelTrade(outTradeNo);
    if (cancelled) this.#unknownSince.delete(outTradeNo);
    else this.#unknownSince.set(outTradeNo, since);
    return cancelled;
  }

  /**
   * alipay.trade.cancel by out_trade_no. 10000 means the trade is over and no money stays with the
   * merchant: `action` close (it was unpaid), refund (it was paid, now refunded in full), or none
   * (Alipay had no such trade). That number can never be paid again, so the payment failed
   * order_closed; providerCode says which (`cancel_close`, `cancel_refund`, `cancel`). retry_flag
   * Y is retried; any other answer leaves the outcome unknown.
   */
  async #cancelTrade(outTradeNo: string): Promise<ChargeResult | undefined> {
    for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
      const answer = await this.#call('alipay.trade.cancel', { out_trade_no: outTradeNo }, this.#timeoutMs);
      if (!('fields' in answer)) return undefined;
      const { fields, status } = answer;
      if (fields.code === '10000') {
        const action = str(fields.action);
        return { outcome: 'failed', errorCode: 'order_closed', providerCode: action ? `cancel_${action}` : 'cancel', ...tradeNo(fields), providerStatus: status };
      }
      if (fields.retry_flag !== 'Y') return undefined;
      if (attempt < CANCEL_ATTEMPTS) await sleep(CANCEL_RETRY_GAP_MS * attempt);
    }
    return undefined;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /**
   * alipay.trade.refund by out_trade_no, with out_request_no derived from the refundKey: Alipay's
   * refund idempotency (a repeat answers 10000 with `fund_change: N` and moves nothing), and what
   * tells two partial refunds apart. 10000 is the refund made; 20000 is "query the refund now"
   * (alipay.trade.fastpay.refund.query), so pending; 40004 a refusal by the lifecycle table.
   */
  async refund(req: RefundRequest): Promise<LifecycleResult> {
    const bad = badRefundAmount(req);
    if (bad) return bad;
    const currency = req.currency.toUpperCase();
    const outRequestNo = alipayOutTradeNo(req.refundKey);
    const answer = await this.#call('alipay.trade.refund', {
      out_trade_no: alipayOutTradeNo(req.orderId),
      refund_amount: minorToMajor(req.amount, currency),
      out_request_no: outRequestNo,
      ...(req.reason !== undefined ? { refund_reason: req.reason.slice(0, 256) } : {}),
      ...(currency !== 'CNY' ? { refund_currency: currency } : {}),
    }, this.#timeoutMs);
    if (!('fields' in answer)) return lifecycleOf(answer);
    const { fields, status } = answer;
    if (fields.code === '10000') return { outcome: 'succeeded', refundId: outRequestNo, status: fields.fund_change === 'N' ? 'fund_change_N' : 'fund_change_Y', providerStatus: status };
    const providerCode = str(fields.sub_code) ?? str(fields.code);
    const pending = fields.code === '20000';
    return { outcome: pending ? 'pending' : 'failed', errorCode: normaliseAlipayLifecycle(fields), ...(providerCode !== undefined ? { providerCode } : {}), refundId: outRequestNo, providerStatus: status };
  }

  /**
   * 分账: alipay.trade.order.settle moves the receiver's part of a paid trade to its Alipay account
   * (`royalty_parameters`, one `transfer` item to `trans_in`, a 2088… user id), under
   * `out_request_no` — Alipay's idempotency for a settle: the same number with the same items is
   * the same settle. Resuming, alipay.trade.order.settle.query by out_request_no and trade_no comes
   * first: ACQ.TRADE_SETTLE_NOT_EXIST means it was never received, so it is sent; an item in state
   * SUCCESS means done, FAIL refused; anything else is still processing.
   */
  async shareSplit(req: ShareRequest): Promise<ShareResult> {
    if (req.resume) {
      const q = await this.#call('alipay.trade.order.settle.query', { out_request_no: req.shareNo, trade_no: req.providerPaymentId }, this.#timeoutMs);
      if (!('fields' in q)) return { state: 'pending', providerCode: q.providerCode, providerStatus: q.providerStatus };
      const { fields, status } = q;
      if (fields.code === '10000') {
        const states = Array.isArray(fields.royalty_detail_list) ? fields.royalty_detail_list.map((d) => (isObject(d) ? str(d.state) : undefined)) : [];
        if (states.length > 0 && states.every((x) => x === 'SUCCESS')) return { state: 'shared', providerCode: 'SUCCESS', providerStatus: status };
        if (states.includes('FAIL')) return { state: 'failed', providerCode: 'FAIL', providerStatus: status };
        return { state: 'pending', providerCode: states.find((x) => x !== 'SUCCESS') ?? 'PROCESSING', providerStatus: status };
      }
      if (fields.sub_code !== 'ACQ.TRADE_SETTLE_NOT_EXIST') return { state: 'pending', providerCode: str(fields.sub_code) ?? str(fields.code), providerStatus: status };
    }
    const currency = req.currency.toUpperCase();
    const answer = await this.#call('alipay.trade.order.settle', {
      out_request_no: req.shareNo,
      trade_no: req.providerPaymentId,
      royalty_parameters: [{ royalty_type: 'transfer', trans_in_type: 'userId', trans_in: req.destination, amount: minorToMajor(req.amount, currency), desc: `paychaos ${req.orderId}`.slice(0, 1000) }],
    }, this.#timeoutMs);
    if (!('fields' in answer)) return { state: 'pending', providerCode: answer.providerCode, providerStatus: answer.providerStatus };
    const { fields, status } = answer;
    if (fields.code === '10000') return { state: 'shared', providerCode: str(fields.settle_no), providerStatus: status };
    const providerCode = str(fields.sub_code) ?? str(fields.code);
    // 20000 and ACQ.SYSTEM_ERROR: ask again (settle.query first); any other 40004 is a refusal.
    const retry = fields.code === '20000' || providerCode === 'ACQ.SYSTEM_ERROR';
    return { state: retry ? 'pending' : 'failed', providerCode, providerStatus: status };
  }

  /**
   * alipay.trade.close: an unpaid trade (WAIT_BUYER_PAY) can never be paid afterwards. A paid
   * one answers ACQ.TRADE_STATUS_ERROR — its money needs refund(). (alipay.trade.cancel, 撤销,
   * would refund a paid trade silently; a merchant's cancel keeps every money movement a refund
   * the gateway books. The client sends 撤销 only for a pay whose outcome it never learned.)
   */
  async cancel(req: CancelRequest): Promise<LifecycleResult> {
    const answer = await this.#call('alipay.trade.close', { out_trade_no: alipayOutTradeNo(req.orderId) }, this.#timeoutMs);
    if (!('fields' in answer)) return lifecycleOf(answer);
    const { fields, status } = answer;
    if (fields.code === '10000') return { outcome: 'succeeded', status: 'TRADE_CLOSED', providerStatus: status };
    const providerCode = str(fields.sub_code) ?? str(fields.code);
    return { outcome: fields.code === '20000' ? 'pending' : 'failed', errorCode: normaliseAlipayLifecycle(fields), ...(providerCode !== undefined ? { providerCode } : {}), providerStatus: status };
  }

  /**
   * alipay.trade.fastpay.refund.query by out_trade_no and out_request_no. Alipay: a 10000 that
   * returns the refund's data (refund_amount) with refund_status empty or REFUND_SUCCESS is a
   * refund made; a 10000 without it means no such refund — refund() with the same out_request_no
   * may be retried.
   */
  async queryRefund(q: RefundQuery): Promise<RefundStatus> {
    const outRequestNo = alipayOutTradeNo(q.refundKey);
    const answer = await this.#call('alipay.trade.fastpay.refund.query', { out_trade_no: alipayOutTradeNo(q.orderId), out_request_no: outRequestNo }, this.#timeoutMs);
    if (!('fields' in answer)) return { state: 'unknown', ...(answer.providerCode !== undefined ? { providerCode: answer.providerCode } : {}), providerStatus: answer.providerStatus };
    const { fields, status } = answer;
    if (fields.sub_code === 'ACQ.TRADE_NOT_EXIST') return { state: 'absent', providerCode: 'ACQ.TRADE_NOT_EXIST', providerStatus: status };
    if (fields.code !== '10000') return { state: 'unknown', ...(str(fields.sub_code) !== undefined ? { providerCode: str(fields.sub_code)! } : {}), providerStatus: status };
    const amount = str(fields.refund_amount);
    if (amount === undefined) return { state: 'absent', providerStatus: status };
    const refundStatus = str(fields.refund_status);
    const minor = majorToMinor(amount, str(fields.refund_currency) ?? 'CNY');
    return { state: refundStatus === undefined || refundStatus === 'REFUND_SUCCESS' ? 'succeeded' : 'pending', refundId: outRequestNo, ...(minor !== undefined ? { amount: minor } : {}), providerCode: refundStatus ?? 'REFUND_SUCCESS', providerStatus: status };
  }

  /**
   * Poll trade.query (growing gaps) until the trade is paid or closed, or the deadline passes:
   * then `known`, updated by what the last query saw. `absentEnds`: after a system error a trade
   * that does not exist was never made, so waiting longer learns nothing.
   */
  #settle(outTradeNo: string, deadline: number, known: ChargeResult, absentEnds = false): Promise<ChargeResult> {
    return settle(deadline, known, this.#timeoutMs, async (timeoutMs): Promise<SettleStep> => {
      const q = await this.#query(outTradeNo, timeoutMs);
      if (q.kind === 'final') return q;
      if (q.kind === 'absent') return absentEnds ? { kind: 'stop' } : { kind: 'unknown' };
      if (q.kind === 'waiting') return { kind: 'waiting', known: waiting(q.tradeNo ?? known.paymentId, 200) };
      return { kind: 'unknown' };
    });
  }

  async #query(outTradeNo: string, timeoutMs: number): Promise<Query> {
    const answer = await this.#call('alipay.trade.query', { out_trade_no: outTradeNo }, timeoutMs);
    // Transport errors, 5xx and unverifiable answers say nothing about the trade.
    if (!('fields' in answer)) return { kind: 'unknown', untrusted: answer.providerCode === 'bad_signature' };
    const { fields, status } = answer;
    if (fields.sub_code === 'ACQ.TRADE_NOT_EXIST') return { kind: 'absent' };
    if (fields.code !== '10000') return { kind: 'unknown' };
    switch (fields.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED':
        return { kind: 'final', result: paid(fields, status) };
      case 'TRADE_CLOSED':
        // Declined, cancelled by the buyer, or timed out: this out_trade_no cannot be paid any more.
        return { kind: 'final', result: { outcome: 'failed', errorCode: 'order_closed', providerCode: 'TRADE_CLOSED', ...tradeNo(fields), providerStatus: status } };
      case 'WAIT_BUYER_PAY':
        return { kind: 'waiting', tradeNo: str(fields.trade_no) };
      default:
        return { kind: 'unknown' };
    }
  }

  /** One signed gateway.do call: a verified answer, or the ChargeResult of not getting one. */
  async #call(method: string, biz: Fields, timeoutMs: number, common: Readonly<Record<string, string>> = {}): Promise<Answer | ChargeResult> {
    const params: Record<string, string> = {
      ...common,
      app_id: this.#appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: beijingTimestamp(Date.now()),
      version: '1.0',
      biz_content: JSON.stringify(biz),
    };
    params.sign = signSha256WithRsa(signContent(params), this.#merchantKey);
    const answer = await postForm(this.#pool, '/gateway.do', params, 'utf-8', timeoutMs);
    if (!('text' in answer)) return answer;
    const { status, text } = answer;
    // Alipay answers everything with 200; anything else is the load balancer in front of it.
    if (status !== 200) return statusFailure(status, undefined) ?? unreadableAnswer(status);
    return this.#read(method, status, text);
  }

  #read(method: string, status: number, text: string): Answer | ChargeResult {
    // Not a JSON object (`null`, an array, a cut body): no answer, and no trade can be read from it.
    const json = jsonObject(text);
    if (json === undefined) return unreadableAnswer(status);
    const key = `${method.replace(/\./g, '_')}_response`;
    const fields = json[key];
    if (!isObject(fields)) {
      // error_response: the gateway could not read the method, so it ran nothing (and signs nothing).
      const e = json.error_response;
      return isObject(e) ? { outcome: 'failed', errorCode: normaliseAlipay(e), providerCode: str(e.sub_code) ?? str(e.code), providerStatus: status } : unreadableAnswer(status);
    }
    const signed = signedText(text, key);
    if (typeof json.sign !== 'string' || signed === undefined || !verifySha256WithRsa(signed, json.sign, this.#alipayKey)) {
      // Not provably Alipay's answer (wrong key, tampered, a proxy's rewrite): believe nothing,
      // in particular not "paid" — the charge's fate is unknown until a verified answer says.
      return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'bad_signature', providerStatus: status };
    }
    return { fields, status };
  }
}

/**
 * RSA2 sign content of a request: non-empty parameters but `sign`, sorted by name, `k=v` joined
 * with '&', values raw (not URL-encoded).
 */
function signContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * The exact text of `"<key>":{…}` in a response — what Alipay signed — taken from the bytes, as
 * re-serialising parsed JSON need not reproduce them. `sign` may follow or precede it.
 */
function signedText(text: string, key: string): string | undefined {
  const at = text.indexOf(`"${key}":`);
  if (at < 0) return undefined;
  const from = at + key.length + 3;
  const signAt = text.lastIndexOf(',"sign"');
  const end = signAt > from ? signAt : text.lastIndexOf('}');
  return end > from ? text.slice(from, end).trim() : undefined;
}

/** `yyyy-MM-dd HH:mm:ss`, Beijing time (UTC+8, no daylight saving), as gateway.do wants it. */
function beijingTimestamp(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function paid(fields: Fields, status: number): ChargeResult {
  return { outcome: 'succeeded', ...tradeNo(fields), providerStatus: status };
}

/**
 * The buyer has not confirmed yet: Alipay took the trade and it waits for the buyer's phone. No
 * errorCode — nothing went wrong — so the gateway answers 202; the body still says the outcome is
 * unknown, and the order guard keeps a new key from paying it again.
 */
function waiting(tradeNo: string | undefined, status: number): ChargeResult {
  return { outcome: 'pending', providerCode: 'WAIT_BUYER_PAY', ...(tradeNo ? { paymentId: tradeNo } : {}), providerStatus: status };
}

const tradeNo = (fields: Fields): { paymentId?: string } => (typeof fields.trade_no === 'string' ? { paymentId: fields.trade_no } : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
