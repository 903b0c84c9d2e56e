import { PlacedOrders, checkCapturesWithinOrders, type InvariantResult, type LedgerRow, type PaymentEvent } from '../analysis/index.js';
import type { ShopperPlan } from '../load/index.js';
import { providerOrderNumber } from './merchant-order-ids.js';

/**
 * The orders a run's shoppers placed, for the money invariants: each order once, as its first
 * submit (or a returning shopper's) is sent — before any answer, so an order whose answer an
 * interrupt cut off still counts — and what the shopper was told about it, from the driver's
 * events. It also reads ledgers back in the shop's order ids (see merchant-order-ids.ts).
 *
 * An engine that does not report placing (k6: its output does not say what an order was for)
 * leaves captures-within-orders not evaluated, and says so, rather than passed.
 */
export class OrdersPlaced {
  readonly #placed = new PlacedOrders();
  /** provider + provider's order number → shop order id. */
  readonly #byNumber = new Map<string, string>();
  /** shop order id → whether every answer so far said failed. */
  readonly #toldFailed = new Map<string, boolean>();
  #payEvents = 0;

  placing(plan: ShopperPlan): void {
    this.#placed.add(plan.provider, plan.currency, plan.amount, plan.orderId);
    this.#byNumber.set(`${plan.provider}\u0000${providerOrderNumber(plan.provider, plan.orderId)}`, plan.orderId);
  }

  see(event: PaymentEvent): void {
    this.#payEvents++;
    this.#toldFailed.set(event.orderId, (this.#toldFailed.get(event.orderId) ?? true) && event.outcome === 'failed');
  }

  /** A ledger row with the shop's order id where the provider's number is one this run placed. */
  inShopTerms(row: LedgerRow): LedgerRow {
    const orderId = this.#byNumber.get(`${row.provider}\u0000${row.orderId}`);
    return orderId === undefined || orderId === row.orderId ? row : { ...row, orderId };
  }

  check(ledgers: readonly LedgerRow[]): InvariantResult {
    if (this.#placed.total === 0 && this.#payEvents > 0) {
      return { name: 'captures-within-orders', passed: true, checked: 0, violations: [], notEvaluated: 'the load engine did not report what each order was for (k6 output carries no amounts)' };
    }
    return checkCapturesWithinOrders(ledgers, this.#placed, { toldFailed: (_provider, orderId) => this.#toldFailed.get(orderId) === true });
  }
}
