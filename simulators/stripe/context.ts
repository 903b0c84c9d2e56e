import type { Clock } from '../../src/kernel/index.js';
import { feeFor, inTrace, type Behaviour, type FeeModel, type DisputeOpened, type DisputeRequest, type IdGenerator, type IdempotencyStore, type Ledger, type NewLedgerEntry, type WebhookDispatcher } from '../core/index.js';
import type { BalanceTransaction, Charge, IntentRecord, StripeState } from './objects.js';
import { renderForVersion } from './versions.js';
import { stripeEvent, type StripeEventType } from './webhooks.js';

/** Everything a Stripe route needs; built once per simulator in server.ts. */
export interface StripeContext {
  readonly ledger: Ledger;
  readonly state: StripeState;
  readonly idempotency: IdempotencyStore;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  /** The webhook endpoint's `api_version`: events are rendered at it. */
  readonly webhookApiVersion: string;
  /** The endpoint's `enabled_events`: `*` for all, else the types it subscribes to. */
  readonly enabledEvents: ReadonlySet<string>;
  /** Timer of the simulated shopper (redirect-methods.ts). */
  readonly clock: Clock;
  /** Load runs: the redirect shopper authorises this long after confirmation; unset, they wait for the page. */
  readonly shopperApprovesAfterMs?: number | undefined;
  /** The price list the settlement report charges by (the contract rate applied): a dispute's balance transactions state its dispute fee. */
  readonly fees: FeeModel;
  /** Wall-clock unix seconds, for `created` fields. */
  nowS(): number;
  /** Open a dispute on a captured payment (disputes.ts; also `POST /__sim/disputes`). */
  openDispute(request: DisputeRequest): DisputeOpened;
}

/**
 * Whether an event of this type is sent now: an endpoint only hears the events it subscribed to
 * (Stripe's `enabled_events`), nor one its behaviour profile unsubscribed (webhooks.events).
 * A caller that must snapshot an object for a later event asks first, as `emitEvent` does.
 */
export function emits(ctx: StripeContext, type: StripeEventType): boolean {
  return (ctx.enabledEvents.has('*') || ctx.enabledEvents.has(type)) && ctx.webhooks.subscribed(type);
}

/** Queue a webhook carrying a snapshot of `object`, in the trace of the request that caused it (`traceId`). */
export function emitEvent(ctx: StripeContext, type: StripeEventType, object: unknown, idempotencyKey: string | undefined, traceId?: string): void {
  // Not rendered only to be dropped.
  if (!emits(ctx, type)) return;
  const id = ctx.ids.next('evt');
  // Without an endpoint the event is only logged as undeliverable: skip serialising it.
  if (!ctx.webhooks.enabled) return ctx.webhooks.emit({ id, type, payload: null });
  // No copy first: stripeEvent serialises the object before this returns (that string is the
  // snapshot), and an older version's rendering builds new objects rather than changing it.
  const rendered = renderForVersion(ctx.state, object, ctx.webhookApiVersion);
  ctx.webhooks.emit(inTrace(stripeEvent(id, type, rendered, ctx.nowS(), idempotencyKey, ctx.webhookApiVersion), traceId));
}

/**
 * Record a money movement of a PaymentIntent in the ledger. Without a merchant `order_id` the
 * ledger's order key is the PaymentIntent id; the settlement CSV relies on that to leave its
 * order column empty (settlement.ts).
 */
export function recordMovement(ctx: StripeContext, rec: IntentRecord, kind: NewLedgerEntry['kind'], amount: number, idempotencyKey: string | undefined, reference?: string): number {
  const i = rec.intent;
  return ctx.ledger.append({
    kind,
    paymentId: i.id,
    orderId: i.metadata.order_id ?? i.id,
    idempotencyKey: idempotencyKey ?? rec.idempotencyKey,
    amount,
    currency: i.currency,
    traceId: rec.traceId,
    ...(reference ? { reference } : {}),
  });
}

/** How each movement shows in the balance: its type and reporting category (a dispute's are adjustments). */
const BALANCE_KIND = {
  capture: { type: 'charge', reporting_category: 'charge' },
  refund: { type: 'refund', reporting_category: 'refund' },
  chargeback: { type: 'adjustment', reporting_category: 'dispute' },
  chargeback_reversal: { type: 'adjustment', reporting_category: 'dispute_reversal' },
} as const;

/**
 * A capture, refund, or a dispute's withdrawal or reinstatement: the ledger entry and its balance
 * transaction, whose id is the one the settlement report prints for that entry (`txn_<ledger
 * sequence>`, settlement.ts). Returns it.
 */
export function moveBalance(ctx: StripeContext, rec: IntentRecord, kind: keyof typeof BALANCE_KIND, amount: number, idempotencyKey: string | undefined, source: string): string {
  const index = recordMovement(ctx, rec, kind, amount, idempotencyKey, source);
  const created = ctx.nowS();
  const signed = kind === 'refund' || kind === 'chargeback' ? -amount : amount;
  const currency = rec.intent.currency;
  // Each balance transaction states the fee the settlement report charges for it: a charge's
  // processing fee ("Stripe processing fees", stripe_fee — the charge's balance transaction on
  // docs.stripe.com/api/balance_transactions/object), none given back by a refund; the dispute fee
  // debited with the disputed amount as one balance transaction ("Dispute fee"), and given back
  // by a won dispute's reinstatement (support.stripe.com/questions/dispute-fees-faq).
  const fee = feeFor(ctx.fees, kind, amount, currency.toUpperCase());
  const description = kind === 'capture' || kind === 'refund' ? 'Stripe processing fees' : 'Dispute fee';
  const txn: BalanceTransaction = {
    id: `txn_${index + 1}`,
    object: 'balance_transaction',
    amount: signed,
    currency,
    fee,
    fee_details: fee === 0 ? [] : [{ amount: fee, application: null, currency, description, type: 'stripe_fee' }],
    net: signed - fee,
    status: 'available',
    ...BALANCE_KIND[kind],
    source,
    created,
    available_on: created,
  };
  ctx.state.balanceTransactions.set(txn.id, txn);
  // A captured payment may be disputed by the shopper's bank (profile `disputes`): after this
  // request is answered and its own events are queued, so the dispute's come after them.
  if (kind === 'capture') {
    const dispute = ctx.behaviour.dispute();
    if (dispute) setImmediate(() => ctx.openDispute({ paymentId: rec.intent.id, ...dispute }));
  }
  return txn.id;
}

/**
 * A new, uncaptured charge of the intent, kept in the state: what every payment method's charge
 * shares (amounts, intent, customer, metadata); the caller gives what differs by method.
 */
export function storeCharge(ctx: StripeContext, rec: IntentRecord, own: Pick<Charge, 'id' | 'status' | 'payment_method' | 'payment_method_details' | 'outcome'>): Charge {
  const i = rec.intent;
  const charge: Charge = {
    id: own.id,
    object: 'charge',
    amount: i.amount,
    amount_captured: 0,
    amount_refunded: 0,
    captured: false,
    refunded: false,
    currency: i.currency,
    paid: own.status === 'succeeded',
    payment_intent: i.id,
    payment_method: own.payment_method,
    payment_method_details: own.payment_method_details,
    customer: i.customer,
    balance_transaction: null,
    outcome: own.outcome,
    failure_code: null,
    failure_message: null,
    status: own.status,
    metadata: { ...i.metadata },
    created: ctx.nowS(),
    livemode: false,
  };
  ctx.state.charges.set(charge.id, charge);
  return charge;
}
