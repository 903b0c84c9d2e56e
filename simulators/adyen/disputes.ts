import type { DisputeOpened, DisputeRequest } from '../core/index.js';
import { notify, recordMovement, type AdyenContext } from './context.js';

/**
 * Disputes as Adyen notifies them (docs.adyen.com/risk-management/disputes-api/dispute-notifications):
 * every event of one dispute carries the dispute's own `pspReference`, the disputed payment's as
 * `originalReference`, and `additionalData.disputeStatus`; each is HMAC-signed like any other
 * notification.
 *
 *   NOTIFICATION_OF_CHARGEBACK  the dispute opened (disputeStatus Undefended); no money yet
 *   CHARGEBACK                  the funds are deducted (ledger `chargeback`; Lost, or Pending while defended)
 *   CHARGEBACK_REVERSED         the defence won: the funds come back (ledger `chargeback_reversal`; Won)
 *
 * The simulated network decides at once: `lost` ends at CHARGEBACK, `won` adds CHARGEBACK_REVERSED,
 * `open` stays Pending after the CHARGEBACK (the Disputes API to defend it is not simulated).
 * Adyen's chargeback fee is not simulated: the settlement report's Chargeback lines carry no commission.
 */
export function openAdyenDispute(ctx: AdyenContext, request: DisputeRequest): DisputeOpened {
  const psp = ctx.state.payments.has(request.paymentId) ? request.paymentId : ctx.state.byReference.get(request.paymentId);
  const p = psp !== undefined ? ctx.state.payments.get(psp) : undefined;
  if (!p || p.captured === 0) return { ok: false, status: 404, field: 'paymentId', message: `no captured payment with pspReference or merchant reference "${request.paymentId}" at this simulator` };
  if (p.disputeReference !== undefined) return { ok: false, status: 409, field: 'paymentId', message: `payment ${p.pspReference} is already disputed (${p.disputeReference})` };
  const disputable = p.captured - p.refunded;
  const value = request.amount ?? disputable;
  if (value > disputable || value <= 0) return { ok: false, status: 400, field: 'amount', message: `${value} exceeds the ${disputable} captured and not refunded on ${p.pspReference}` };
  const disputeReference = ctx.ids.digits(16);
  p.disputeReference = disputeReference;
  const amount = { value, currency: p.amount.currency };
  const about = (disputeStatus: string) => ({ modificationReference: disputeReference, amount, additionalData: { disputeStatus, chargebackReasonCode: request.reason, chargebackSchemeCode: p.brand ?? p.paymentMethodType } });
  notify(ctx, p, 'NOTIFICATION_OF_CHARGEBACK', true, about('Undefended'));
  recordMovement(ctx, p, 'chargeback', value, undefined, disputeReference);
  notify(ctx, p, 'CHARGEBACK', true, about(request.outcome === 'lost' ? 'Lost' : 'Pending'));
  if (request.outcome === 'won') {
    recordMovement(ctx, p, 'chargeback_reversal', value, undefined, disputeReference);
    notify(ctx, p, 'CHARGEBACK_REVERSED', true, about('Won'));
  }
  const status = request.outcome === 'won' ? 'Won' : request.outcome === 'lost' ? 'Lost' : 'Pending';
  return { ok: true, dispute: { disputePspReference: disputeReference, originalReference: p.pspReference, merchantReference: p.reference, amount, reason: request.reason, disputeStatus: status } };
}
