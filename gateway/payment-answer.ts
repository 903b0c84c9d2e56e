import type { NormalisedCode, PaymentOutcome, Variant } from '../src/conventions/index.js';
import type { ChargeResult } from './clients/index.js';
import { isHeldCode } from './held.js';
import type { GatewayStore, PaymentOutcomeUpdate, PaymentRecord, StoredResponse } from './store/index.js';

/** The body of a payment answer (POST /payments, GET /payments/{id}). */
export interface PaymentResponse {
  paymentId: string;
  orderId: string;
  status: PaymentOutcome;
  provider: string;
  providerPaymentId?: string;
  /** The merchant order number sent to the provider (what its ledger records): the harness joins on it. */
  providerReference?: string;
  errorCode?: NormalisedCode;
  providerCode?: string;
  variant: Variant;
  /** Whether the payment went to another channel than its first (docs/gateway-resilience.md). */
  failover: boolean;
  failoverFrom?: string;
  failoverReason?: string;
  /** For an answer with an error code: what the shopper can do, in the request's Accept-Language (en/zh; messages.ts). */
  message?: string;
  /**
   * While a card payment waits for its shopper's 3-D Secure challenge (status pending, 202): the
   * page to send them to. Gone once the payment is settled.
   */
  nextAction?: { type: 'redirect'; url: string };
  /** GET /payments only: the payment's disputes (chargebacks), as the providers' notifications told them. */
  disputes?: Array<{ disputeId: string; status: 'open' | 'won' | 'lost'; amount: number; currency: string; reason?: string; openedAt: string; updatedAt: string }>;
}

/** What a provider's answer (a charge's or a status query's) makes of the payment row. */
export function outcomeUpdate(result: ChargeResult): PaymentOutcomeUpdate {
  return {
    status: result.outcome,
    // Pending with no reason given is a payment whose end is not known yet: query, never a new key.
    // A hold is known (authorised, waiting for a capture or a void), whoever learnt it — the
    // charge's answer, a status query after that answer was lost, a notification: no error code.
    errorCode: result.errorCode ?? (result.outcome === 'pending' && !isHeldCode(result.providerCode) ? 'outcome_unknown' : undefined),
    providerCode: result.providerCode,
    providerPaymentId: result.paymentId,
    httpStatus: httpStatus(result),
    nextActionUrl: result.nextActionUrl,
    capturedAmount: result.capturedAmount,
  };
}

export function paymentBody(p: PaymentRecord): PaymentResponse {
  return {
    paymentId: p.paymentId,
    orderId: p.orderId,
    status: p.status,
    provider: p.provider,
    variant: p.variant,
    ...(p.providerPaymentId !== undefined ? { providerPaymentId: p.providerPaymentId } : {}),
    providerReference: p.providerReference,
    ...(p.errorCode !== undefined ? { errorCode: p.errorCode } : {}),
    ...(p.providerCode !== undefined ? { providerCode: p.providerCode } : {}),
    failover: p.failover ?? false,
    ...(p.failoverFrom !== undefined ? { failoverFrom: p.failoverFrom } : {}),
    ...(p.failoverReason !== undefined ? { failoverReason: p.failoverReason } : {}),
    ...(p.status === 'pending' && p.nextActionUrl !== undefined ? { nextAction: { type: 'redirect' as const, url: p.nextActionUrl } } : {}),
  };
}

/**
 * A payment as GET /payments/:id shows it: with its disputes (status open, won or lost; amount;
 * reason), when it has any. Not part of a payment's stored answer: a replayed POST answers what
 * the charge did, not what a shopper's bank did later.
 */
export function withDisputes(store: GatewayStore, body: PaymentResponse): PaymentResponse {
  const disputes = store.disputes.forPayment(body.paymentId);
  if (disputes.length === 0) return body;
  return { ...body, disputes: disputes.map((d) => ({ disputeId: d.disputeId, status: d.status, amount: d.amount, currency: d.currency, ...(d.reason !== undefined ? { reason: d.reason } : {}), openedAt: d.openedAt, updatedAt: d.updatedAt })) };
}

/** The answer a payment in this state gets (the status it was settled with; 504 while unknown). */
export function paymentAnswer(p: PaymentRecord): StoredResponse {
  return { status: p.httpStatus ?? 504, body: paymentBody(p) };
}

/**
 * 201 for a charge, 402 for a decline, 429/502/503/504 when the provider failed or the outcome is
 * unknown (the body says which), 202 when the provider accepted the payment and it waits for the
 * shopper (a wallet not yet confirmed on the phone).
 */
export function httpStatus(result: ChargeResult): number {
  if (result.outcome === 'succeeded') return 201;
  if (result.outcome === 'pending' && result.errorCode === undefined && result.providerStatus >= 200 && result.providerStatus < 300) return 202;
  if (result.outcome === 'pending') return result.errorCode === 'outcome_unknown' ? 504 : result.errorCode === 'provider_unavailable' ? 503 : 502;
  if (result.errorCode === 'provider_unavailable' || result.errorCode === 'network_error') return 503;
  if (result.errorCode === 'rate_limited') return 429;
  if (result.errorCode === 'provider_error') return 502;
  return 402;
}
