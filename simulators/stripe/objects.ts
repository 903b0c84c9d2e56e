import type { SpillStore } from '../core/index.js';
import type { RedirectPaymentMethod } from './redirect-methods.js';

/**
 * The Stripe API objects the simulator serves, with the fields clients read. Internal
 * bookkeeping (trace id, whether 3-D Secure passed) lives beside them in `IntentRecord`, never
 * in the object, so nothing private reaches a response.
 */
export type PaymentIntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'succeeded' | 'canceled';

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: PaymentIntentStatus;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  confirmation_method: 'automatic' | 'manual';
  client_secret: string;
  payment_method: string | null;
  payment_method_types: string[];
  customer: string | null;
  setup_future_usage: 'on_session' | 'off_session' | null;
  latest_charge: string | null;
  next_action: NextAction | null;
  last_payment_error: Record<string, unknown> | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
  /** Connect destination charge: the connected account paid on capture (connect.ts); null without one. */
  transfer_data: { destination: string } | null;
  /** The platform's cut of a destination charge, taken back from the connected account on capture. */
  application_fee_amount: number | null;
}

/**
 * What the shopper must do: a browser redirect when the merchant gave a `return_url`, else
 * `use_stripe_sdk` for Stripe.js / the mobile SDKs to handle (Stripe answers a server-side
 * confirm without `return_url` so).
 */
export type NextAction =
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } }
  | { type: 'use_stripe_sdk'; use_stripe_sdk: { type: 'three_d_secure_redirect'; stripe_js: string; source: string } };

/** `card` of a PaymentMethod and of a charge's `payment_method_details`. */
export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: 'credit';
  country: 'US';
  fingerprint: string;
  /** Paid through a phone wallet with a network token (card-wallets.ts); absent for a plain card. */
  wallet?: CardWallet;
}

/** `card.wallet` as Stripe shows it: the wallet's type, a hash named after it, and the device number's last four. */
export interface CardWallet {
  type: 'apple_pay' | 'google_pay';
  apple_pay?: { type: 'apple_pay' };
  google_pay?: Record<string, never>;
  dynamic_last4: string;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  refunded: boolean;
  currency: string;
  paid: boolean;
  payment_intent: string;
  payment_method: string | null;
  /** A card's, or a bank or wallet redirect's (redirect-methods.ts). */
  payment_method_details:
    | { type: 'card'; card: CardDetails & { network: string } }
    | { type: 'ideal'; ideal: { bank: string; bic: string; iban_last4: string; verified_name: string } }
    | { type: 'grabpay'; grabpay: { transaction_id: string } };
  customer: string | null;
  /** The balance transaction of the capture; null until money moves (an uncaptured or failed charge). */
  balance_transaction: string | null;
  /** Whether the charge has been disputed (charge.dispute.created). */
  disputed?: boolean;
  outcome: { network_status: string; reason: string | null; risk_level: 'normal'; seller_message: string; type: string };
  failure_code: string | null;
  failure_message: string | null;
  status: 'succeeded' | 'failed';
  metadata: Record<string, string>;
  created: number;
  livemode: false;
  /** Destination charges (connect.ts): the Transfer to the connected account once captured, else null. */
  transfer?: string | null;
  transfer_data?: { destination: string; amount: null } | null;
  /** The ApplicationFee collected on capture, and its amount, else null. */
  application_fee?: string | null;
  application_fee_amount?: number | null;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
  balance_transaction: string;
  metadata: Record<string, string>;
  created: number;
  /** `reverse_transfer` / `refund_application_fee` on a destination charge: what they undid (connect.ts). */
  transfer_reversal?: string | null;
  source_transfer_reversal?: null;
}

/** A reversal of (part of) a Transfer, as listed under the transfer's `reversals`. */
export interface TransferReversal {
  id: string;
  object: 'transfer_reversal';
  amount: number;
  currency: string;
  transfer: string;
  balance_transaction: string;
  /** The refund that caused it (`reverse_transfer=true`). */
  source_refund: string | null;
  destination_payment_refund: string;
  metadata: Record<string, string>;
  created: number;
}

/** Money the platform sent a connected account: a destination charge's funds (docs.stripe.com/api/transfers/object). */
export interface Transfer {
  id: string;
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  reversed: boolean;
  currency: string;
  destination: string;
  /** The payment created on the connected account (`py_…`). */
  destination_payment: string;
  source_transaction: string;
  source_type: 'card';
  transfer_group: string;
  balance_transaction: string;
  reversals: { object: 'list'; data: TransferReversal[]; has_more: false; url: string; total_count: number };
  description: null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

/** A refund of (part of) an ApplicationFee (`refund_application_fee=true`). */
export interface FeeRefund {
  id: string;
  object: 'fee_refund';
  amount: number;
  currency: string;
  fee: string;
  balance_transaction: string;
  metadata: Record<string, string>;
  created: number;
}

/** The platform's cut of a destination charge (docs.stripe.com/api/application_fees/object). */
export interface ApplicationFee {
  id: string;
  object: 'application_fee';
  /** The connected account it was taken from. */
  account: string;
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  application: string;
  charge: string;
  currency: string;
  balance_transaction: string;
  originating_transaction: null;
  refunds: { object: 'list'; data: FeeRefund[]; has_more: false; url: string; total_count: number };
  created: number;
  livemode: false;
}

export interface Customer {
  id: string;
  object: 'customer';
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  invoice_settings: { default_payment_method: string | null };
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: CardDetails;
  customer: string | null;
  billing_details: { email: string | null; name: string | null; phone: string | null; address: null };
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

/** A PaymentMethod and the test card behind it (which decides how its payments go). */
export interface PaymentMethodRecord {
  pm: PaymentMethod;
  number: string;
  /** Detached from its customer: Stripe refuses to use or attach it again. */
  detached: boolean;
}

/** One part of a balance transaction's fee (docs.stripe.com/api/balance_transactions/object: fee_details). */
export interface FeeDetail {
  amount: number;
  application: string | null;
  currency: string;
  description: string;
  type: 'stripe_fee' | 'application_fee' | 'tax';
}

/** A movement of the balance: a capture (`charge`) or a refund, as the settlement report lists it. */
export interface BalanceTransaction {
  id: string;
  object: 'balance_transaction';
  amount: number;
  currency: string;
  /**
   * Stripe's fee on this movement: the dispute fee on a dispute's withdrawal, its negative on the
   * reinstatement of a won one; 0 elsewhere (captures' processing fees are stated in the
   * settlement report only).
   */
  fee: number;
  fee_details: FeeDetail[];
  net: number;
  status: 'available';
  /** A dispute's withdrawal and reinstatement are `adjustment`s, reported as `dispute` / `dispute_reversal`. */
  type: 'charge' | 'refund' | 'adjustment' | 'transfer' | 'transfer_refund' | 'application_fee' | 'application_fee_refund';
  /** Connect movements (connect.ts) report as `transfer`, `transfer_reversal`, `platform_earning` and `platform_earning_refund`. */
  reporting_category: 'charge' | 'refund' | 'dispute' | 'dispute_reversal' | 'transfer' | 'transfer_reversal' | 'platform_earning' | 'platform_earning_refund';
  source: string;
  created: number;
  available_on: number;
}

export type DisputeStatus = 'warning_needs_response' | 'warning_under_review' | 'warning_closed' | 'needs_response' | 'under_review' | 'won' | 'lost';

/** A dispute (docs.stripe.com/api/disputes/object), with the fields a merchant's integration reads. */
export interface Dispute {
  id: string;
  object: 'dispute';
  amount: number;
  balance_transactions: BalanceTransaction[];
  charge: string;
  currency: string;
  /** What the merchant submitted (every field Stripe names; null until given). */
  evidence: Record<string, string | null>;
  evidence_details: { due_by: number; has_evidence: boolean; past_due: boolean; submission_count: number };
  is_charge_refundable: boolean;
  livemode: false;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string;
  status: DisputeStatus;
  created: number;
}

export interface IntentRecord {
  intent: PaymentIntent;
  traceId: string | undefined;
  /** The key of the request that created it; ledger entries of later steps fall back to it. */
  idempotencyKey: string | undefined;
  /** 3-D Secure completed successfully for the current payment method. */
  authenticated: boolean;
  /** Where the 3-D Secure page sends the shopper back to. */
  returnUrl: string | null;
  /** `off_session=true`: the shopper is not there, so a card that needs authentication declines. */
  offSession: boolean;
  /** `payment_method_options[card][request_incremental_authorization]=if_available`. */
  incrementalAuthorization: boolean;
}

/**
 * The simulator's objects, by id. Each kind keeps its newest `retain` in memory and the older
 * ones in the spill store (core/spill-map.ts): an old payment is still found, refunded, captured.
 */
export class StripeState {
  readonly intents: Map<string, IntentRecord>;
  readonly charges: Map<string, Charge>;
  readonly refunds: Map<string, Refund>;
  readonly customers: Map<string, Customer>;
  /** Ids of deleted customers: retrieving one answers `{id, object, deleted: true}`. */
  readonly deletedCustomers: Map<string, true>;
  readonly paymentMethods: Map<string, PaymentMethodRecord>;
  readonly balanceTransactions: Map<string, BalanceTransaction>;
  readonly disputes: Map<string, Dispute>;
  readonly transfers: Map<string, Transfer>;
  readonly applicationFees: Map<string, ApplicationFee>;
  /** What each refund of a destination charge undid (connect.ts), for the settlement report. */
  readonly refundSplits: Map<string, { reversal?: TransferReversal; feeRefund?: FeeRefund }>;
  /** iDEAL / GrabPay PaymentMethods (redirect-methods.ts). */
  readonly redirectPaymentMethods: Map<string, RedirectPaymentMethod>;
  /** Intent ids by `metadata['order_id']` (order-index.ts): a search by order id reaches spilled intents. */
  readonly intentsByOrder: Map<string, string[]>;

  constructor(retain: number, spill: SpillStore) {
    this.transfers = spill.map('transfers', retain);
    this.applicationFees = spill.map('application_fees', retain);
    this.refundSplits = spill.map('refund_splits', retain);
    this.disputes = spill.map('disputes', retain);
    this.intents = spill.map('intents', retain);
    this.charges = spill.map('charges', retain);
    this.refunds = spill.map('refunds', retain);
    this.customers = spill.map('customers', retain);
    this.deletedCustomers = spill.map('deleted_customers', retain);
    this.paymentMethods = spill.map('payment_methods', retain);
    this.balanceTransactions = spill.map('balance_transactions', retain);
    this.redirectPaymentMethods = spill.map('redirect_payment_methods', retain);
    this.intentsByOrder = spill.map('intents_by_order', retain);
  }
}
