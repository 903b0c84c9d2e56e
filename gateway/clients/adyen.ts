import type { Dispatcher } from 'undici';
import { normaliseAdyen } from './codes/index.js';
import { Credentials, openPool } from './connection.js';
import { badCaptureAmount, badRefundAmount, lifecycleFailure, lifecycleStatusFailure, lifecycleUnreadable, notSendable, type CancelRequest, type CaptureRequest, type LifecycleResult, type RefundRequest } from './lifecycle.js';
import { boundedKey, jsonObject, statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection } from './provider-client.js';

/**
 * Talks to Adyen's Checkout API v71 (the simulator, or anything that speaks it): one
 * `POST /v71/payments` per charge, paying with a scheme card chosen from the traffic model's
 * payment method — or, for pm_alipay, pm_wechat_pay and pm_paypal, with that wallet as an Adyen
 * payment method (walletOf), which waits for its shopper.
 *
 * No `/captures` call follows an Authorised answer: Adyen captures immediately unless the
 * merchant account or the request asks for manual capture, and the simulator does the same (its
 * ledger gets the authorisation and the capture in one commit). Authorised is money moved —
 * except for a charge with capture `manual`, sent with `additionalData.manualCapture: "true"`
 * (docs.adyen.com/online-payments/capture): then Authorised is a hold (pending, `Authorised`)
 * until `POST /payments/{pspReference}/captures`, whose CAPTURE notification books the money.
 *
 * No `query`: Adyen's Checkout API has no endpoint that reports a payment's status by
 * pspReference or reference — "You need to rely on your webhooks for this information" (Adyen
 * help centre, "Is there an API which can allow me to show the status of the transaction?"). A
 * pending Adyen payment is settled by its AUTHORISATION notification, or by the same request
 * under the same idempotency-key, which Adyen answers with the first one's result (kept ≥ 7 days).
 */
export class AdyenClient implements ProviderClient {
  readonly provider = 'adyen';
  readonly manualCapture = true;
  readonly splits = true;
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #apiKey: string | undefined;
  readonly #merchantAccount: string;
  readonly #returnUrl: string;

  constructor(connection: ProviderConnection) {
    const c = new Credentials(this.provider, connection.credentials);
    // No key: the simulator asks for none unless started with one.
    this.#apiKey = c.has('apiKey') ? c.headerText('apiKey') : undefined;
    this.#merchantAccount = c.text('merchantAccount', 'PaychaosECOM');
    // Adyen wants somewhere to send a shopper who must authenticate; the gateway has no shopper
    // page, so such a charge ends as authentication_required and nobody follows this URL. (An
    // app's custom scheme is a valid returnUrl too, so any non-empty text is taken.)
    this.#returnUrl = c.text('returnUrl', 'https://paychaos.invalid/adyen/return');
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const wallet = walletOf(req.paymentMethod, req.currency);
    const phone = networkTokenWalletOf(req.paymentMethod);
    const card = CARDS[req.paymentMethod] ?? VISA;
    const body = JSON.stringify({
      merchantAccount: this.#merchantAccount,
      amount: { value: req.amount, currency: req.currency.toUpperCase() },
      // Unchanged: the ledger keeps `reference` as the order id, and the no-double-charge invariant joins on it.
      reference: req.orderId,
      paymentMethod: wallet ?? phone ?? { type: 'scheme', number: card.number, expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: card.holderName },
      returnUrl: this.#returnUrl,
      shopperInteraction: 'Ecommerce',
      ...(req.capture === 'manual' ? { additionalData: { manualCapture: 'true' } } : {}),
      ...(req.split ? { splits: splitsOf(req.orderId, req.amount, req.currency, req.split) } : {}),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': boundedKey(req.providerKey, MAX_IDEMPOTENCY_KEY) };
    if (this.#apiKey !== undefined) headers['x-api-key'] = this.#apiKey;
    try {
      const res = await this.#pool.request({ method: 'POST', path: '/v71/payments', headers, body, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
      const text = await res.body.text();
      return interpret(res.statusCode, res.headers['transient-error'] === 'true', text, wallet !== undefined, req.capture === 'manual');
    } catch (err) {
      return transportFailure(err);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /**
   * POST /v71/payments/{pspReference}/refunds with the refundKey as idempotency-key (a retry gets
   * the first answer). Adyen only *receives* a modification (201 `status: received`, a new
   * pspReference): whether it worked arrives in a REFUND notification (webhooks/adyen.ts), so
   * the result is pending with that pspReference as the refund id. An amount over what is left is
   * refused in that notification (`success: false`), not here.
   */
  async refund(req: RefundRequest): Promise<LifecycleResult> {
    const bad = badRefundAmount(req);
    if (bad) return bad;
    if (req.paymentId === undefined) return notSendable('psp_reference_required');
    return this.#modify(`/v71/payments/${encodeURIComponent(req.paymentId)}/refunds`, {
      merchantAccount: this.#merchantAccount,
      amount: { value: req.amount, currency: req.currency.toUpperCase() },
      reference: boundedKey(req.refundKey, MAX_IDEMPOTENCY_KEY),
      // A split payment's refund says whose money goes back: the user's balance account gives its
      // share back, the platform's commission the rest (summing to the refund's amount).
      ...(req.split ? { splits: refundSplitsOf(req.orderId, req.currency, req.split) } : {}),
    }, req.refundKey, 'refundId');
  }

  /**
   * Cancel an authorisation not yet captured: POST /v71/payments/{pspReference}/cancels, or —
   * when a timeout left the gateway without a pspReference — the standalone POST /v71/cancels by
   * the payment's merchant reference (the order id). Received now, confirmed by a CANCELLATION
   * (or TECHNICAL_CANCEL) notification; a captured payment's cancel comes back `success: false`.
   */
  async cancel(req: CancelRequest): Promise<LifecycleResult> {
    const reference = boundedKey(req.cancelKey, MAX_IDEMPOTENCY_KEY);
    if (req.paymentId !== undefined) return this.#modify(`/v71/payments/${encodeURIComponent(req.paymentId)}/cancels`, { merchantAccount: this.#merchantAccount, reference }, req.cancelKey, 'cancelId');
    return this.#modify('/v71/cancels', { merchantAccount: this.#merchantAccount, paymentReference: req.orderId, reference }, req.cancelKey, 'cancelId');
  }

  /**
   * Capture a held authorisation, in full or in part: POST /v71/payments/{pspReference}/captures
   * with the amount, the captureKey as idempotency-key. Received now (201 `status: received`, the
   * capture's own pspReference); the CAPTURE notification says whether it worked and books it.
   */
  async capture(req: CaptureRequest): Promise<LifecycleResult> {
    const bad = badCaptureAmount(req);
    if (bad) return bad;
    if (req.paymentId === undefined) return notSendable('psp_reference_required');
    return this.#modify(`/v71/payments/${encodeURIComponent(req.paymentId)}/captures`, {
      merchantAccount: this.#merchantAccount,
      amount: { value: req.amount, currency: req.currency.toUpperCase() },
      reference: boundedKey(req.captureKey, MAX_IDEMPOTENCY_KEY),
    }, req.captureKey, 'captureId');
  }

  /** One modification call; `idField` names where its pspReference goes in the result (refundId for a refund, cancelId for a cancel, captureId for a capture). */
  async #modify(path: string, payload: Record<string, unknown>, key: string, idField: 'refundId' | 'cancelId' | 'captureId'): Promise<LifecycleResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': boundedKey(key, MAX_IDEMPOTENCY_KEY) };
    if (this.#apiKey !== undefined) headers['x-api-key'] = this.#apiKey;
    try {
      const res = await this.#pool.request({ method: 'POST', path, headers, body: JSON.stringify(payload), headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
      const json = jsonObject(await res.body.text());
      if (json === undefined) return lifecycleUnreadable(res.statusCode);
      if ((res.statusCode === 200 || res.statusCode === 201) && json.status === 'received') {
        return { outcome: 'pending', status: 'received', ...(typeof json.pspReference === 'string' ? { [idField]: json.pspReference } : {}), providerStatus: res.statusCode };
      }
      const errorCode = str(json.errorCode);
      const failure = lifecycleStatusFailure(res.statusCode, errorCode);
      if (failure) return failure;
      // 704 / transient-error: as for a charge, not an answer yet; retry with the same key.
      if (errorCode === '704' || res.headers['transient-error'] === 'true') return { outcome: 'pending', errorCode: 'outcome_unknown', ...(errorCode !== undefined ? { providerCode: errorCode } : {}), providerStatus: res.statusCode };
      return { outcome: 'failed', errorCode: normaliseAdyen({ errorCode: errorCode ?? String(res.statusCode), status: res.statusCode }), ...(errorCode !== undefined ? { providerCode: errorCode } : {}), providerStatus: res.statusCode };
    } catch (err) {
      return lifecycleFailure(err);
    }
  }
}

interface TestCard {
  number: string;
  holderName: string;
}

/** Adyen's test cards (CVC 737, expiry 03/2030 on every one). */
const VISA: TestCard = { number: '4111111111111111', holderName: 'Paychaos Shopper' };

/**
 * The traffic model's Stripe-named payment methods, as the Adyen test cards and holder-name
 * triggers that give the same outcome (simulators/adyen/test-triggers.ts). Anything else pays
 * with the plain visa.
 */
const CARDS: Readonly<Record<string, TestCard>> = Object.freeze({
  pm_card_visa: VISA,
  pm_card_mastercard: { number: '5555341244441115', holderName: 'Paychaos Shopper' },
  pm_card_chargeDeclined: { ...VISA, holderName: 'DECLINED' }, // 2 Refused → card_declined
  pm_card_chargeDeclinedInsufficientFunds: { ...VISA, holderName: 'NOT_ENOUGH_BALANCE' }, // 12 → insufficient_funds
  pm_card_chargeDeclinedExpiredCard: { ...VISA, holderName: 'CARD_EXPIRED' }, // 6 → expired_card
  pm_card_chargeDeclinedIncorrectCvc: { ...VISA, holderName: 'CVC_DECLINED' }, // 24 → incorrect_cvc
  // resultCode Error with 4 Acquirer Error → provider_error, as Stripe's processing_error normalises.
  pm_card_chargeDeclinedProcessingError: { ...VISA, holderName: 'ERROR' },
  // A card enrolled in 3-D Secure: the answer is RedirectShopper.
  pm_card_authenticationRequired: { number: '4212345678901237', holderName: 'Paychaos Shopper' },
});

/**
 * Wallets Adyen carries as payment methods (its API-only guides for Alipay, WeChat Pay, PayPal):
 * how the gateway pays a wallet shopper through Adyen when the route fails over from the native
 * provider. WeChat Pay goes as `wechatpayQR`: a server-side gateway has no app to hand an SDK
 * payload to, and the QR code is what a desktop checkout shows. PayPal as `redirect`, its default flow.
 */
function walletOf(paymentMethod: string, currency: string): Record<string, string> | undefined {
  // iDEAL and GrabPay redirect their shopper to the bank or wallet, as the wallets above do.
  if (paymentMethod === 'pm_ideal') return { type: 'ideal' };
  // GrabPay's type names its country, which its currency gives (Adyen: grabpay_SG, _MY, _PH).
  if (paymentMethod === 'pm_grabpay') return { type: GRABPAY_BY_CURRENCY[currency.toUpperCase()] ?? 'grabpay_SG' };
  if (paymentMethod === 'pm_alipay') return { type: 'alipay' };
  if (paymentMethod === 'pm_paypal') return { type: 'paypal', subtype: 'redirect' };
  if (paymentMethod.startsWith('pm_wechat')) return { type: 'wechatpayQR' };
  return undefined;
}

const GRABPAY_BY_CURRENCY: Readonly<Record<string, string>> = Object.freeze({ SGD: 'grabpay_SG', MYR: 'grabpay_MY', PHP: 'grabpay_PH' });

/**
 * Apple Pay and Google Pay through Adyen (its API-only guides): the wallet's token as
 * `applePayToken` (base64 of Apple's payment data) or `googlePayToken` (Google's payment data JSON).
 * A server-side gateway has no phone to get a real token from, so it sends test tokens of the
 * documented shape; a real merchant forwards the one its checkout page received.
 */
function networkTokenWalletOf(paymentMethod: string): Record<string, string> | undefined {
  if (paymentMethod.endsWith('_applePay')) {
    const data = { version: 'EC_v1', data: Buffer.from('paychaos test payment data').toString('base64'), signature: 'MIAGCSqGSIb3DQEHAqCAMIACAQ', header: { ephemeralPublicKey: 'MFkwEwYHKoZIzj0CAQ', publicKeyHash: 'LbsUwAT6w1JV9tFXocU813TCHks', transactionId: 'paychaos' } };
    return { type: 'applepay', applePayToken: Buffer.from(JSON.stringify(data)).toString('base64') };
  }
  if (paymentMethod.endsWith('_googlePay')) {
    return { type: 'googlepay', googlePayToken: JSON.stringify({ protocolVersion: 'ECv2', signature: 'MEYCIQDpaychaos', intermediateSigningKey: { signedKey: '{}', signatures: ['MEQCIDpaychaos'] }, signedMessage: '{"encryptedMessage":"paychaos","ephemeralPublicKey":"BPaychaos","tag":"paychaos"}' }) };
  }
  return undefined;
}

/** Adyen takes idempotency keys of at most 64 characters; the gateway's providerKey can be longer. */
const MAX_IDEMPOTENCY_KEY = 64;

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function interpret(status: number, transient: boolean, text: string, wallet: boolean, manual: boolean): ChargeResult {
  const json = jsonObject(text);
  if (json === undefined) return unreadableAnswer(status);
  // HTTP 200 is not success: the answer is in resultCode.
  if (status === 200 && typeof json.resultCode === 'string') return fromResultCode(json.resultCode, json, status, wallet, manual);
  const errorCode = str(json.errorCode);
  const failure = statusFailure(status, errorCode);
  if (failure) return failure;
  // 704: our key already belongs to a request whose answer we do not have — still running, or
  // (without transient-error) sent with another body. That request may yet authorise, and a retry
  // with the same key will be given its result; calling it duplicate_transaction would claim a
  // charge exists, which nobody knows yet. Any other transient-error is Adyen's own "retry with
  // the same key": also not an answer.
  if (errorCode === '704' || transient) return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: errorCode, providerStatus: status };
  return { outcome: 'failed', errorCode: normaliseAdyen({ errorCode, status }), providerCode: errorCode, providerStatus: status };
}

function fromResultCode(resultCode: string, json: Json, status: number, wallet: boolean, manual: boolean): ChargeResult {
  const paymentId = str(json.pspReference);
  const id = paymentId !== undefined ? { paymentId } : {};
  switch (resultCode) {
    case 'Authorised':
      // Asked to hold (manualCapture): authorised is not captured — pending on the hold, no error (202).
      if (manual) return { outcome: 'pending', providerCode: 'Authorised', ...id, providerStatus: status };
      return { outcome: 'succeeded', ...id, providerStatus: status };
    case 'Refused':
    case 'Cancelled':
    // Error is final, not "unknown": Adyen did not authorise (nothing is committed), as a Stripe processing_error is a decline.
    case 'Error': {
      const refusalReasonCode = str(json.refusalReasonCode);
      return { outcome: 'failed', errorCode: normaliseAdyen({ resultCode, refusalReasonCode }), providerCode: refusalReasonCode ?? resultCode, ...id, providerStatus: status };
    }
    // A wallet sends its shopper to the wallet (redirect, QR code, app): accepted, waiting for the
    // shopper — pending with no error (the gateway answers 202), settled by notification or query.
    case 'RedirectShopper':
    case 'IdentifyShopper':
    case 'ChallengeShopper':
      if (wallet && resultCode === 'RedirectShopper') return { outcome: 'pending', providerCode: resultCode, ...id, providerStatus: status };
      // For a card, the shopper must authenticate (3-D Secure) and the gateway has no shopper to send: as Stripe's requires_action.
      return { outcome: 'failed', errorCode: 'authentication_required', providerCode: resultCode, ...id, providerStatus: status };
    default:
      // Pending, Received: accepted, the result comes later (in a notification).
      return { outcome: 'pending', providerCode: resultCode, ...id, providerStatus: status };
  }
}

/** A split payment's refund as Adyen split instructions on the refund modification; a zero share left out. */
function refundSplitsOf(orderId: string, currency: string, split: NonNullable<RefundRequest['split']>): Array<Record<string, unknown>> {
  const value = (v: number) => ({ value: v, currency: currency.toUpperCase() });
  return [
    ...(split.receiver > 0 ? [{ type: 'BalanceAccount', account: split.destination, amount: value(split.receiver), reference: `${orderId}-refund-sale` }] : []),
    ...(split.commission > 0 ? [{ type: 'Commission', amount: value(split.commission), reference: `${orderId}-refund-commission` }] : []),
  ];
}

/**
 * A marketplace order as Adyen split instructions at authorisation
 * (docs.adyen.com/platforms/online-payments/split-transactions): the sale to the user's balance
 * account (`BalanceAccount`, which needs a reference of its own), the platform's commission to
 * its liable account (`Commission`, no account named). The amounts must add up to the payment's;
 * a zero part is left out.
 */
function splitsOf(orderId: string, amount: number, currency: string, split: NonNullable<ChargeRequest['split']>): Array<Record<string, unknown>> {
  const value = (v: number) => ({ value: v, currency: currency.toUpperCase() });
  const owed = amount - split.platformFee;
  return [
    ...(owed > 0 ? [{ type: 'BalanceAccount', account: split.destination, amount: value(owed), reference: `${orderId}-sale` }] : []),
    ...(split.platformFee > 0 ? [{ type: 'Commission', amount: value(split.platformFee), reference: `${orderId}-commission` }] : []),
  ];
}
