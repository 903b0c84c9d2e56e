import type { InvariantResult } from '../analysis/index.js';
import type { Variant } from '../conventions/index.js';
import type { OrdersPlaced } from './orders-placed.js';
import { queryOrder } from './order-query.js';

export interface SettleOptions {
  /** How long the system under test has, after the load ends, to settle what it left pending. */
  graceMs: number;
  /** Between rounds of asking. */
  pollMs?: number;
  timeoutMs?: number;
}

/**
 * `orders-settled`: every order whose every answer was "pending" (a timeout after sending, a
 * crash, charged-then-500) reaches a terminal state within a grace period — by the gateway's own
 * recovery (a status query at the provider), never by the shopper paying again. Asked of the
 * system under test (`GET /payments/{orderId}`, `status`), round after round, until none is left
 * pending or the grace ends; what is still pending then is a violation.
 */
export async function checkOrdersSettled(orders: OrdersPlaced, systems: Partial<Record<Variant, { readonly url: string }>>, options: SettleOptions): Promise<InvariantResult> {
  const candidates = orders.pendingOnly();
  let left = candidates;
  const deadline = performance.now() + options.graceMs;
  const unsupported = new Set<Variant>();
  const last = new Map<string, string>();
  for (;;) {
    const still = [];
    for (const order of left) {
      const url = systems[order.variant]?.url;
      if (url === undefined || unsupported.has(order.variant)) continue;
      const status = await statusOf(url, order.orderId, options.timeoutMs ?? 2000);
      if (status === 'unsupported') unsupported.add(order.variant);
      // Unknown to the system: it never recorded, so never sent, the payment (a crash before its
      // first commit): settled as not charged — a charge at the provider for it would be the
      // captures-within-orders check's to find.
      else if (status === 'pending' || status === 'no-answer') {
        last.set(order.orderId, status);
        still.push(order);
      }
    }
    left = still;
    if (left.length === 0 || performance.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
  }
  const base = { name: 'orders-settled', unit: 'orders' } as const;
  if (candidates.length > 0 && unsupported.size > 0 && candidates.every((o) => unsupported.has(o.variant))) {
    return { ...base, passed: true, checked: 0, violations: [], notEvaluated: 'the system under test does not answer GET /payments/{orderId} with a status' };
  }
  const seconds = Math.round(options.graceMs / 100) / 10;
  return {
    ...base,
    passed: left.length === 0,
    checked: candidates.length,
    violations: left.map((o) => ({
      orderId: o.orderId,
      provider: o.provider,
      paymentIds: [],
      message: last.get(o.orderId) === 'no-answer' ? `order ${o.orderId}: the system under test did not answer about it for ${seconds} s after the load ended` : `order ${o.orderId} is still pending ${seconds} s after the load ended: nothing settled it`,
    })),
  };
}

/** The order's status as the system under test reports it, or why there is none. */
async function statusOf(url: string, orderId: string, timeoutMs: number): Promise<string> {
  const asked = await queryOrder(url, orderId, timeoutMs);
  if (asked.kind === 'not-found') return 'unknown-order';
  if (asked.kind === 'no-answer') return 'no-answer';
  if (asked.kind === 'status') return asked.status === 405 || asked.status === 501 ? 'unsupported' : 'no-answer';
  return typeof asked.body?.status === 'string' ? asked.body.status : 'unsupported';
}
