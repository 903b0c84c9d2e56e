import { type PaymentEvent, round3 } from '../analysis/index.js';
import { isNormalisedCode, type Variant } from '../conventions/index.js';
import { formatTraceparent, newSpanId, newTraceId } from '../kernel/index.js';
import type { HttpTarget, SendResult } from './http-target.js';
import { sleepUntil } from './sleep.js';
import { classifyWith, requestWith, type ApiShape } from './api-shape.js';
import { classifyChallenge, classifyNoResponse, classifyResponse, queryFound, requestFor, stepShouldRun, type Classification, type ShopperPlan, type ShopperState, type Step } from './traffic.js';
import { visitPage, type PageVisit } from './visit-page.js';

export interface PlayContext {
  /** The gateway instance each variant's shoppers go to. */
  targets: Partial<Record<Variant, HttpTarget>>;
  /** Run start on the performance.now() clock: events carry t relative to it. */
  t0: number;
  /** Cuts pending steps (after an interrupt's grace period); in-flight requests are cut by their HttpTarget's own `cut`. */
  cut: AbortSignal;
  record(event: PaymentEvent): void;
  /** Counts requests the harness cut off; they are not the system's failures, so not recorded. */
  aborted(): void;
  /**
   * Called as an order's first submit (or a returning shopper's) is sent — before any answer, so
   * an order whose answer never came (cut by an interrupt) is still known to have been placed.
   */
  placing?(plan: ShopperPlan): void;
  /** Your gateway's own API (a scenario's load.request / query / classify); default the reference gateway's. */
  api?: ApiShape;
  /** How long a visit to a page away from the gateway (a 3-D Secure challenge) may take; default 30 s. */
  pageTimeoutMs?: number;
  /** Visits such a page; default a real GET (visit-page.ts). A test's stand-in sees what would be sent. */
  visit?: (url: string, headers: Record<string, string>, timeoutMs: number) => Promise<PageVisit>;
}

/**
 * Play one shopper's plan: bursts in order (a step and the concurrent steps after it), each
 * sequential step `delayMs` after the previous answer, each concurrent one `delayMs` after its
 * burst began; conditional steps run only if what the shopper has seen calls for them. Every
 * submit becomes one PaymentEvent whose latency runs from when it was due (open model).
 *
 * A shopper is one W3C trace: every request it makes (a retry, a duplicate submit, a query)
 * carries a `traceparent` with the shopper's trace id and a span id of its own, so the gateway's
 * spans, its provider calls and the providers' webhooks for this shopper all join one trace, and
 * each event names it (`traceId`). Ids are random, never seeded: two runs with the same seed
 * must not share trace ids in one tracing backend.
 */
export async function playShopper(plan: ShopperPlan, scheduledAt: number, ctx: PlayContext): Promise<void> {
  const target = ctx.targets[plan.variant] ?? ctx.targets.baseline;
  if (!target) throw new Error(`no target for variant ${plan.variant}`);
  const traceId = newTraceId();
  const state: ShopperState = {};
  // Most shoppers pay once: no bursts to assemble, no state to keep.
  if (plan.steps.length === 1) {
    await play(plan.steps[0]!, scheduledAt);
    return;
  }
  let burstStart = scheduledAt;
  let previousDone = scheduledAt;
  let i = 0;
  while (i < plan.steps.length) {
    if (ctx.cut.aborted) return;
    // A burst: the step at i and every concurrent step right after it.
    let j = i + 1;
    while (j < plan.steps.length && plan.steps[j]!.concurrent) j++;
    const burst = plan.steps.slice(i, j).filter((s) => stepShouldRun(s, state));
    burstStart = i === 0 ? scheduledAt : previousDone + plan.steps[i]!.delayMs;
    const results = await Promise.all(burst.map((step, k) => play(step, k === 0 ? burstStart : burstStart + step.delayMs)));
    for (const r of results) if (r) Object.assign(state, r);
    previousDone = performance.now();
    i = j;
  }

  async function play(step: Step, dueAt: number): Promise<ShopperState | undefined> {
    await sleepUntil(dueAt, ctx.cut);
    if (ctx.cut.aborted) return undefined;
    if (step.kind === 'pay' && (step.label === 'first' || step.label === 'resume')) ctx.placing?.(plan);
    const traceparent = formatTraceparent({ traceId, spanId: newSpanId(), sampled: true });
    if (step.kind === 'challenge') {
      // The shopper at the provider's 3-D Secure page: not the gateway, so not its target.
      const page = requestFor(plan, step, state);
      const visit = await (ctx.visit ?? visitPage)(page.url!, { ...page.headers, traceparent }, ctx.pageTimeoutMs ?? 30_000);
      if (ctx.cut.aborted) {
        ctx.aborted();
        return undefined;
      }
      const c = visit.kind === 'answer' ? classifyChallenge(visit.status, visit.location, visit.text) : classifyNoResponse(visit.kind);
      ctx.record(toEvent(plan, step, c, dueAt, ctx.t0, traceId));
      return { lastChallenge: c };
    }
    const request = ctx.api ? requestWith(ctx.api, plan, step) : requestFor(plan, step, state);
    // An API described without a query: the shopper cannot ask, so that step finds nothing.
    // (Nor a refund or cancel: it is not sent, and nothing is recorded for it.)
    if (!request) return step.kind === 'query' ? { lastQuery: { found: false } } : undefined;
    const sent = await target!.send({ ...request, headers: { ...request.headers, traceparent } });
    if (sent.kind === 'aborted') {
      ctx.aborted();
      return undefined;
    }
    const classification = sent.kind === 'answer' && ctx.api ? classifyWith(ctx.api.classify, sent.status, sent.text) : classify(sent);
    if (step.kind === 'query') {
      const found = sent.kind === 'answer' && queryFound(sent.status) && (!ctx.api || classification.outcome !== undefined);
      return { lastQuery: found ? { found, classification } : { found } };
    }
    ctx.record(toEvent(plan, step, classification, dueAt, ctx.t0, traceId));
    return step.kind === 'pay' ? { lastPay: classification } : { lastLifecycle: classification };
  }
}

function classify(sent: Exclude<SendResult, { kind: 'aborted' }>): Classification {
  return sent.kind === 'answer' ? classifyResponse(sent.status, sent.text) : classifyNoResponse(sent.kind);
}

function toEvent(plan: ShopperPlan, step: Step, c: Classification, dueAt: number, t0: number, traceId: string): PaymentEvent {
  const errorCode = c.errorCode && isNormalisedCode(c.errorCode) ? c.errorCode : c.errorCode ? 'unknown' : undefined;
  return {
    t: round3(Math.max(0, dueAt - t0)),
    variant: plan.variant,
    provider: c.provider ?? plan.provider,
    method: plan.method,
    outcome: c.outcome,
    ...(errorCode ? { errorCode } : {}),
    ...(c.providerCode ? { providerCode: c.providerCode } : {}),
    latencyMs: round3(performance.now() - dueAt),
    status: c.status,
    orderId: plan.orderId,
    amount: plan.amount,
    currency: plan.currency,
    idempotencyKey: step.idempotencyKey,
    behaviour: step.label,
    ...(step.kind === 'refund' && step.amount !== undefined ? { refundAmount: step.amount } : {}),
    traceId,
    ...(c.providerPaymentId ? { providerPaymentId: c.providerPaymentId } : {}),
    ...(c.providerReference ? { providerReference: c.providerReference } : {}),
    ...(c.failoverFrom ? { failoverFrom: c.failoverFrom } : {}),
    ...(c.failoverReason ? { failoverReason: c.failoverReason } : {}),
  };
}
