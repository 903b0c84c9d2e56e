import type { Pool } from 'undici';
import { normaliseAdyen } from './codes/index.js';
import { Credentials, openPool } from './connection.js';
import { boundedKey, jsonObject, statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection } from './provider-client.js';

/**
 * Talks to Adyen's Checkout API v71 (the simulator, or anything that speaks it): one
 * `POST /v71/payments` per charge, paying with a scheme card chosen from the traffic model's
 * payment method.
 *
 * No `/captures` call follows an Authorised answer: Adyen captures immediately unless the
 * merchant account or the request asks for manual capture, and the simulator does the same (its
 * ledger gets the authorisation and the capture in one commit). Authorised is money moved.
 *
 * No `query`: Adyen's Checkout API has no endpoint that reports a payment's status by
 * pspReference or reference — "You need to rely on your webhooks for this information" (Adyen
 * help centre, "Is there an API which can allow me to show the status of the transaction?"). A
 * pending Adyen payment is settled by its AUTHORISATION notification, or by the same request
 * under the same idempotency-key, which Adyen answers with the first one's result (kept ≥ 7 days).
 */
export class AdyenClient implements ProviderClient {
  readonly provider = 'adyen';
  readonly #pool: Pool;
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
    const card = CARDS[req.paymentMethod] ?? VISA;
    const body = JSON.stringify({
      merchantAccount: this.#merchantAccount,
      amount: { value: req.amount, currency: req.currency.toUpperCase() },
      // Unchanged: the ledger keeps `reference` as the order id, and the no-double-charge invariant joins on it.
      reference: req.orderId,
      paymentMethod: { type: 'scheme', number: card.number, expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: card.holderName },
      returnUrl: this.#returnUrl,
      shopperInteraction: 'Ecommerce',
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': boundedKey(req.providerKey, MAX_IDEMPOTENCY_KEY) };
    if (this.#apiKey !== undefined) headers['x-api-key'] = this.#apiKey;
    try {
      const res = await this.#pool.request({ method: 'POST', path: '/v71/payments', headers, body, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
      const text = await res.body.text();
      return interpret(res.statusCode, res.headers['transient-error'] === 'true', text);
    } catch (err) {
      return transportFailure(err);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
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

/** Adyen takes idempotency keys of at most 64 characters; the gateway's providerKey can be longer. */
const MAX_IDEMPOTENCY_KEY = 64;

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function interpret(status: number, transient: boolean, text: string): ChargeResult {
  const json = jsonObject(text);
  if (json === undefined) return unreadableAnswer(status);
  // HTTP 200 is not success: the answer is in resultCode.
  if (status === 200 && typeof json.resultCode === 'string') return fromResultCode(json.resultCode, json, status);
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

function fromResultCode(resultCode: string, json: Json, status: number): ChargeResult {
  const paymentId = str(json.pspReference);
  const id = paymentId !== undefined ? { paymentId } : {};
  switch (resultCode) {
    case 'Authorised':
      return { outcome: 'succeeded', ...id, providerStatus: status };
    case 'Refused':
    case 'Cancelled':
    // Error is final, not "unknown": Adyen did not authorise (nothing is committed), as a Stripe processing_error is a decline.
    case 'Error': {
      const refusalReasonCode = str(json.refusalReasonCode);
      return { outcome: 'failed', errorCode: normaliseAdyen({ resultCode, refusalReasonCode }), providerCode: refusalReasonCode ?? resultCode, ...id, providerStatus: status };
    }
    // The shopper must authenticate (3-D Secure) and the gateway has no shopper to send: as Stripe's requires_action.
    case 'RedirectShopper':
    case 'IdentifyShopper':
    case 'ChallengeShopper':
      return { outcome: 'failed', errorCode: 'authentication_required', providerCode: resultCode, ...id, providerStatus: status };
    default:
      // Pending, Received: accepted, the result comes later (in a notification).
      return { outcome: 'pending', providerCode: resultCode, ...id, providerStatus: status };
  }
}
