import { inTrace, type Behaviour, type DisputeOpened, type DisputeRequest, type IdGenerator, type IdempotencyStore, type Ledger, type StoredResponse, type WebhookDispatcher } from '../core/index.js';
import type { Random } from '../../src/kernel/index.js';
import type { PaypalDispute } from './disputes.js';
import type { PaypalErrors } from './errors.js';
import { money } from './money.js';
import type { PaypalAuthorization, PaypalCapture, PaypalOrder, PaypalRefund, PaypalState, PurchaseUnit } from './objects.js';
import { paypalEvent, type PaypalEventType } from './webhooks.js';

export interface PaypalContext {
  readonly ledger: Ledger;
  readonly state: PaypalState;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  readonly random: Random;
  readonly errors: PaypalErrors;
  readonly idempotency: IdempotencyStore;
  /** Requests running under a PayPal-Request-Id, so a concurrent duplicate can wait for the answer. */
  readonly inFlight: Map<string, Promise<StoredResponse>>;
  /** Orders are approved at creation (no buyer step), for load tests. */
  readonly autoApprove: boolean;
  /** The simulator's own base URL (links, approve URL), known once it listens. */
  baseUrl(): string;
  now(): Date;
  /** Disputes by id (disputes.ts). */
  readonly disputes: Map<string, PaypalDispute>;
  /** Open a dispute on a captured payment (disputes.ts; also `POST /__sim/disputes`). */
  openDispute(request: DisputeRequest): DisputeOpened;
}

/** PayPal ids: 17 upper-case letters and digits. */
export const paypalId = (ctx: PaypalContext): string => ctx.random.token(17).toUpperCase();

export type Link = { readonly href: string; readonly rel: string; readonly method: string };
export const link = (href: string, rel: string, method: string): Link => ({ href, rel, method });

const SELLER_PROTECTION = { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] };
/** PayPal's fees are not simulated (the STL report's fee column is 0 too): net = gross. */
const FEE = 0;

const refs = (r: { invoiceId: string | undefined; customId: string | undefined }) => ({ ...(r.invoiceId ? { invoice_id: r.invoiceId } : {}), ...(r.customId ? { custom_id: r.customId } : {}) });

export function captureView(ctx: PaypalContext, c: PaypalCapture): Record<string, unknown> {
  const base = ctx.baseUrl();
  return {
    id: c.id,
    status: c.status,
    amount: money(c.value, c.currency),
    final_capture: c.finalCapture,
    seller_protection: SELLER_PROTECTION,
    seller_receivable_breakdown: { gross_amount: money(c.value, c.currency), paypal_fee: money(FEE, c.currency), net_amount: money(c.value - FEE, c.currency) },
    ...refs(c),
    supplementary_data: { related_ids: { order_id: c.orderId, ...(c.authorizationId ? { authorization_id: c.authorizationId } : {}) } },
    create_time: c.createdAt.toISOString(),
    update_time: c.createdAt.toISOString(),
    links: [
      link(`${base}/v2/payments/captures/${c.id}`, 'self', 'GET'),
      link(`${base}/v2/payments/captures/${c.id}/refund`, 'refund', 'POST'),
      c.authorizationId ? link(`${base}/v2/payments/authorizations/${c.authorizationId}`, 'up', 'GET') : link(`${base}/v2/checkout/orders/${c.orderId}`, 'up', 'GET'),
    ],
  };
}

export function refundView(ctx: PaypalContext, r: PaypalRefund, c: PaypalCapture): Record<string, unknown> {
  return {
    id: r.id,
    status: 'COMPLETED',
    amount: money(r.value, c.currency),
    ...(r.invoiceId ? { invoice_id: r.invoiceId } : {}),
    ...(c.customId ? { custom_id: c.customId } : {}),
    seller_payable_breakdown: { gross_amount: money(r.value, c.currency), paypal_fee: money(FEE, c.currency), net_amount: money(r.value - FEE, c.currency), total_refunded_amount: money(c.refunded, c.currency) },
    create_time: r.createdAt.toISOString(),
    update_time: r.createdAt.toISOString(),
    links: [link(`${ctx.baseUrl()}/v2/payments/refunds/${r.id}`, 'self', 'GET'), link(`${ctx.baseUrl()}/v2/payments/captures/${r.captureId}`, 'up', 'GET')],
  };
}

export function authorizationView(ctx: PaypalContext, a: PaypalAuthorization): Record<string, unknown> {
  const self = `${ctx.baseUrl()}/v2/payments/authorizations/${a.id}`;
  const open = a.status === 'CREATED' || a.status === 'PARTIALLY_CAPTURED';
  return {
    id: a.id,
    status: a.status,
    amount: money(a.value, a.currency),
    ...refs(a),
    seller_protection: SELLER_PROTECTION,
    supplementary_data: { related_ids: { order_id: a.orderId } },
    expiration_time: a.expiresAt.toISOString(),
    create_time: a.createdAt.toISOString(),
    update_time: a.updatedAt.toISOString(),
    links: [
      link(self, 'self', 'GET'),
      ...(open ? [link(`${self}/capture`, 'capture', 'POST'), link(`${self}/void`, 'void', 'POST'), link(`${self}/reauthorize`, 'reauthorize', 'POST')] : []),
      link(`${ctx.baseUrl()}/v2/checkout/orders/${a.orderId}`, 'up', 'GET'),
    ],
  };
}

function unitView(ctx: PaypalContext, u: PurchaseUnit): Record<string, unknown> {
  const captures = u.captures.map((c) => captureView(ctx, c));
  const payments = u.authorization ? { authorizations: [authorizationView(ctx, u.authorization)], ...(captures.length ? { captures } : {}) } : captures.length ? { captures } : undefined;
  return { reference_id: u.referenceId, amount: money(u.value, u.currency), ...refs(u), ...u.extra, ...(payments ? { payments } : {}) };
}

function paymentSourceView(o: PaypalOrder): Record<string, unknown> | undefined {
  const s = o.paymentSource;
  if (!s) return undefined;
  if (s.kind === 'card') return { card: { last_digits: s.lastDigits, brand: s.brand, type: 'CREDIT' } };
  return o.payer ? { paypal: { email_address: o.payer.email_address, account_id: o.payer.payer_id, account_status: 'VERIFIED', name: o.payer.name } } : undefined;
}

export function orderLinks(ctx: PaypalContext, o: PaypalOrder): Link[] {
  const base = ctx.baseUrl();
  const self = `${base}/v2/checkout/orders/${o.id}`;
  const act = o.intent === 'AUTHORIZE' ? link(`${self}/authorize`, 'authorize', 'POST') : link(`${self}/capture`, 'capture', 'POST');
  switch (o.status) {
    case 'PAYER_ACTION_REQUIRED':
      return [link(self, 'self', 'GET'), link(`${base}/__sim/approve/${o.id}`, 'payer-action', 'GET')];
    case 'CREATED':
      return [link(self, 'self', 'GET'), link(`${base}/__sim/approve/${o.id}`, 'approve', 'GET'), link(self, 'update', 'PATCH'), act];
    case 'APPROVED':
      return [link(self, 'self', 'GET'), link(self, 'update', 'PATCH'), act];
    default:
      return [link(self, 'self', 'GET')];
  }
}

export function orderView(ctx: PaypalContext, o: PaypalOrder): Record<string, unknown> {
  const source = paymentSourceView(o);
  return {
    id: o.id,
    intent: o.intent,
    status: o.status,
    ...(source ? { payment_source: source } : {}),
    purchase_units: o.units.map((u) => unitView(ctx, u)),
    ...(o.payer ? { payer: o.payer } : {}),
    create_time: o.createdAt.toISOString(),
    update_time: o.updatedAt.toISOString(),
    links: orderLinks(ctx, o),
  };
}

/**
 * Queue a webhook event, in the trace of the payment it is about (`traceId`). It carries PayPal's `links` (the event itself, and resend), and is kept so
 * `GET /v1/notifications/webhooks-events/{id}` can show it again.
 */
export function emit(ctx: PaypalContext, type: PaypalEventType, resourceType: string, summary: string, resource: unknown, traceId?: string): void {
  const id = `WH-${ctx.random.token(17).toUpperCase()}-${ctx.random.token(17).toUpperCase()}`;
  const self = `${ctx.baseUrl()}/v1/notifications/webhooks-events/${id}`;
  const event = paypalEvent(id, type, resourceType, summary, resource, ctx.now().toISOString(), [link(self, 'self', 'GET'), link(`${self}/resend`, 'resend', 'POST')]);
  ctx.state.events.set(id, { type, payload: event.payload as string });
  ctx.webhooks.emit(inTrace(event, traceId));
}
