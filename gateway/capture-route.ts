import { createHash } from 'node:crypto';
import type { NormalisedCode } from '../src/conventions/index.js';
import type { LifecycleResult, ProviderClient } from './clients/index.js';
import { errorBody } from './error-body.js';
import { isHeld } from './held.js';
import type { GatewayResponse } from './idempotency.js';
import type { GatewayStore, PaymentRecord } from './store/index.js';

/**
 * `POST /payments/{id}/capture`: take the money of an authorisation held with `capture: "manual"`,
 * all of it or (with `amount`) part of it, through the client of the provider that holds it.
 *
 *   outcome unknown (the charge's answer lost)? ─▶ ask the provider first (lifecycle-routes.ts): held there → held here;
 *     │                                             still unknown ─▶ 504 outcome_unknown, key unlocked (captureUnknown)
 *   held? ─no─▶ 409 NOT_HELD          amount > hold? ─▶ 422 CAPTURE_OVER_HOLD
 *     │ yes
 *   resumed after an unknown answer? ─▶ query the provider first: captured already → book it; voided → refused
 *     │
 *   capture (provider key derived from the payment: one capture per payment, whatever the client's key)
 *     ├─ succeeded ─▶ settle succeeded, the captured amount booked in the ledger (once per payment)
 *     ├─ pending, received (Adyen) ─▶ 202; the CAPTURE notification books it
 *     ├─ pending, unknown (timeout, 5xx) ─▶ 504/502, key unlocked: its retry queries before sending
 *     └─ failed ─▶ 402 (a void got there first), nothing booked
 *
 * The caller holds the payment's busy guard (lifecycle-routes.ts) for the whole call, so a capture
 * and a cancel of one payment never run at once in one gateway.
 */
export type CaptureWork = { response: GatewayResponse; final: boolean | 'nothing_sent' };

export interface CaptureDeps {
  readonly store: GatewayStore;
  readonly clients: ReadonlyMap<string, ProviderClient>;
  readonly describe?: (code: NormalisedCode, acceptLanguage: string | string[] | undefined) => string;
}

export interface CaptureResponse {
  paymentId: string;
  orderId: string;
  provider: string;
  captureKey: string;
  captureId?: string;
  /** Minor units asked to capture. */
  amount: number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed';
  /** The payment's state after this capture. */
  paymentStatus: string;
  /** Minor units captured for the payment, booked in the ledger. */
  captured: number;
  errorCode?: NormalisedCode;
  providerCode?: string;
  message?: string;
}

/** Checks before any provider call: a refusal (nothing sent), or the amount to capture. */
export function checkCapture(payment: PaymentRecord, client: ProviderClient | undefined, asked: number | undefined): CaptureWork | number {
  const refused = (status: number, code: 'PAYCHAOS_ERR_GATEWAY_NOT_HELD' | 'PAYCHAOS_ERR_GATEWAY_CAPTURE_OVER_HOLD', message: string): CaptureWork => ({ response: { status, body: errorBody(code, message) }, final: 'nothing_sent' });
  if (payment.status === 'succeeded') return refused(409, 'PAYCHAOS_ERR_GATEWAY_NOT_HELD', `payment ${payment.paymentId} is already captured: nothing is held (refund it: POST /payments/${payment.paymentId}/refunds)`);
  if (payment.status === 'failed') return refused(409, 'PAYCHAOS_ERR_GATEWAY_NOT_HELD', `payment ${payment.paymentId} is failed (${payment.errorCode ?? 'failed'}${payment.providerCode === 'cancelled' ? ', voided' : ''}): nothing is held to capture`);
  if (!client?.capture) return refused(409, 'PAYCHAOS_ERR_GATEWAY_NOT_HELD', `provider ${payment.provider} has no capture the gateway speaks: its payments are captured at once`);
  if (!isHeld(payment)) return refused(409, 'PAYCHAOS_ERR_GATEWAY_NOT_HELD', `payment ${payment.paymentId} is pending (${payment.providerCode ?? payment.errorCode ?? 'unknown'}) but not an authorisation held for capture: charge with capture "manual" and wait for its 202 requires_capture`);
  const amount = asked ?? payment.amount;
  if (amount > payment.amount) return refused(422, 'PAYCHAOS_ERR_GATEWAY_CAPTURE_OVER_HOLD', `amount: ${amount} is more than the ${payment.amount} held by payment ${payment.paymentId}; capture at most ${payment.amount}`);
  return amount;
}

/**
 * A capture of a payment whose charge's outcome is still unknown after asking its provider (the
 * query timed out, or found nothing yet): not a refusal — the provider may hold it — but an
 * unknown answer, 504 outcome_unknown with the key unlocked, so the shopper's retry asks again.
 * Nothing was sent to capture.
 */
export function captureUnknown(deps: CaptureDeps, payment: PaymentRecord, amount: number, lang: string | string[] | undefined): CaptureWork {
  const body: CaptureResponse = {
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    provider: payment.provider,
    captureKey: captureKeyOf(payment.paymentId),
    amount,
    currency: payment.currency,
    status: 'pending',
    paymentStatus: payment.status,
    captured: deps.store.ledger.captured(payment.paymentId),
    errorCode: 'outcome_unknown',
    ...(deps.describe ? { message: deps.describe('outcome_unknown', lang) } : {}),
    providerCode: 'payment_outcome_unknown',
  };
  return { response: { status: 504, body }, final: false };
}

/** The provider's key of a payment's capture: one capture per payment, so every attempt at it, under any client key, is the same one. */
export function captureKeyOf(paymentId: string): string {
  return `cp_${createHash('sha256').update(paymentId).digest('hex').slice(0, 32)}`;
}

/** Capture a held payment whose checks passed (checkCapture), the busy guard held by the caller. */
export async function capturePayment(deps: CaptureDeps, payment: PaymentRecord, client: ProviderClient, amount: number, resumed: boolean, lang: string | string[] | undefined): Promise<CaptureWork> {
  const { store } = deps;
  const captureKey = captureKeyOf(payment.paymentId);
  let result: LifecycleResult | undefined;
  // Resumed after an unknown answer (or a crash): ask before sending, never capture blind twice.
  if (resumed && client.query) {
    const q = await client.query({ orderId: payment.orderId, providerReference: payment.providerReference, ...(payment.providerPaymentId !== undefined ? { providerPaymentId: payment.providerPaymentId } : {}), providerKey: payment.providerKey, amount: payment.amount, currency: payment.currency }).catch(() => ({ kind: 'unknown' as const, reason: 'query threw' }));
    if (q.kind === 'unknown') result = { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'query_unknown', providerStatus: 0 };
    else if (q.kind === 'final') result = { outcome: q.result.outcome, ...(q.result.errorCode !== undefined ? { errorCode: q.result.errorCode } : {}), ...(q.result.providerCode !== undefined ? { providerCode: q.result.providerCode } : {}), capturedAmount: q.result.capturedAmount ?? payment.amount, providerStatus: q.result.providerStatus };
    // waiting (still held) or absent: the capture never landed; send it under the same key.
  }
  if (result === undefined) {
    // The key's claim commits before the provider hears of the capture (a failed commit throws: nothing sent).
    await store.durable();
    try {
      result = await client.capture!({ orderId: payment.orderId, ...(payment.providerPaymentId !== undefined ? { paymentId: payment.providerPaymentId } : {}), amount, authorisedAmount: payment.amount, currency: payment.currency, captureKey });
    } catch {
      result = { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'client_error', providerStatus: 0 };
    }
  }
  const settled =
    result.outcome === 'succeeded'
      ? store.settlePayment(payment.paymentId, { status: 'succeeded', providerCode: 'captured', providerPaymentId: payment.providerPaymentId, httpStatus: 201, capturedAmount: result.capturedAmount ?? amount })
      : store.payments.get(payment.paymentId)!;
  const body: CaptureResponse = {
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    provider: payment.provider,
    captureKey,
    ...(result.captureId !== undefined ? { captureId: result.captureId } : {}),
    amount,
    currency: payment.currency,
    status: result.outcome,
    paymentStatus: settled.status,
    captured: store.ledger.captured(payment.paymentId),
    ...(result.errorCode !== undefined ? { errorCode: result.errorCode, ...(deps.describe ? { message: deps.describe(result.errorCode, lang) } : {}) } : {}),
    ...(result.providerCode !== undefined ? { providerCode: result.providerCode } : {}),
  };
  // Received and waiting for the notification (Adyen): final; a timeout or 5xx: not yet known.
  const known = result.outcome !== 'pending' || (result.errorCode === undefined && result.providerStatus >= 200 && result.providerStatus < 300);
  return { response: { status: captureStatus(result), body }, final: known };
}

/** 201 captured; 202 received, its end to come by notification; 402 refused; 502/503/504 as for payments. */
function captureStatus(r: LifecycleResult): number {
  if (r.outcome === 'succeeded') return 201;
  if (r.outcome === 'pending') return r.errorCode === undefined ? 202 : r.errorCode === 'outcome_unknown' ? 504 : 502;
  if (r.errorCode === 'network_error' || r.errorCode === 'provider_unavailable') return 503;
  if (r.errorCode === 'rate_limited') return 429;
  return 402;
}
