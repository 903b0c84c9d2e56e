import { createHash } from 'node:crypto';
import { errors as undiciErrors } from 'undici';
import type { NormalisedCode, PaymentOutcome } from '../../src/conventions/index.js';
import type { CancelRequest, CaptureRequest, LifecycleResult, RefundQuery, RefundRequest, RefundStatus } from './lifecycle.js';

/**
 * What the gateway asks of a provider, whichever it is: charge this order, once. Each provider's
 * client turns it into that provider's own protocol (PaymentIntents, /payments, gateway.do,
 * APIv3, Orders v2, a WireMock-described wallet) and its answer back into a ChargeResult.
 */
export interface ChargeRequest {
  orderId: string;
  /** Minor units. */
  amount: number;
  /** Lower-case ISO 4217. */
  currency: string;
  /** The shopper's payment method as the traffic model names it (pm_card_visa, pm_alipay …). */
  paymentMethod: string;
  /**
   * Stable for every attempt the gateway makes for this request: sent as the provider's
   * idempotency key (or used to derive its merchant order number), so the gateway's own retries
   * can never charge twice.
   */
  providerKey: string;
  /**
   * `manual`: authorise only — the provider holds the money (Stripe `requires_capture`) and the
   * payment stays pending until a cancel voids it. Sent only to a client with `manualCapture`
   * (the server refuses it otherwise, before any call). A client without a status query would be
   * resumed by charging again without it; none such offers manualCapture.
   */
  capture?: 'manual';
  /**
   * `challenge`: a card that asks for 3-D Secure is given a page to send the shopper to, and the
   * payment waits for them (pending, ChargeResult.nextActionUrl) instead of failing
   * authentication_required. Sent only to a client with `threeDSecureChallenge`.
   */
  threeDSecure?: 'challenge';
  /**
   * A marketplace order: send `amount − platformFee` to `destination` and keep `platformFee` for
   * the platform, in the provider's own way (Stripe `transfer_data[destination]` +
   * `application_fee_amount`; Adyen `splits[]`). Sent only to a client with `splits`.
   */
  split?: { destination: string; platformFee: number };
}

export interface ChargeResult {
  /** pending = the charge may exist but is not known to have succeeded (timeout, 5xx, still waiting for the shopper). */
  outcome: PaymentOutcome;
  /**
   * Why it failed, or why its outcome is unknown. A pending result without one, with the
   * provider's 2xx status, means the provider took the payment and it waits for the shopper (a
   * wallet not yet confirmed on the phone): the gateway answers it 202, not 5xx.
   */
  errorCode?: NormalisedCode;
  /** The provider's own code (decline code, sub_code, issue …). */
  providerCode?: string;
  /** The provider's id of the payment. */
  paymentId?: string;
  /** HTTP status of the provider's last answer; 0 when none came. */
  providerStatus: number;
  /** Pending on a 3-D Secure challenge: the page the shopper must visit to authenticate. */
  nextActionUrl?: string;
  /**
   * Minor units the provider captured, when it says and it differs from nothing asked (a query of a
   * payment held and then captured in part: Stripe's amount_received). Absent: the payment's amount.
   */
  capturedAmount?: number;
}

export interface ProviderClient {
  /** The provider as results name it: stripe, adyen, alipay, wechatpay, paypal, wiremock:localwallet … */
  readonly provider: string;
  /** Honours ChargeRequest.capture `manual` (authorise only). */
  readonly manualCapture?: boolean;
  /** Honours ChargeRequest.threeDSecure `challenge` (a card's 3-D Secure page handed to the shopper). */
  readonly threeDSecureChallenge?: boolean;
  /** Honours ChargeRequest.split in the charge itself (a marketplace order's split). */
  readonly splits?: boolean;
  /**
   * Shares a marketplace order's split in a call of its own once the payment succeeded (Alipay
   * alipay.trade.order.settle, WeChat Pay POST /v3/profitsharing/orders), under a number derived
   * from the payment (shareNumber) so a repeat is the same share at the provider. With `resume`
   * it asks first (settle.query, GET the profit-sharing order) and sends only what the provider
   * has never seen. A client with it is sent ChargeRequest.split too, for what the charge must
   * say (WeChat's settle_info.profit_sharing).
   */
  shareSplit?(req: ShareRequest): Promise<ShareResult>;
  /** What this provider takes as a split's destination, when narrower than any account id: the request is refused 400 otherwise, naming it. */
  readonly splitDestination?: { readonly pattern: RegExp; readonly hint: string };
  charge(req: ChargeRequest): Promise<ChargeResult>;
  /**
   * Ask the provider, through its own status API, how a payment stands — never by charging. How
   * the recovery loop settles a payment left pending (a timeout after sending, a wallet still
   * waiting, a crash mid-call). Optional: Adyen's Checkout API has no status query (its answer
   * comes in the AUTHORISATION notification), so its client has none.
   */
  query?(req: QueryRequest): Promise<QueryResult>;
  close(): Promise<void>;
  /**
   * Give money back, full or partial (lifecycle.ts). Optional: the WireMock-described wallet
   * (wiremock:localwallet) has no refund the gateway speaks; every native provider has one.
   */
  refund?(req: RefundRequest): Promise<LifecycleResult>;
  /**
   * Void an authorisation or close an unpaid order, never touching captured money (that is a
   * refund). Optional for the same reason as refund.
   */
  cancel?(req: CancelRequest): Promise<LifecycleResult>;
  /**
   * Capture an authorisation held with ChargeRequest.capture `manual`, in full or in part
   * (lifecycle.ts). Every client with `manualCapture` has one.
   */
  capture?(req: CaptureRequest): Promise<LifecycleResult>;
  /**
   * What the provider knows of one refund (lifecycle.ts). Optional: Adyen has no query for a
   * modification — its REFUND notification is the answer — and localwallet has no refunds.
   */
  queryRefund?(q: RefundQuery): Promise<RefundStatus>;
  /**
   * Confirm an existing payment again with another payment method (Stripe: a PaymentIntent back
   * in requires_payment_method after a decline or a failed 3-D Secure challenge). Only the
   * threeDSecureFallbackCard regression calls it (three-ds-fallback.ts); optional: only Stripe's
   * payments can be retried in place.
   */
  confirmAgain?(req: ConfirmAgainRequest): Promise<ChargeResult>;
}

/** A split to share after its payment: the receiver's part of a payment the provider has taken. */
export interface ShareRequest {
  /** The provider's id of the paid payment (Alipay trade_no, WeChat Pay transaction_id). */
  providerPaymentId: string;
  /** The provider's number for this share (shareNumber of the payment). */
  shareNo: string;
  /** The receiver's part, minor units, > 0. */
  amount: number;
  /** Lower-case ISO 4217. */
  currency: string;
  /** The provider's id of the receiver (an Alipay user id 2088…, a WeChat Pay merchant id or openid). */
  destination: string;
  orderId: string;
  /** Ask the provider first: an earlier call may have shared it already. */
  resume: boolean;
}

/**
 * What became of a share: `shared` (the provider says the receiver has it), `pending` (accepted
 * and processing, or no usable answer: ask again with the same number), `failed` (refused for good).
 */
export type ShareResult = { readonly state: 'shared' | 'pending' | 'failed'; readonly providerCode?: string | undefined; readonly providerStatus: number };

/**
 * The provider's number for a payment's split share (Alipay out_request_no, WeChat Pay
 * out_order_no): `sp_` and 40 hex digits of the SHA-256 of the payment id — the same for every
 * call about that payment, in the characters both providers take.
 */
export function shareNumber(paymentId: string): string {
  return `sp_${createHash('sha256').update(paymentId, 'utf8').digest('hex').slice(0, 40)}`;
}

/** A payment the provider already has, to be confirmed again with `paymentMethod`. */
export interface ConfirmAgainRequest {
  /** The provider's id of the payment (the PaymentIntent). */
  providerPaymentId: string;
  paymentMethod: string;
  /** Sent as the provider's idempotency key: a notification delivered twice confirms once. */
  providerKey: string;
}

/** What the gateway knows of a payment when it asks the provider about it. */
export interface QueryRequest {
  orderId: string;
  /** The merchant order number the provider keeps (out_trade_no for Alipay/WeChat Pay). */
  providerReference: string;
  /** The provider's id, when an answer gave one (PaymentIntent, trade_no, PayPal order, charge id). */
  providerPaymentId?: string;
  /** The key the charge carried: PayPal's request ids derive from it. */
  providerKey: string;
  amount: number;
  currency: string;
}

/**
 * What a status query learned:
 * - final: the payment ended (succeeded or failed) — `result` as a charge would have said it;
 * - waiting: it exists and waits (for the shopper, for processing); `result` pending;
 * - absent: the provider has no such payment (it was never received);
 * - unknown: no usable answer (timeout, 5xx, unverifiable, or nothing to look it up by).
 */
export type QueryResult =
  | { readonly kind: 'final'; readonly result: ChargeResult }
  | { readonly kind: 'waiting'; readonly result: ChargeResult }
  | { readonly kind: 'absent'; readonly providerStatus: number }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * How to reach one provider: its (usually proxied) base URL and the merchant's credentials, as
 * the simulator's `GET /__sim/keys` lists them (a real provider's dashboard would). Read once,
 * when the client is built (connection.ts): a field it cannot use is
 * PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS naming the provider and the field.
 */
export interface ProviderConnection {
  url: string;
  credentials?: Readonly<Record<string, unknown>>;
  /** Per provider call (headers and body), default 10 s. */
  timeoutMs?: number;
  /** Connections in the client's pool, default 64. */
  connections?: number;
  /**
   * For providers whose answer can be "waiting for the shopper" (wallets): how long the
   * gateway polls for the final state before it answers pending. Default 3 s.
   */
  settleWithinMs?: number;
  /**
   * Alipay face-to-face: how long, from the first pay, a trade whose outcome is unknown (the buyer
   * has not confirmed, or no answer could be read) is queried before the client cancels it with
   * alipay.trade.cancel (撤销), as Alipay's docs prescribe. Default 30 s (their suggested window).
   */
  queryWindowMs?: number;
}

/**
 * A call that got no usable answer. Refused at connect: nothing reached the provider, so a plain
 * network error, safe to retry. Anything else (a timeout, a reset, a body cut short) happened
 * after the request may have been processed: the charge may exist, so the outcome is unknown
 * until queried.
 */
export function transportFailure(err: unknown): ChargeResult {
  const code = (err as { code?: string }).code ?? 'error';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') return { outcome: 'failed', errorCode: 'network_error', providerCode: code, providerStatus: 0 };
  const timedOut = err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError;
  return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: timedOut ? 'timeout' : code, providerStatus: 0 };
}

/**
 * The body of an answer as a JSON object, or undefined when it is not one: not JSON at all, or
 * JSON that is `null`, an array, a string, a number (a proxy's rewrite, a broken upstream).
 */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * A provider idempotency key of at most `max` characters. The gateway's providerKey
 * (`gw-<16 hex>-<client key>`) can reach 275; a longer one is sent as `pk-` and its SHA-256, as
 * stable as the key itself. Keys that fit go as they are, readable in the provider's logs.
 */
export function boundedKey(providerKey: string, max: number): string {
  return providerKey.length <= max ? providerKey : `pk-${createHash('sha256').update(providerKey).digest('base64url')}`;
}

/**
 * A provider answered with a status but the body is not the JSON it promised (a proxy's
 * limit_data cut it): not an answer, the charge may exist.
 */
export function unreadableAnswer(status: number): ChargeResult {
  return { outcome: 'pending', errorCode: 'outcome_unknown', providerStatus: status };
}

/**
 * The status-only reading of a provider's error answer, before its own codes are looked at:
 * 429 is rate limiting; any 5xx after the request reached the provider leaves the charge
 * possibly committed ("charged, then 5xx": 503 included — its body looks like a maintenance
 * 503's), so it is pending, and the gateway's order guard refuses a new key for the order.
 */
export function statusFailure(status: number, providerCode: string | undefined): ChargeResult | undefined {
  const code = providerCode !== undefined ? { providerCode } : {};
  if (status === 429) return { outcome: 'failed', errorCode: 'rate_limited', ...code, providerStatus: status };
  if (status === 503) return { outcome: 'pending', errorCode: 'provider_unavailable', ...code, providerStatus: status };
  if (status >= 500) return { outcome: 'pending', errorCode: 'provider_error', ...code, providerStatus: status };
  return undefined;
}
