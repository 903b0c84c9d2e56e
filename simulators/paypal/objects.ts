import { BoundedMap } from '../../src/kernel/index.js';
import type { SpillStore } from '../core/index.js';

export type OrderStatus = 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED' | 'PAYER_ACTION_REQUIRED';
export type OrderIntent = 'CAPTURE' | 'AUTHORIZE';

/** Who a payment belongs to on the merchant's side: kept on every capture and authorization. */
export interface UnitRef {
  readonly orderId: string;
  /** The merchant's own order id: invoice_id, else custom_id, else reference_id. */
  readonly merchantOrderId: string;
  readonly invoiceId: string | undefined;
  readonly customId: string | undefined;
}

export interface PaypalRefund {
  readonly id: string;
  readonly captureId: string;
  readonly value: number;
  readonly invoiceId: string | undefined;
  readonly createdAt: Date;
}

export interface PaypalCapture extends UnitRef {
  readonly id: string;
  readonly value: number;
  readonly currency: string;
  readonly createdAt: Date;
  /** The authorization it was taken from (intent AUTHORIZE). */
  readonly authorizationId: string | undefined;
  readonly finalCapture: boolean;
  refunded: number;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
}

/** A held payment (intent AUTHORIZE): captured once or several times, or voided; amounts in minor units. */
export interface PaypalAuthorization extends UnitRef {
  readonly id: string;
  readonly value: number;
  readonly currency: string;
  readonly createdAt: Date;
  /** PayPal: an authorization can be captured for 29 days (honored for the first 3). */
  readonly expiresAt: Date;
  readonly traceId: string | undefined;
  readonly requestId: string | undefined;
  captured: number;
  readonly captureIds: string[];
  status: 'CREATED' | 'PARTIALLY_CAPTURED' | 'CAPTURED' | 'VOIDED';
  updatedAt: Date;
}

/** One purchase unit of an order (PayPal allows up to 10); amounts in minor units. */
export interface PurchaseUnit {
  readonly referenceId: string;
  value: number;
  currency: string;
  invoiceId: string | undefined;
  customId: string | undefined;
  /** What the merchant sent that the simulator keeps as it is and sends back (description, items, shipping, soft_descriptor …). */
  readonly extra: Record<string, unknown>;
  readonly captures: PaypalCapture[];
  authorization?: PaypalAuthorization;
}

/** How the buyer pays, as `payment_source` shows it once known. */
export type PaymentSource = { readonly kind: 'paypal' } | { readonly kind: 'card'; readonly lastDigits: string; readonly brand: string };

/** An Orders v2 order. */
export interface PaypalOrder {
  readonly id: string;
  intent: OrderIntent;
  readonly units: PurchaseUnit[];
  readonly returnUrl: string | undefined;
  readonly cancelUrl: string | undefined;
  readonly createdAt: Date;
  updatedAt: Date;
  status: OrderStatus;
  payer?: { payer_id: string; email_address: string; name: { given_name: string; surname: string } };
  paymentSource: PaymentSource | undefined;
  readonly traceId: string | undefined;
  readonly requestId: string | undefined;
}

export const merchantOrderIdOf = (u: Pick<PurchaseUnit, 'invoiceId' | 'customId' | 'referenceId'>): string => u.invoiceId ?? u.customId ?? u.referenceId;

export const unitRef = (o: PaypalOrder, u: PurchaseUnit): UnitRef => ({ orderId: o.id, merchantOrderId: merchantOrderIdOf(u), invoiceId: u.invoiceId, customId: u.customId });

/** Lookup of an object that lives inside an order (a capture or authorization of one of its units). */
export interface InOrderIndex<T> {
  get(id: string): T | undefined;
  set(id: string, value: T & { readonly orderId: string }): void;
}

/**
 * Orders, refunds and invoice ids. Each keeps its newest `retain` in memory and the older ones in
 * the spill store (core/spill-map.ts), so an old order is still captured, refunded and found, and
 * an old invoice id still refused a second time. Captures and authorizations live inside their
 * order's units, so their indexes hold order ids, not objects: one order is one object, and a
 * change made through any lookup is the same change once read back from disk.
 */
export class PaypalState {
  readonly orders: Map<string, PaypalOrder>;
  readonly captures: InOrderIndex<PaypalCapture>;
  readonly refunds: Map<string, PaypalRefund>;
  readonly authorizations: InOrderIndex<PaypalAuthorization>;
  /** invoice_id → order id: PayPal refuses a second capture under one invoice id. */
  readonly invoices: Map<string, string>;
  readonly tokens: Map<string, number>;
  /** Webhook events by id, for `GET /v1/notifications/webhooks-events/{id}` and resend (the newest only: not money state). */
  readonly events: Map<string, { readonly type: string; readonly payload: string }>;

  constructor(retain: number, spill: SpillStore) {
    const orders = spill.map<PaypalOrder>('orders', retain);
    const captureOrders = spill.map<string>('order_id_by_capture_id', retain);
    const authorizationOrders = spill.map<string>('order_id_by_authorization_id', retain);
    this.orders = orders;
    this.captures = {
      get: (id) => {
        const order = orders.get(captureOrders.get(id) ?? '');
        for (const u of order?.units ?? []) for (const c of u.captures) if (c.id === id) return c;
        return undefined;
      },
      set: (id, capture) => void captureOrders.set(id, capture.orderId),
    };
    this.authorizations = {
      get: (id) => {
        const order = orders.get(authorizationOrders.get(id) ?? '');
        for (const u of order?.units ?? []) if (u.authorization?.id === id) return u.authorization;
        return undefined;
      },
      set: (id, authorization) => void authorizationOrders.set(id, authorization.orderId),
    };
    this.refunds = spill.map('refunds', retain);
    this.invoices = spill.map('invoices', retain);
    this.tokens = new BoundedMap(10_000);
    this.events = new BoundedMap(Math.min(retain, 50_000));
  }
}
