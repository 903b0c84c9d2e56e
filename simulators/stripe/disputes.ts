import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type DisputeOpened, type DisputeRequest, type FormObject } from '../core/index.js';
import { emitEvent, moveBalance, type StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import { runStripeOperation, settled } from './idempotency.js';
import type { Dispute } from './objects.js';
import { bodyOf, checkBoolean, checkMetadata, firstProblem, metadataOf } from './params.js';
import { missing } from './payment-intents.js';

/**
 * Disputes (docs.stripe.com/disputes, api/disputes):
 *
 *   opened (profile `disputes` or POST /__sim/disputes) ─► status needs_response; the amount is
 *     withdrawn at once (balance transaction `adjustment`, reporting category `dispute`; ledger
 *     `chargeback`) ─► charge.dispute.created, charge.dispute.funds_withdrawn
 *   POST /v1/disputes/:id {evidence[…], submit} ─► under_review (charge.dispute.updated); in test
 *     mode `evidence[uncategorized_text]` = `winning_evidence` / `losing_evidence` decides it, as
 *     Stripe's test mode does
 *   POST /v1/disputes/:id/close ─► the merchant accepts: lost
 *   won ─► reinstated (`dispute_reversal`; ledger `chargeback_reversal`), charge.dispute.funds_reinstated
 *   won or lost ─► charge.dispute.closed
 *
 * A simulated dispute's `outcome` (won/lost) is the network's decision, taken at once; `open`
 * leaves it to the merchant's evidence. The withdrawal carries Stripe's dispute fee (15.00 in the
 * charge's currency, STRIPE_FEES) as its balance transaction's `fee`, with one `fee_details` entry
 * (`stripe_fee`, "Dispute fee"); a won dispute's reinstatement is a second balance transaction
 * that gives the amount and the fee back (fee negative). The settlement report states the same.
 */
export const EVIDENCE_FIELDS: readonly string[] = Object.freeze([
  'access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure', 'cancellation_rebuttal', 'customer_communication',
  'customer_email_address', 'customer_name', 'customer_purchase_ip', 'customer_signature', 'duplicate_charge_documentation', 'duplicate_charge_explanation',
  'duplicate_charge_id', 'product_description', 'receipt', 'refund_policy', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date',
  'service_documentation', 'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_documentation', 'shipping_tracking_number',
  'uncategorized_file', 'uncategorized_text',
]);

/** Evidence is due seven days after the dispute opens (Stripe gives 7–21 days depending on the network). */
const DUE_S = 7 * 86_400;

export function openStripeDispute(ctx: StripeContext, request: DisputeRequest): DisputeOpened {
  const rec = ctx.state.intents.get(request.paymentId) ?? [...ctx.state.intents.values()].find((r) => r.intent.latest_charge === request.paymentId);
  const charge = rec?.intent.latest_charge ? ctx.state.charges.get(rec.intent.latest_charge) : undefined;
  if (!rec || !charge || !charge.captured) return { ok: false, status: 404, field: 'paymentId', message: `no captured PaymentIntent or charge "${request.paymentId}" at this simulator` };
  if (charge.disputed) return { ok: false, status: 409, field: 'paymentId', message: `charge ${charge.id} is already disputed` };
  const disputable = charge.amount_captured - charge.amount_refunded;
  const amount = request.amount ?? disputable;
  if (amount > disputable || amount <= 0) return { ok: false, status: 400, field: 'amount', message: `${amount} exceeds the ${disputable} captured and not refunded on ${charge.id}` };
  const dispute: Dispute = {
    id: ctx.ids.next('dp'),
    object: 'dispute',
    amount,
    balance_transactions: [],
    charge: charge.id,
    currency: charge.currency,
    evidence: Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, null])),
    evidence_details: { due_by: ctx.nowS() + DUE_S, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: rec.intent.id,
    reason: request.reason,
    status: 'needs_response',
    created: ctx.nowS(),
  };
  const txn = moveBalance(ctx, rec, 'chargeback', amount, undefined, dispute.id);
  dispute.balance_transactions.push(ctx.state.balanceTransactions.get(txn)!);
  charge.disputed = true;
  ctx.state.disputes.set(dispute.id, dispute);
  emitEvent(ctx, 'charge.dispute.created', dispute, undefined, rec.traceId);
  emitEvent(ctx, 'charge.dispute.funds_withdrawn', dispute, undefined, rec.traceId);
  if (request.outcome !== 'open') closeDispute(ctx, dispute, request.outcome, undefined);
  return { ok: true, dispute };
}

/** The end of a dispute: won gives the money back; either way charge.dispute.closed. */
function closeDispute(ctx: StripeContext, dispute: Dispute, outcome: 'won' | 'lost', key: string | undefined): void {
  const rec = ctx.state.intents.get(dispute.payment_intent);
  if (outcome === 'won' && rec) {
    const txn = moveBalance(ctx, rec, 'chargeback_reversal', dispute.amount, key, dispute.id);
    dispute.balance_transactions.push(ctx.state.balanceTransactions.get(txn)!);
    emitEvent(ctx, 'charge.dispute.funds_reinstated', dispute, key, rec.traceId);
  }
  dispute.status = outcome;
  emitEvent(ctx, 'charge.dispute.closed', dispute, key, rec?.traceId);
}

const isOpen = (d: Dispute): boolean => d.status === 'needs_response' || d.status === 'warning_needs_response' || d.status === 'under_review' || d.status === 'warning_under_review';

export function registerDisputes(app: FastifyInstance, ctx: StripeContext): void {
  app.get('/v1/disputes/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const dispute = ctx.state.disputes.get(req.params.id);
    return dispute ?? send(reply, missing('dispute', req.params.id, 'dispute', 404));
  });

  // Update: stage or submit evidence (submit defaults to true), and metadata.
  app.post('/v1/disputes/:id', (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const params = bodyOf(req.body);
    const dispute = ctx.state.disputes.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (dispute ? firstProblem(checkEvidence(params), checkBoolean(params, 'submit'), checkMetadata(params)) : missing('dispute', req.params.id, 'dispute', 404)),
      execute: (key) => {
        const d = dispute!;
        if (!isOpen(d)) return { response: invalidRequest(`This dispute is already closed (status ${d.status}); evidence can no longer be submitted.`, 'dispute_already_closed'), committed: false };
        const evidence = evidenceOf(params);
        Object.assign(d.evidence, evidence);
        if (params.metadata !== undefined) d.metadata = { ...d.metadata, ...metadataOf(params) };
        const submit = params.submit === undefined || params.submit === 'true';
        if (submit) {
          d.evidence_details.has_evidence = true;
          d.evidence_details.submission_count++;
          d.status = 'under_review';
        }
        const decided = submit ? testModeOutcome(d.evidence.uncategorized_text) : undefined;
        const rec = ctx.state.intents.get(d.payment_intent);
        return {
          response: { status: 200, body: d },
          committed: submit,
          after: () => {
            emitEvent(ctx, 'charge.dispute.updated', d, key, rec?.traceId);
            if (decided) closeDispute(ctx, d, decided, key);
          },
        };
      },
    }));
  });

  // Close: the merchant accepts the dispute without evidence, which loses it.
  app.post('/v1/disputes/:id/close', (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const params = bodyOf(req.body);
    const dispute = ctx.state.disputes.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (dispute ? undefined : missing('dispute', req.params.id, 'dispute', 404)),
      execute: (key) => {
        const d = dispute!;
        if (!isOpen(d)) return { response: invalidRequest(`This dispute is already closed (status ${d.status}).`, 'dispute_already_closed'), committed: false };
        return { response: { status: 200, body: d }, committed: true, after: () => closeDispute(ctx, d, 'lost', key) };
      },
    }));
  });
}

/** Stripe's test mode decides a dispute by this evidence text; any other evidence waits for a decision that never comes here. */
function testModeOutcome(text: string | null | undefined): 'won' | 'lost' | undefined {
  if (text === 'winning_evidence') return 'won';
  if (text === 'losing_evidence') return 'lost';
  return undefined;
}

function checkEvidence(params: FormObject) {
  const evidence = params.evidence;
  if (evidence === undefined) return undefined;
  if (typeof evidence !== 'object' || Array.isArray(evidence)) return invalidRequest('Invalid object', 'parameter_invalid_string', 'evidence');
  for (const [field, value] of Object.entries(evidence)) {
    if (!EVIDENCE_FIELDS.includes(field)) return invalidRequest(`Received unknown parameter: evidence[${field}]`, 'parameter_unknown', `evidence[${field}]`);
    if (typeof value !== 'string') return invalidRequest(`Invalid string: evidence[${field}]`, 'parameter_invalid_string', `evidence[${field}]`);
  }
  return undefined;
}

function evidenceOf(params: FormObject): Record<string, string> {
  const evidence = params.evidence;
  return evidence && typeof evidence === 'object' && !Array.isArray(evidence) ? (evidence as Record<string, string>) : {};
}
