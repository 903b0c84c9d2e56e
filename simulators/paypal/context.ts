import type { Behaviour, IdGenerator, IdempotencyStore, Ledger, StoredResponse, WebhookDispatcher } from '../core/index.js';
import type { Random } from '../../src/kernel/index.js';
import type { PaypalErrors } from './errors.js';
import { money } from './money.js';
import type { PaypalCapture, PaypalOrder, PaypalRefund, PaypalState } from './objects.js';
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
}

/** The merchant's own order id as the ledger keeps it: invoice_id, else custom_id, else reference_id. */
export const merchantOrderId = (o: PaypalOrder): string => o.invoiceId ?? o.customId ?? o.referenceId;

/** PayPal ids: 17 upper-case letters and digits. */
export const paypalId = (ctx: PaypalContext): string => ctx.random.token(17).toUpperCase();

const link = (href: string, rel: string, method: string) => ({ href, rel, method });

export function captureView(ctx: PaypalContext, c: PaypalCapture): Record<string, unknown> {
  const o = ctx.state.orders.get(c.orderId);
  return {
    id: c.id,
    status: c.status,
    amount: money(c.value, c.currency),
    final_capture: true,
    seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
    ...(o?.invoiceId ? { invoice_id: o.invoiceId } : {}),
    ...(o?.customId ? { custom_id: o.customId } : {}),
    create_time: c.createdAt.toISOString(),
    update_time: c.createdAt.toISOString(),
    links: [link(`${ctx.baseUrl()}/v2/payments/captures/${c.id}`, 'self', 'GET'), link(`${ctx.baseUrl()}/v2/payments/captures/${c.id}/refund`, 'refund', 'POST'), link(`${ctx.baseUrl()}/v2/checkout/orders/${c.orderId}`, 'up', 'GET')],
  };
}

export function refundView(ctx: PaypalContext, r: PaypalRefund, currency: string): Record<string, unknown> {
  return {
    id: r.id,
    status: 'COMPLETED',
    amount: money(r.value, currency),
    ...(r.invoiceId ? { invoice_id: r.invoiceId } : {}),
    create_time: r.createdAt.toISOString(),
    update_time: r.createdAt.toISOString(),
    links: [link(`${ctx.baseUrl()}/v2/payments/refunds/${r.id}`, 'self', 'GET'), link(`${ctx.baseUrl()}/v2/payments/captures/${r.captureId}`, 'up', 'GET')],
  };
}

export function orderView(ctx: PaypalContext, o: PaypalOrder): Record<string, unknown> {
  const base = ctx.baseUrl();
  const self = `${base}/v2/checkout/orders/${o.id}`;
  return {
    id: o.id,
    intent: 'CAPTURE',
    status: o.status,
    purchase_units: [
      {
        reference_id: o.referenceId,
        amount: money(o.value, o.currency),
        ...(o.invoiceId ? { invoice_id: o.invoiceId } : {}),
        ...(o.customId ? { custom_id: o.customId } : {}),
        ...(o.capture ? { payments: { captures: [captureView(ctx, o.capture)] } } : {}),
      },
    ],
    ...(o.payer ? { payer: o.payer } : {}),
    create_time: o.createdAt.toISOString(),
    links:
      o.status === 'PAYER_ACTION_REQUIRED'
        ? [link(self, 'self', 'GET'), link(`${base}/__sim/approve/${o.id}`, 'payer-action', 'GET')]
        : o.status === 'CREATED'
        ? [link(self, 'self', 'GET'), link(`${base}/__sim/approve/${o.id}`, 'approve', 'GET'), link(self, 'update', 'PATCH'), link(`${self}/capture`, 'capture', 'POST')]
        : o.status === 'APPROVED'
          ? [link(self, 'self', 'GET'), link(self, 'update', 'PATCH'), link(`${self}/capture`, 'capture', 'POST')]
          : [link(self, 'self', 'GET')],
  };
}

export function emit(ctx: PaypalContext, type: PaypalEventType, resourceType: string, summary: string, resource: unknown): void {
  ctx.webhooks.emit(paypalEvent(`WH-${ctx.random.token(17).toUpperCase()}-${ctx.random.token(17).toUpperCase()}`, type, resourceType, summary, resource, ctx.now().toISOString()));
}
