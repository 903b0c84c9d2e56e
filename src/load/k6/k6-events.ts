import type { PaymentEvent } from '../../analysis/index.js';
import { isNormalisedCode, type NormalisedCode, type PaymentOutcome, type Variant } from '../../conventions/index.js';
import { classifyNoResponse, classifyStatus, type Classification } from '../../../load/lib/index.js';
import type { K6Record } from './k6-line.js';

/** The metric load/shopper.js records once per payment submit, after classifying the answer. */
export const PAYCHAOS_K6_METRIC = 'paychaos_client_duration';

/** What the samples say about the run itself, beside the payments. */
export interface K6RunStats {
  payments: number;
  /** `iterations` samples: shoppers that finished (k6 counts an iteration when it ends). */
  iterations: number;
  droppedIterations: number;
  /** Highest `vus` gauge value: the concurrency the run needed. */
  maxVus: number;
  /** Start of the earliest and end of the latest payment request, epoch ms. */
  firstStartMs: number | undefined;
  lastEndMs: number | undefined;
  /** Distinct `scenario` tags of the payment samples. */
  scenarios: string[];
}

/**
 * Turns k6 samples into PaymentEvents, one per payment request:
 *
 *   paychaos_client_duration point ──► event (outcome, error code, order id from our scripts)
 *   http_req_duration point, POST …/payments, not from our scripts ──► event (outcome from status)
 *   http_req_duration point from our scripts (tag endpoint) ──► skipped: its twin above counts it
 *   iterations / dropped_iterations / vus ──► run stats
 *
 * k6 stamps an HTTP sample when the response ended, so an event's start is time − duration;
 * `t` counts from the first payment's start (or `originMs`). A sample without a `variant` tag
 * counts as baseline, without a `provider` tag as provider "unknown". State is a few numbers
 * and the set of scenario names: memory does not grow with the file.
 */
export class K6EventMapper {
  #originMs: number | undefined;
  readonly #scenarios = new Set<string>();
  readonly #stats: Omit<K6RunStats, 'scenarios'> = { payments: 0, iterations: 0, droppedIterations: 0, maxVus: 0, firstStartMs: undefined, lastEndMs: undefined };

  constructor(options: { originMs?: number } = {}) {
    this.#originMs = options.originMs;
  }

  accept(record: K6Record): PaymentEvent | undefined {
    if (record.type !== 'Point') return undefined;
    switch (record.metric) {
      case 'iterations':
        this.#stats.iterations += record.value;
        return undefined;
      case 'dropped_iterations':
        this.#stats.droppedIterations += record.value;
        return undefined;
      case 'vus':
        this.#stats.maxVus = Math.max(this.#stats.maxVus, record.value);
        return undefined;
      case PAYCHAOS_K6_METRIC:
        return this.#event(record.timeMs, record.value, record.tags, record.metadata, fromOurTags(record.tags), record.tags.method);
      case 'http_req_duration':
        if (record.tags.endpoint === 'pay' || record.tags.endpoint === 'query' || !isPaymentRequest(record.tags)) return undefined;
        // On HTTP samples k6 owns the `method` tag (the HTTP method): the payment method is payment_method.
        return this.#event(record.timeMs, record.value, record.tags, record.metadata, fromHttpTags(record.tags), record.tags.payment_method);
      default:
        return undefined;
    }
  }

  stats(): K6RunStats {
    return { ...this.#stats, scenarios: [...this.#scenarios].sort() };
  }

  #event(
    endMs: number,
    durationMs: number,
    tags: Readonly<Record<string, string>>,
    metadata: Readonly<Record<string, string>>,
    c: Classification,
    method: string | undefined,
  ): PaymentEvent {
    const startMs = endMs - durationMs;
    this.#originMs ??= startMs;
    const s = this.#stats;
    s.payments++;
    s.firstStartMs = s.firstStartMs === undefined ? startMs : Math.min(s.firstStartMs, startMs);
    s.lastEndMs = s.lastEndMs === undefined ? endMs : Math.max(s.lastEndMs, endMs);
    if (tags.scenario) this.#scenarios.add(tags.scenario);
    const providerCode = metadata.provider_code ?? c.providerCode;
    const errorCode = c.outcome === 'succeeded' ? undefined : normalised(c.errorCode);
    return {
      t: Math.max(0, Math.round((startMs - this.#originMs) * 1000) / 1000),
      variant: toVariant(tags.variant),
      provider: tags.provider || 'unknown',
      ...(method ? { method } : {}),
      outcome: c.outcome as PaymentOutcome,
      ...(errorCode ? { errorCode } : {}),
      ...(providerCode ? { providerCode } : {}),
      latencyMs: Math.round(durationMs * 1000) / 1000,
      status: c.status,
      orderId: metadata.order_id ?? '',
      idempotencyKey: metadata.idempotency_key ?? '',
      ...(tags.step ? { behaviour: tags.step } : {}),
      ...(metadata.trace_id ? { traceId: metadata.trace_id } : {}),
      ...(metadata.provider_payment_id ? { providerPaymentId: metadata.provider_payment_id } : {}),
      ...(metadata.provider_reference ? { providerReference: metadata.provider_reference } : {}),
    };
  }
}

/** Our scripts tag the classified outcome; a sample without one falls back to its status. */
function fromOurTags(tags: Readonly<Record<string, string>>): Classification {
  const status = Number(tags.status ?? 0) || 0;
  const outcome = tags.outcome;
  if (outcome === 'succeeded' || outcome === 'failed' || outcome === 'pending') {
    return { outcome, status, ...(tags.error_code ? { errorCode: tags.error_code } : {}) };
  }
  return fromHttpTags(tags);
}

/**
 * A request recorded by a script that did not classify its answers: the status decides. k6
 * reports no answer as status 0 with its own error_code: 11xx DNS and 1200–1219 TCP dial
 * errors sent nothing (the payment failed), anything else (1050 timeout, resets) may have
 * charged (outcome unknown).
 */
function fromHttpTags(tags: Readonly<Record<string, string>>): Classification {
  const status = Number(tags.status ?? 0) || 0;
  if (status !== 0) return classifyStatus(status);
  const k6Code = Number(tags.error_code ?? 0);
  return classifyNoResponse(k6Code >= 1100 && k6Code < 1220 ? 'connect' : 'timeout');
}

/** `POST /payments` by its name tag or URL (not `GET /payments/{id}`, not refunds). */
function isPaymentRequest(tags: Readonly<Record<string, string>>): boolean {
  if (tags.method !== 'POST') return false;
  return PAYMENT_PATH.test(tags.name ?? '') || PAYMENT_PATH.test(tags.url ?? '');
}
const PAYMENT_PATH = /\/payments\/?(\?.*)?$/;

function toVariant(value: string | undefined): Variant {
  return value === 'canary' ? 'canary' : 'baseline';
}

function normalised(code: string | undefined): NormalisedCode {
  return code !== undefined && isNormalisedCode(code) ? code : 'unknown';
}
