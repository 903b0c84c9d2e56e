import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type DisputeOpened, type DisputeRequest } from '../core/index.js';
import { emit, link, type PaypalContext } from './context.js';
import { money } from './money.js';
import type { PaypalCapture } from './objects.js';

/**
 * Disputes (developer.paypal.com/docs/disputes, api/customer-disputes/v1), as a card chargeback
 * reaches a PayPal merchant:
 *
 *   opened ─► the disputed amount leaves the balance (ledger `chargeback`; STL T1201)
 *          ─► CUSTOMER.DISPUTE.CREATED (status WAITING_FOR_SELLER_RESPONSE, stage CHARGEBACK)
 *   resolved ─► CUSTOMER.DISPUTE.RESOLVED with dispute_outcome.outcome_code:
 *          RESOLVED_SELLER_FAVOUR (the money returns: ledger `chargeback_reversal`; STL T1202) or
 *          RESOLVED_BUYER_FAVOUR (it stays with the buyer)
 *
 * `GET /v1/customer/disputes[/{id}]` show them; `POST …/{id}/accept-claim` resolves one in the
 * buyer's favour; `POST …/{id}/provide-evidence` (JSON `{evidences: [...]}` here, multipart at
 * PayPal) puts it UNDER_REVIEW. The simulated network's `outcome` (won/lost) resolves at once;
 * `open` waits. PayPal's chargeback fee is not simulated.
 */
export interface PaypalDispute {
  readonly id: string;
  readonly capture: PaypalCapture;
  readonly value: number;
  readonly reason: string;
  readonly createdAt: Date;
  updatedAt: Date;
  status: 'WAITING_FOR_SELLER_RESPONSE' | 'UNDER_REVIEW' | 'RESOLVED';
  outcome?: 'RESOLVED_SELLER_FAVOUR' | 'RESOLVED_BUYER_FAVOUR';
  evidences: unknown[];
  readonly traceId: string | undefined;
}

export function openPaypalDispute(ctx: PaypalContext, request: DisputeRequest): DisputeOpened {
  const byOrder = ctx.state.orders.get(request.paymentId)?.units.flatMap((u) => u.captures)[0];
  const capture = ctx.state.captures.get(request.paymentId) ?? byOrder;
  if (!capture) return { ok: false, status: 404, field: 'paymentId', message: `no captured PayPal order or capture "${request.paymentId}" at this simulator` };
  if ([...ctx.disputes.values()].some((d) => d.capture.id === capture.id)) return { ok: false, status: 409, field: 'paymentId', message: `capture ${capture.id} is already disputed` };
  const disputable = capture.value - capture.refunded;
  const value = request.amount ?? disputable;
  if (value > disputable || value <= 0) return { ok: false, status: 400, field: 'amount', message: `${value} exceeds the ${disputable} captured and not refunded on ${capture.id}` };
  const now = ctx.now();
  const traceId = ctx.state.orders.get(capture.orderId)?.traceId;
  const d: PaypalDispute = { id: `PP-D-${ctx.ids.digits(8)}`, capture, value, reason: request.reason, createdAt: now, updatedAt: now, status: 'WAITING_FOR_SELLER_RESPONSE', evidences: [], traceId };
  ctx.disputes.set(d.id, d);
  move(ctx, d, 'chargeback');
  emit(ctx, 'CUSTOMER.DISPUTE.CREATED', 'dispute', `A new dispute opened with Case # ${d.id}`, disputeView(ctx, d), traceId);
  if (request.outcome !== 'open') resolve(ctx, d, request.outcome === 'won' ? 'RESOLVED_SELLER_FAVOUR' : 'RESOLVED_BUYER_FAVOUR');
  return { ok: true, dispute: disputeView(ctx, d) };
}

function move(ctx: PaypalContext, d: PaypalDispute, kind: 'chargeback' | 'chargeback_reversal'): void {
  ctx.ledger.record({ kind, paymentId: d.capture.orderId, orderId: d.capture.merchantOrderId, idempotencyKey: undefined, amount: d.value, currency: d.capture.currency, traceId: d.traceId, reference: d.id });
}

function resolve(ctx: PaypalContext, d: PaypalDispute, outcome: 'RESOLVED_SELLER_FAVOUR' | 'RESOLVED_BUYER_FAVOUR'): void {
  if (outcome === 'RESOLVED_SELLER_FAVOUR') move(ctx, d, 'chargeback_reversal');
  d.status = 'RESOLVED';
  d.outcome = outcome;
  d.updatedAt = ctx.now();
  emit(ctx, 'CUSTOMER.DISPUTE.RESOLVED', 'dispute', `A dispute was resolved with case # ${d.id}`, disputeView(ctx, d), d.traceId);
}

export function disputeView(ctx: PaypalContext, d: PaypalDispute): Record<string, unknown> {
  const self = `${ctx.baseUrl()}/v1/customer/disputes/${d.id}`;
  const c = d.capture;
  return {
    dispute_id: d.id,
    create_time: d.createdAt.toISOString(),
    update_time: d.updatedAt.toISOString(),
    disputed_transactions: [{ seller_transaction_id: c.id, invoice_number: c.invoiceId ?? c.merchantOrderId, ...(c.customId ? { custom: c.customId } : {}), gross_amount: money(c.value, c.currency) }],
    reason: d.reason,
    status: d.status,
    dispute_amount: money(d.value, c.currency),
    ...(d.outcome ? { dispute_outcome: { outcome_code: d.outcome, ...(d.outcome === 'RESOLVED_BUYER_FAVOUR' ? { amount_refunded: money(d.value, c.currency) } : {}) } } : {}),
    dispute_life_cycle_stage: 'CHARGEBACK',
    dispute_channel: 'EXTERNAL',
    links: [link(self, 'self', 'GET'), ...(d.status === 'RESOLVED' ? [] : [link(`${self}/accept-claim`, 'accept_claim', 'POST'), link(`${self}/provide-evidence`, 'provide_evidence', 'POST')])],
  };
}

export function registerDisputes(app: FastifyInstance, ctx: PaypalContext): void {
  const find = (req: FastifyRequest<{ Params: { id: string } }>) => ctx.disputes.get(req.params.id);
  const notFound = () => ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'dispute_id' });
  app.get('/v1/customer/disputes', async () => ({
    items: [...ctx.disputes.values()].map((d) => ({ dispute_id: d.id, reason: d.reason, status: d.status, dispute_amount: money(d.value, d.capture.currency), create_time: d.createdAt.toISOString(), update_time: d.updatedAt.toISOString() })),
  }));
  app.get('/v1/customer/disputes/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const d = find(req);
    return d ? disputeView(ctx, d) : send(reply, notFound());
  });
  // Accepting the claim concedes it: resolved in the buyer's favour, the money stays with the buyer.
  app.post('/v1/customer/disputes/:id/accept-claim', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const d = find(req);
    if (!d) return send(reply, notFound());
    if (d.status === 'RESOLVED') return send(reply, ctx.errors.issue('CANNOT_PROCESS_RESOLVED_DISPUTE', { description: `dispute ${d.id} is resolved` }));
    resolve(ctx, d, 'RESOLVED_BUYER_FAVOUR');
    return { links: [link(`${ctx.baseUrl()}/v1/customer/disputes/${d.id}`, 'self', 'GET')] };
  });
  app.post('/v1/customer/disputes/:id/provide-evidence', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const d = find(req);
    if (!d) return send(reply, notFound());
    const body = req.body as { evidences?: unknown } | undefined;
    if (!body || !Array.isArray(body.evidences) || body.evidences.length === 0) return send(reply, ctx.errors.issue('MISSING_REQUIRED_PARAMETER', { field: 'evidences' }));
    if (d.status === 'RESOLVED') return send(reply, ctx.errors.issue('CANNOT_PROCESS_RESOLVED_DISPUTE', { description: `dispute ${d.id} is resolved` }));
    d.evidences.push(...body.evidences);
    d.status = 'UNDER_REVIEW';
    d.updatedAt = ctx.now();
    return { links: [link(`${ctx.baseUrl()}/v1/customer/disputes/${d.id}`, 'self', 'GET')] };
  });
}

/** After a capture: the shopper's bank may dispute it (profile `disputes`), once the request is answered. */
export function maybeDispute(ctx: PaypalContext, c: PaypalCapture): void {
  const dispute = ctx.behaviour.dispute();
  if (dispute) setImmediate(() => ctx.openDispute({ paymentId: c.id, ...dispute }));
}
