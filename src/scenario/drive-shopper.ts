import { round3, type PaymentEvent } from '../analysis/index.js';
import type { GatewayClient, ShopperPlan } from '../load/index.js';
import type { Variant } from '../telemetry/index.js';

export interface ShopperContext {
  client: GatewayClient;
  variant: Variant;
  /** Run start on the performance.now() clock: events carry t relative to it. */
  t0: number;
  /** Cuts in-flight requests (after an interrupt's grace period). */
  cut: AbortSignal;
  record(event: PaymentEvent): void;
  /** Counts requests the harness cut off; they are not the system's failures, so not recorded. */
  aborted(): void;
}

/**
 * Send one shopper's requests as planned: the first at its scheduled time, a double click a few
 * ms after it (concurrently), a retry only once the previous answer is in. Each request's latency
 * runs from when it was due, not from when it was sent (open model).
 */
export async function driveShopper(plan: ShopperPlan, scheduledAt: number, ctx: ShopperContext): Promise<void> {
  let previous: Promise<unknown> = Promise.resolve();
  const sends = plan.requests.map((req) => {
    const send = async (): Promise<void> => {
      const dueAt = req.afterPrevious ? (await previous.catch(() => {}), performance.now()) : scheduledAt + req.delayMs;
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const result = await ctx.client.pay({ orderId: plan.orderId, amount: plan.amount, currency: plan.currency, paymentMethod: plan.paymentMethod, idempotencyKey: req.idempotencyKey }, ctx.cut);
      if (result.aborted) return ctx.aborted();
      ctx.record({
        t: round3(Math.max(0, dueAt - ctx.t0)),
        variant: ctx.variant,
        provider: result.provider ?? 'stripe',
        method: 'card',
        outcome: result.outcome,
        ...(result.errorCode ? { errorCode: result.errorCode } : {}),
        ...(result.providerCode ? { providerCode: result.providerCode } : {}),
        latencyMs: round3(performance.now() - dueAt),
        status: result.status,
        orderId: plan.orderId,
        idempotencyKey: req.idempotencyKey,
        behaviour: req.behaviour,
      });
    };
    const p = send();
    previous = p;
    return p;
  });
  await Promise.all(sends);
}
