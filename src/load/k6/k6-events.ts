import type { PaymentEvent } from '../../analysis/index.js';
import { isNormalisedCode, type NormalisedCode, type PaymentOutcome, type Variant } from '../../conventions/index.js';
import { ARRIVALS_TAG, ARRIVAL_WINDOW_TAG, classifyNoResponse, classifyStatus, parseDurationMs, type Classification } from '../../../load/lib/index.js';
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
  /**
   * Each scenario's arrival schedule, from the tags load/options.js sets on it (k6 records no
   * options in its output); empty for scripts that do not set them.
   */
  arrivals: K6Arrivals[];
  /** Shoppers' first submits (or every payment of a script without step tags): when they started. */
  firstSubmits: { count: number; firstStartMs: number | undefined; lastStartMs: number | undefined };
}

/** One scenario's schedule: `scheduled` iterations arriving over `windowS` seconds. */
export interface K6Arrivals {
  scenario: string;
  scheduled: number;
  windowS: number;
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
  readonly #arrivals = new Map<string, K6Arrivals>();
  readonly #stats: Omit<K6RunStats, 'scenarios' | 'arrivals'> = {
    payments: 0,
    iterations: 0,
    droppedIterations: 0,
    maxVus: 0,
    firstStartMs: undefined,
    lastEndMs: undefined,
    firstSubmits: { count: 0, firstStartMs: undefined, lastStartMs: undefined },
  };

  constructor(options: { originMs?: number } = {}) {
    this.#originMs = options.originMs;
  }

  accept(record: K6Record): PaymentEvent | undefined {
    if (record.type !== 'Point') return undefined;
    const scenario = record.tags.scenario;
    if (scenario !== undefined && record.tags[ARRIVALS_TAG] !== undefined && !this.#arrivals.has(scenario)) this.#schedule(scenario, record.tags);
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
    return { ...this.#stats, firstSubmits: { ...this.#stats.firstSubmits }, scenarios: [...this.#scenarios].sort(), arrivals: [...this.#arrivals.values()] };
  }

  /** A scenario's schedule tags, read once; a malformed pair is ignored (the samples still count). */
  #schedule(scenario: string, tags: Readonly<Record<string, string>>): void {
    const scheduled = Number(tags[ARRIVALS_TAG]);
    const windowS = (parseDurationMs(tags[ARRIVAL_WINDOW_TAG] ?? '') ?? Number.NaN) / 1000;
    if (Number.isFinite(scheduled) && scheduled >= 0 && windowS > 0) this.#arrivals.set(scenario, { scenario, scheduled, windowS });
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
    if (tags.step === undefined || tags.step === 'first') {
      const f = s.firstSubmits;
      f.count++;
      f.firstStartMs = f.firstStartMs === undefined ? startMs : Math.min(f.firstStartMs, startMs);
      f.lastStartMs = f.lastStartMs === undefined ? startMs : Math.max(f.lastStartMs, startMs);
    }
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
      ...(metadata.refund_amount && /^[1-9][0-9]{0,15}$/.test(metadata.refund_amount) ? { refundAmount: Number(metadata.refund_amount) } : {}),
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
