import { PlacedOrders, checkCapturesWithinOrders, checkJourneysEndState, type InvariantResult, type JourneyOrder, type LedgerRow, type LifecycleAnswer, type PaymentEvent } from '../analysis/index.js';
import type { Variant } from '../conventions/index.js';
import type { ShopperPlan } from '../load/index.js';

/** What an answer said about where an order's money went (PaymentEvent's fields, or a query's). */
export interface ProviderIds {
  readonly providerPaymentId?: string | undefined;
  readonly providerReference?: string | undefined;
}

/** An order no answer told the harness about: ground truth asks the system under test. */
export interface UnansweredOrder {
  readonly variant: Variant;
  readonly provider: string;
  readonly orderId: string;
}

/**
 * The orders a run's shoppers placed, for the money invariants: each order once, as its first
 * submit (or a returning shopper's) is sent — before any answer, so an order whose answer an
 * interrupt cut off still counts — and what the shopper was told about it, from the events.
 *
 * It also reads ledgers back in the shop's order ids. A provider's ledger records the provider's
 * payment id and the merchant order number the gateway sent — which need not be the shop's order
 * id (Alipay's and WeChat Pay's syntax forbids some). The harness does not know how the gateway
 * numbers orders, and must not: it learns both ids from the gateway's answers
 * (`providerPaymentId`, `providerReference`) and joins on them, payment id first.
 *
 * An engine that does not report placing (k6: its output does not say what an order was for)
 * leaves captures-within-orders not evaluated, and says so, rather than passed.
 */
export class OrdersPlaced {
  readonly #placed = new PlacedOrders();
  /** provider + provider payment id → shop order id. */
  readonly #byPaymentId = new Map<string, string>();
  /** provider + merchant order number sent to the provider → shop order id. */
  readonly #byReference = new Map<string, string>();
  /** provider + shop order id → the order, until an answer names its ids. */
  readonly #unanswered = new Map<string, UnansweredOrder>();
  /** provider + shop order id of orders whose ids an answer named. */
  readonly #answered = new Set<string>();
  /** shop order id → whether every answer so far said failed. */
  readonly #toldFailed = new Map<string, boolean>();
  #payEvents = 0;
  /** shop order id → its variant and provider while every answer so far left it pending. */
  readonly #pendingOnly = new Map<string, UnansweredOrder>();
  /** shop order ids some answer said succeeded or failed. */
  readonly #decided = new Set<string>();
  /** shop order id → its journey and the end state it aims at (journeys-end-state). */
  readonly #journeys = new Map<string, JourneyOrder>();
  /** What each refund and cancel was answered. */
  readonly #lifecycle: LifecycleAnswer[] = [];

  placing(plan: ShopperPlan): void {
    this.#placed.add(plan.provider, plan.currency, plan.amount, plan.orderId);
    this.#remember(plan.variant, plan.provider, plan.orderId);
    if (!this.#journeys.has(plan.orderId)) this.#journeys.set(plan.orderId, { orderId: plan.orderId, provider: plan.provider, currency: plan.currency, journey: plan.behaviour, expect: plan.expect });
  }

  see(event: PaymentEvent): void {
    // A refund's or cancel's answer is not a payment's: it says nothing of where the charge went.
    const lifecycle = LIFECYCLE_STEPS.get(event.behaviour ?? '');
    if (lifecycle) {
      this.#lifecycle.push({ orderId: event.orderId, kind: lifecycle, key: event.idempotencyKey, amount: event.refundAmount, outcome: event.outcome, traceId: event.traceId });
      return;
    }
    this.#payEvents++;
    if (event.orderId) {
      if (event.outcome === 'pending' && !this.#decided.has(event.orderId)) this.#pendingOnly.set(event.orderId, { variant: event.variant, provider: event.provider, orderId: event.orderId });
      else if (event.outcome !== 'pending') {
        this.#decided.add(event.orderId);
        this.#pendingOnly.delete(event.orderId);
      }
    }
    this.#toldFailed.set(event.orderId, (this.#toldFailed.get(event.orderId) ?? true) && event.outcome === 'failed');
    if (event.orderId) this.#remember(event.variant, event.provider, event.orderId);
    // Failed over: the order may now be charged at the provider that answered. It is placed there
    // too; a charge at both is still caught, by no-double-charge, which joins on the order id.
    if (event.failoverFrom && event.orderId && event.amount !== undefined && event.currency !== undefined) this.#placed.add(event.provider, event.currency, event.amount, event.orderId);
    this.learn(event.provider, event.orderId, event);
  }

  /** The ids an answer (or a later query) gave for an order. */
  learn(provider: string, orderId: string, ids: ProviderIds): void {
    if (!orderId || (ids.providerPaymentId === undefined && ids.providerReference === undefined)) return;
    if (ids.providerPaymentId !== undefined) this.#byPaymentId.set(key(provider, ids.providerPaymentId), orderId);
    if (ids.providerReference !== undefined) this.#byReference.set(key(provider, ids.providerReference), orderId);
    this.#unanswered.delete(key(provider, orderId));
    this.#answered.add(key(provider, orderId));
  }

  /** Orders every answer left pending (outcome unknown): the system under test must settle them. */
  pendingOnly(): UnansweredOrder[] {
    return [...this.#pendingOnly.values()];
  }

  /** Orders placed or seen whose provider ids no answer reported. */
  unanswered(): UnansweredOrder[] {
    return [...this.#unanswered.values()];
  }

  /** A ledger row with the shop's order id, where an answer named its payment or its reference. */
  inShopTerms(row: LedgerRow): LedgerRow {
    const orderId = this.#byPaymentId.get(key(row.provider, row.paymentId)) ?? this.#byReference.get(key(row.provider, row.orderId));
    return orderId === undefined || orderId === row.orderId ? row : { ...row, orderId };
  }

  check(ledgers: readonly LedgerRow[]): InvariantResult {
    if (this.#placed.total === 0 && this.#payEvents > 0) {
      return {
        name: 'captures-within-orders',
        unit: 'charges',
        passed: true,
        checked: 0,
        violations: [],
        notEvaluated: 'the load engine did not report what each order was for (k6 output carries no amounts)',
      };
    }
    return checkCapturesWithinOrders(ledgers, this.#placed, { toldFailed: (_provider, orderId) => this.#toldFailed.get(orderId) === true });
  }

  /** journeys-end-state: each placed order's provider ledger rows against its journey and its refund and cancel answers. */
  checkJourneys(ledgers: readonly LedgerRow[]): InvariantResult {
    const result = checkJourneysEndState(this.#journeys.values(), this.#lifecycle, ledgers);
    if (this.#journeys.size === 0 && this.#payEvents > 0) return { ...result, notEvaluated: 'the load engine did not report the journeys it placed (k6 output carries no plans)' };
    return result;
  }

  #remember(variant: Variant, provider: string, orderId: string): void {
    const k = key(provider, orderId);
    if (this.#unanswered.has(k) || this.#answered.has(k)) return;
    this.#unanswered.set(k, { variant, provider, orderId });
  }
}

/** The step labels of requests after the charge (load/lib/traffic.js), and what each is. */
const LIFECYCLE_STEPS: ReadonlyMap<string, 'refund' | 'cancel'> = new Map([
  ['refund', 'refund'],
  ['refund_retry', 'refund'],
  ['cancel', 'cancel'],
  ['cancel_retry', 'cancel'],
]);

function key(provider: string, id: string): string {
  return `${provider}\u0000${id}`;
}
