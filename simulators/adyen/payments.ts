import type { FastifyInstance, FastifyRequest } from 'fastify';
import { traceIdOf, type ErrorResponse } from '../core/index.js';
import { ADYEN_REFUSAL_REASONS } from './codes.js';
import { notify, recordMovement, type AdyenContext } from './context.js';
import { validation } from './errors.js';
import type { AdyenPayment } from './objects.js';
import { runAdyenOperation, type Executed } from './operation.js';
import { THREE_DS_CARDS, brandOf, luhnValid, triggerOf, type Trigger } from './test-triggers.js';
import { continueThreeDS2, identifyShopper, readThreeDSResult, wantsNativeThreeDS2 } from './three-ds2.js';
import { readSplits } from './splits.js';
import { WALLET_METHODS, walletAnswer, walletNeedsReturnUrl } from './wallets.js';
import { NETWORK_TOKEN_WALLETS, checkWalletToken, walletBrand } from './network-token-wallets.js';

/**
 * `/payments` and `/payments/details` of the Checkout API. HTTP 200 is not success: the answer
 * is in `resultCode` (Authorised, Refused, Error, RedirectShopper, Cancelled) with
 * `refusalReason` / `refusalReasonCode` on a refusal.
 *
 *   card ─────────────────────────────────▶ Authorised | Refused | Error
 *   card needing 3DS, iDEAL, GrabPay ─▶ RedirectShopper ─▶ shopper at action.url ─▶ returnUrl?redirectResult=…
 *                                                         ─▶ /payments/details {details:{redirectResult}} ─▶ Authorised | Refused | Cancelled
 *   card needing 3DS, native 3DS2 asked ─▶ IdentifyShopper ─▶ ChallengeShopper ─▶ Authorised | Refused (three-ds2.ts)
 *   alipay, paypal, wechatpayQR/SDK ─▶ RedirectShopper | Pending with the method's action ─▶ shopper at the wallet (wallets.ts)
 *
 * A refusal after the shopper's step is still HTTP 200 with `resultCode: Refused`, as Adyen answers it.
 */
export const API_VERSIONS: readonly string[] = Object.freeze(['v68', 'v69', 'v70', 'v71', 'v72']);
export const REDIRECT_METHODS: ReadonlySet<string> = new Set(['ideal', 'grabpay_SG', 'grabpay_MY', 'grabpay_PH']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Card {
  number: string;
  holderName: string | undefined;
  expiry: { month: number; year: number };
}

export function registerPayments(app: FastifyInstance, ctx: AdyenContext): void {
  for (const version of API_VERSIONS) {
    app.post(`/${version}/payments`, async (req, reply) => {
      const body = isObject(req.body) ? req.body : {};
      let card: Card | undefined;
      return runAdyenOperation(req, reply, ctx, {
        validate: () => {
          const problem = checkPayment(body) ?? readSplits(body.splits, body.amount as { value: number; currency: string }).error;
          if (problem) return problem;
          const pm = body.paymentMethod as Json;
          if (pm.type !== 'scheme') return undefined;
          const parsed = parseCard(pm);
          if ('status' in parsed) return parsed;
          card = parsed;
          // A card that will need 3-D Secure is sent to a redirect: it needs somewhere to come back to.
          if (THREE_DS_CARDS.has(card.number) && typeof body.returnUrl !== 'string') return validation('14_030', 'Return URL is missing.');
          return undefined;
        },
        execute: (key) => pay(ctx, req, body, card, key),
      });
    });

    app.post(`/${version}/payments/details`, async (req, reply) => {
      const body = isObject(req.body) ? req.body : {};
      const details = isObject(body.details) ? body.details : {};
      // A redirect comes back with `redirectResult`; native 3-D Secure 2 with `threeDSResult`.
      const threeDS = typeof details.threeDSResult === 'string' ? readThreeDSResult(details.threeDSResult) : undefined;
      const redirectToken = typeof details.redirectResult === 'string' ? details.redirectResult : undefined;
      const psp = redirectToken
        ? ctx.state.redirectTokens.get(redirectToken)
        : threeDS && 'authorisationToken' in threeDS
          ? ctx.state.threeDS2Tokens.get(threeDS.authorisationToken ?? (typeof body.paymentData === 'string' ? body.paymentData : ''))
          : undefined;
      const payment = psp ? ctx.state.payments.get(psp) : undefined;
      return runAdyenOperation(req, reply, ctx, {
        validate: () => {
          if (!redirectToken && typeof details.threeDSResult !== 'string') return validation('702', "Required field 'details.redirectResult' or 'details.threeDSResult' is not provided.");
          if (threeDS && 'invalid' in threeDS) return validation('702', `Invalid threeDSResult: ${threeDS.invalid}`);
          if (!payment) return validation('702', redirectToken ? 'Invalid redirectResult' : 'Invalid threeDSResult: no payment has that authorisationToken (or paymentData)');
          return undefined;
        },
        execute: (key) => (threeDS && 'authorisationToken' in threeDS ? continueThreeDS2(ctx, payment as AdyenPayment, threeDS, key) : completeRedirect(ctx, payment as AdyenPayment, key)),
      });
    });
  }
}

/**
 * What /payments and /sessions both require, checked in Adyen's order with its codes: the
 * merchant account, the amount (minor units, ISO currency) and the merchant reference.
 */
export function checkOrderFields(body: Json): ErrorResponse | undefined {
  if (typeof body.merchantAccount !== 'string' || body.merchantAccount === '') return validation('901', 'Invalid Merchant Account');
  if (!isObject(body.amount)) return validation('100', 'There is no amount specified in the request.');
  const { value, currency } = body.amount;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return validation('137', 'Invalid amount specified');
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return validation('138', 'Unsupported currency specified');
  if (typeof body.reference !== 'string' || body.reference === '' || body.reference.length > 80) return validation('130', "Required field 'reference' is not provided.");
  return undefined;
}

function checkPayment(body: Json): ErrorResponse | undefined {
  const order = checkOrderFields(body);
  if (order) return order;
  if (!isObject(body.paymentMethod) || typeof body.paymentMethod.type !== 'string') return validation('702', "Required field 'paymentMethod.type' is not provided.");
  const type = body.paymentMethod.type;
  if (NETWORK_TOKEN_WALLETS.has(type)) return checkWalletToken(body.paymentMethod);
  if (type !== 'scheme' && !REDIRECT_METHODS.has(type) && !WALLET_METHODS.has(type)) return validation('905', `Payment details are not supported: ${type}`);
  if ((REDIRECT_METHODS.has(type) || (WALLET_METHODS.has(type) && walletNeedsReturnUrl(type, body.paymentMethod.subtype))) && typeof body.returnUrl !== 'string') return validation('14_030', 'Return URL is missing.');
  if (body.additionalData !== undefined && !isObject(body.additionalData)) return validation('702', "Field 'additionalData' must be an object.");
  return undefined;
}

/** Raw test fields, or Drop-in's encrypted ones in their documented `test_…` form. */
function parseCard(pm: Json): Card | ErrorResponse {
  const field = (plain: string, encrypted: string): string | undefined => {
    const v = pm[plain] ?? pm[encrypted];
    return typeof v === 'string' ? v.replace(/^test_/, '') : undefined;
  };
  const number = field('number', 'encryptedCardNumber')?.replace(/[ -]/g, '');
  if (!number || !luhnValid(number)) return validation('101', 'Invalid card number');
  const month = Number(field('expiryMonth', 'encryptedExpiryMonth'));
  const year = Number(field('expiryYear', 'encryptedExpiryYear'));
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year) || year < 2000 || year > 2100) return validation('129', 'Expiry Date Invalid');
  const cvc = field('cvc', 'encryptedSecurityCode');
  if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) return validation('103', 'CVC is not the right length');
  return { number, holderName: typeof pm.holderName === 'string' ? pm.holderName : undefined, expiry: { month, year } };
}

function pay(ctx: AdyenContext, req: FastifyRequest, body: Json, card: Card | undefined, key: string | undefined): Executed {
  const pm = body.paymentMethod as Json;
  const amount = body.amount as { value: number; currency: string };
  const additionalData = isObject(body.additionalData) ? body.additionalData : undefined;
  const manual = additionalData?.manualCapture === 'true' || additionalData?.manualCapture === true || (typeof body.captureDelayHours === 'number' && body.captureDelayHours > 0);
  const payment: AdyenPayment = {
    pspReference: ctx.ids.digits(16),
    merchantAccount: body.merchantAccount as string,
    reference: body.reference as string,
    amount: { value: amount.value, currency: amount.currency },
    paymentMethodType: pm.type as string,
    brand: card ? brandOf(card.number) : NETWORK_TOKEN_WALLETS.has(pm.type as string) ? walletBrand(pm) : undefined,
    captureMode: manual ? 'manual' : 'auto',
    status: 'redirect_shopper',
    captured: 0,
    refunded: 0,
    voided: 0,
    traceId: traceIdOf(req.headers),
    idempotencyKey: key,
    returnUrl: typeof body.returnUrl === 'string' ? body.returnUrl : undefined,
    ...(typeof pm.subtype === 'string' ? { walletSubtype: pm.subtype } : {}),
  };
  const splits = readSplits(body.splits, payment.amount).splits;
  if (splits) payment.splits = splits;
  ctx.state.payments.set(payment.pspReference, payment);
  ctx.state.byReference.set(payment.reference, payment.pspReference);

  const forced = ctx.behaviour.drawOutcome(payment.reference);
  // Apple Pay / Google Pay pay with a network token, authenticated on the device: no shopper step.
  let trigger: Trigger = card ? triggerOf(card, additionalData) : NETWORK_TOKEN_WALLETS.has(payment.paymentMethodType) ? { kind: 'authorise' } : { kind: 'three_ds' };
  if (card && trigger.kind === 'authorise' && expired(card, ctx.now())) trigger = { kind: 'refuse', code: '6' };
  if (forced !== undefined) trigger = { kind: 'refuse', code: forced };

  switch (trigger.kind) {
    case 'authorise':
      return authorise(ctx, payment, key);
    case 'refuse':
      return refuse(ctx, payment, trigger.code);
    case 'error':
      payment.status = 'error';
      return { response: { status: 200, body: { pspReference: payment.pspReference, resultCode: 'Error', refusalReason: 'Acquirer Error', refusalReasonCode: '4', merchantReference: payment.reference } }, committed: false };
    case 'three_ds': {
      if (card && wantsNativeThreeDS2(body)) return identifyShopper(ctx, payment);
      const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
      // A wallet waits for its shopper in the wallet's own way (wallets.ts); nothing is committed yet.
      if (WALLET_METHODS.has(payment.paymentMethodType)) {
        shopperApprovesLater(ctx, payment);
        return { response: { status: 200, body: walletAnswer(ctx, payment, origin) }, committed: false };
      }
      // iDEAL's bank, GrabPay's wallet: the simulated shopper may answer there too (load runs).
      if (REDIRECT_METHODS.has(payment.paymentMethodType)) shopperApprovesLater(ctx, payment);
      return {
        response: {
          status: 200,
          body: {
            resultCode: 'RedirectShopper',
            pspReference: payment.pspReference,
            merchantReference: payment.reference,
            action: { paymentMethodType: payment.paymentMethodType, url: `${origin}/__sim/redirect/${payment.pspReference}`, method: 'GET', type: 'redirect' },
          },
        },
        committed: false,
      };
    }
  }
}

function expired(card: Card, now: Date): boolean {
  return card.expiry.year < now.getUTCFullYear() || (card.expiry.year === now.getUTCFullYear() && card.expiry.month < now.getUTCMonth() + 1);
}

export function authorise(ctx: AdyenContext, p: AdyenPayment, key: string | undefined): Executed {
  p.status = 'authorised';
  recordMovement(ctx, p, 'authorization', p.amount.value, key);
  // Immediate capture is Adyen's default: the capture is implied, no CAPTURE notification follows.
  if (p.captureMode === 'auto') {
    recordMovement(ctx, p, 'capture', p.amount.value, key);
    p.captured = p.amount.value;
  }
  const body = {
    pspReference: p.pspReference,
    resultCode: 'Authorised',
    amount: p.amount,
    merchantReference: p.reference,
    paymentMethod: { type: p.paymentMethodType, ...(p.brand ? { brand: p.brand } : {}) },
    additionalData: { authCode: String(100000 + (Number(p.pspReference.slice(-5)) % 900000)) },
  };
  return { response: { status: 200, body }, committed: true, after: () => notify(ctx, p, 'AUTHORISATION', true) };
}

export function refuse(ctx: AdyenContext, p: AdyenPayment, code: string): Executed {
  p.status = 'refused';
  const reason = ADYEN_REFUSAL_REASONS[code]?.reason ?? 'Refused';
  const body = { pspReference: p.pspReference, resultCode: 'Refused', refusalReason: reason, refusalReasonCode: code, amount: p.amount, merchantReference: p.reference };
  return { response: { status: 200, body }, committed: false, after: () => notify(ctx, p, 'AUTHORISATION', false, { reason }) };
}

/**
 * With `shopperApprovesAfterMs`, the wallet shopper authorises on their own, as at the wallet page:
 * the payment is decided and its AUTHORISATION notification sent. Adyen sends it whether or not
 * the shopper ever comes back to the merchant, which is why merchants settle wallets by webhook.
 */
function shopperApprovesLater(ctx: AdyenContext, payment: AdyenPayment): void {
  if (ctx.shopperApprovesAfterMs === undefined) return;
  // Looked up again when the timer fires, never held: the payment may have been spilled to disk
  // and read back meanwhile (objects.ts), and a held copy would decide it a second time.
  const pspReference = payment.pspReference;
  ctx.clock.schedule(ctx.shopperApprovesAfterMs, () => {
    const p = ctx.state.payments.get(pspReference);
    if (p === undefined || p.status !== 'redirect_shopper') return;
    const token = p.redirect?.token ?? Buffer.from(`${p.pspReference}.${ctx.ids.next('rr', 20)}`).toString('base64url');
    p.redirect = { token, decision: 'authorise' };
    ctx.state.redirectTokens.set(token, p.pspReference);
    completeRedirect(ctx, p, p.idempotencyKey).after?.();
  });
}

export function completeRedirect(ctx: AdyenContext, p: AdyenPayment, key: string | undefined): Executed {
  if (p.detailsResult) return { response: { status: 200, body: p.detailsResult }, committed: false };
  let done: Executed;
  switch (p.redirect?.decision) {
    case 'authorise':
      done = authorise(ctx, p, key);
      break;
    case 'cancel':
      p.status = 'cancelled';
      done = { response: { status: 200, body: { pspReference: p.pspReference, resultCode: 'Cancelled', merchantReference: p.reference } }, committed: false, after: () => notify(ctx, p, 'AUTHORISATION', false, { reason: 'Cancelled' }) };
      break;
    default:
      // A card's failed 3-D Secure is "3D Not Authenticated"; a bank or wallet refusal is plain "Refused".
      done = refuse(ctx, p, p.paymentMethodType === 'scheme' ? '11' : '2');
  }
  p.detailsResult = done.response.body as Record<string, unknown>;
  return done;
}
