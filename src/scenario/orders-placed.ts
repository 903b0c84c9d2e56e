import { PlacedOrders, checkCapturesWithinOrders, type InvariantResult, type LedgerRow, type PaymentEvent } from '../analysis/index.js';

/**
 * The orders a run's shoppers placed, from the driver's events, for the captures-within-orders
 * invariant. Each order is counted once: at its first submit, or a returning shopper's (every
 * other submit of an order is a duplicate, a retry or a second click of the same order). An
 * engine whose events do not say what an order was for (k6's output) cannot be judged this way,
 * and the invariant is left out rather than passed.
 */
export class OrdersPlaced {
  readonly #placed = new PlacedOrders();
  #unknown = 0;

  see(event: PaymentEvent): void {
    if (event.behaviour !== 'first' && event.behaviour !== 'resume') return;
    if (event.amount === undefined || event.currency === undefined) this.#unknown++;
    else this.#placed.add(event.provider, event.currency, event.amount);
  }

  check(ledgers: readonly LedgerRow[]): InvariantResult[] {
    return this.#unknown > 0 ? [] : [checkCapturesWithinOrders(ledgers, this.#placed)];
  }
}
