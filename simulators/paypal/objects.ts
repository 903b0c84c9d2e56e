import { BoundedMap } from '../../src/kernel/index.js';

export type OrderStatus = 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED' | 'PAYER_ACTION_REQUIRED';

export interface PaypalRefund {
  readonly id: string;
  readonly captureId: string;
  readonly value: number;
  readonly invoiceId: string | undefined;
  readonly createdAt: Date;
}

export interface PaypalCapture {
  readonly id: string;
  readonly orderId: string;
  readonly value: number;
  readonly currency: string;
  readonly createdAt: Date;
  refunded: number;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
}

/** An Orders v2 order (intent CAPTURE, one purchase unit); amounts in minor units. */
export interface PaypalOrder {
  readonly id: string;
  readonly referenceId: string;
  readonly value: number;
  readonly currency: string;
  readonly invoiceId: string | undefined;
  readonly customId: string | undefined;
  readonly returnUrl: string | undefined;
  readonly cancelUrl: string | undefined;
  readonly createdAt: Date;
  status: OrderStatus;
  payer?: { payer_id: string; email_address: string; name: { given_name: string; surname: string } };
  capture?: PaypalCapture;
  readonly traceId: string | undefined;
  readonly requestId: string | undefined;
}

export class PaypalState {
  readonly orders: Map<string, PaypalOrder>;
  readonly captures: Map<string, PaypalCapture>;
  readonly refunds: Map<string, PaypalRefund>;
  /** invoice_id → order id: PayPal refuses a second capture under one invoice id. */
  readonly invoices: Map<string, string>;
  readonly tokens: Map<string, number>;

  constructor(retain: number) {
    this.orders = new BoundedMap(retain);
    this.captures = new BoundedMap(retain);
    this.refunds = new BoundedMap(retain);
    this.invoices = new BoundedMap(retain);
    this.tokens = new BoundedMap(10_000);
  }
}
