import { drawLatency } from './behaviour.js';
import type { WebhookSettings } from './behaviour-profile.js';
import { formatTraceparent, newSpanId, type Clock, type TimerHandle, type Random } from '../../src/kernel/index.js';
import { WebhookConnections, type Transport } from './webhook-transport.js';

export type { Transport } from './webhook-transport.js';

/**
 * Delivers a provider's webhooks the way the provider does — its signature, its idea of an
 * acknowledgement, its retry ladder — and misbehaves on request (profile `webhooks`):
 *
 *   emit ─▶ drop? ─▶ delay ─▶ reorder buffer? ─▶ delivery ─▶ attempt 1 ─▶ acked? done
 *                                                  │ dup?        │ no
 *                                                  ▼             ▼ after ladder[0] (simulated)
 *                                              2nd delivery   attempt 2 … until the ladder ends
 *
 * A delivery goes to every endpoint (the profile's `url` may list several, as an account may
 * register several); each endpoint acknowledges, and is retried, on its own.
 *
 * Gaps run on the injected Clock (scaled in scenarios, manual in tests). Each attempt is signed
 * afresh at the wall-clock time it is sent, as the providers do, so a receiver's timestamp
 * tolerance (Stripe's SDK allows 300 s) holds even when the ladder runs a hundred times faster.
 */
export interface WebhookEvent {
  readonly id: string;
  readonly type: string;
  /** The provider's event object; the protocol renders it. */
  readonly payload: unknown;
  /**
   * Where this event goes when the profile names no `webhooks.url`: providers such as Alipay and
   * WeChat Pay take a notify_url per request. The profile's url wins, so a stack can route every
   * notification through a proxy.
   */
  readonly url?: string;
  /**
   * The trace of the payment that caused the event (the traceparent its request carried). Every
   * delivery attempt then carries a W3C `traceparent` in that trace, with a span id of its own,
   * so the receiver's handling joins the shopper's trace.
   */
  readonly traceId?: string;
}

/** The event in the trace `traceId` (none: as it is). */
export function inTrace(event: WebhookEvent, traceId: string | undefined): WebhookEvent {
  return traceId === undefined ? event : { ...event, traceId };
}

export interface WebhookProtocol {
  /** Body and headers of one attempt; `badSignature` signs with a wrong secret. */
  render(event: WebhookEvent, attempt: { signedAtMs: number; badSignature: boolean }): { body: string; headers: Record<string, string> };
  /** Whether the receiver acknowledged (Stripe: any 2xx; Adyen: a 2xx whose body is `[accepted]`). */
  accepted(status: number, body: string): boolean;
  /** The provider's gaps between attempts, in simulated milliseconds. */
  readonly retrySchedule: readonly number[];
}

export interface DeliveryAttempt {
  readonly eventId: string;
  readonly type: string;
  /** 1 for the first delivery of an event, 2 for a duplicate. */
  readonly delivery: number;
  /** The endpoint this attempt was sent to. */
  readonly url: string;
  readonly attempt: number;
  /** Simulated time of the attempt, ISO-8601. */
  readonly at: string;
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly accepted: boolean;
  readonly badSignature: boolean;
}

export interface DroppedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly reason: 'dropped' | 'no_endpoint';
}

/** How many attempts and dropped events the log keeps (the newest); totals are always exact. */
export const WEBHOOK_LOG_LIMIT = 10_000;

export interface WebhookTotals {
  emitted: number;
  attempts: number;
  accepted: number;
  dropped: number;
}

export interface WebhookDispatcherOptions {
  protocol: WebhookProtocol;
  clock: Clock;
  random: Random;
  /** The live settings (the behaviour profile's `webhooks`), read at each step. */
  settings(): WebhookSettings;
  /** Wall-clock time used for signatures. */
  wallNow?: () => number;
  /** How attempts are sent (tests capture them in memory); default: HTTP on the dispatcher's own connections. */
  transport?: Transport;
  /** Gap before a duplicate delivery, simulated ms. */
  duplicateGapMs?: number;
}

export class WebhookDispatcher {
  readonly #o: Required<Omit<WebhookDispatcherOptions, 'duplicateGapMs'>> & { duplicateGapMs: number };
  #attempts: DeliveryAttempt[] = [];
  #dropped: DroppedEvent[] = [];
  readonly #totals: WebhookTotals = { emitted: 0, attempts: 0, accepted: 0, dropped: 0 };
  readonly #timers = new Set<TimerHandle>();
  readonly #inFlight = new Set<AbortController>();
  #reorder: WebhookEvent[] = [];
  #pending = 0;
  #closed = false;
  #waiters: Array<() => void> = [];
  /** The default transport's connections, closed with the dispatcher (none when a transport is given). */
  readonly #connections: WebhookConnections | undefined;

  constructor(options: WebhookDispatcherOptions) {
    this.#connections = options.transport ? undefined : new WebhookConnections();
    this.#o = { wallNow: Date.now, duplicateGapMs: 1000, ...options, transport: options.transport ?? this.#connections!.send };
  }

  /**
   * Whether an event of this type would be sent at all under the current settings (a profile's
   * `webhooks.events` subscribes to some types only): callers ask before building an expensive
   * payload that `emit` would discard.
   */
  subscribed(type: string): boolean {
    if (this.#closed) return false;
    const events = this.#o.settings().events;
    return events === undefined || events.includes(type);
  }

  /** Queue an event for delivery under the current settings. */
  emit(event: WebhookEvent): void {
    // Not subscribed: the provider does not send it (nor count it), as with Stripe's enabled_events.
    if (!this.subscribed(event.type)) return;
    const s = this.#o.settings();
    this.#totals.emitted++;
    if (endpointsOf(s, event).length === 0) return this.#drop({ eventId: event.id, type: event.type, reason: 'no_endpoint' });
    if (this.#o.random.chance(s.drop)) return this.#drop({ eventId: event.id, type: event.type, reason: 'dropped' });
    const delay = s.delay ? drawLatency(s.delay, this.#o.random) : 0;
    const reorder = s.reorder;
    if (reorder && this.#o.random.chance(reorder.rate)) {
      this.#later(delay, () => this.#hold(event, reorder.window));
      return;
    }
    this.#later(delay, () => this.#deliver(event));
  }

  /** Whether events go anywhere (the settings name an endpoint). */
  get enabled(): boolean {
    return !this.#closed && endpointsOf(this.#o.settings()).length > 0;
  }

  /** The attempts so far (the newest WEBHOOK_LOG_LIMIT), in the order made. */
  attempts(): readonly DeliveryAttempt[] {
    return this.#attempts.slice(-WEBHOOK_LOG_LIMIT);
  }

  /** Events never sent (the newest WEBHOOK_LOG_LIMIT). */
  dropped(): readonly DroppedEvent[] {
    return this.#dropped.slice(-WEBHOOK_LOG_LIMIT);
  }

  totals(): Readonly<WebhookTotals> {
    return { ...this.#totals };
  }

  /** Resolves once nothing is scheduled or in flight (every ladder finished). */
  settled(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Cancel every scheduled attempt and abort those in flight. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) t.cancel();
    this.#timers.clear();
    for (const a of this.#inFlight) a.abort();
    void this.#connections?.close();
    this.#pending = 0;
    this.#wake();
  }

  #drop(dropped: DroppedEvent): void {
    this.#totals.dropped++;
    this.#dropped = bounded(this.#dropped, dropped);
  }

  #hold(event: WebhookEvent, windowMs: number): void {
    this.#reorder.push(event);
    if (this.#reorder.length > 1) return;
    this.#later(windowMs, () => {
      // Newest first: every held event is overtaken by the ones emitted after it.
      const batch = this.#reorder.reverse();
      this.#reorder = [];
      for (const e of batch) this.#deliver(e);
    });
  }

  #deliver(event: WebhookEvent): void {
    // The endpoints as they are now; a duplicate goes to the same ones.
    const urls = endpointsOf(this.#o.settings(), event);
    for (const url of urls) this.#attempt(event, url, 1, 1);
    if (this.#o.random.chance(this.#o.settings().duplicate)) this.#later(this.#o.duplicateGapMs, () => urls.forEach((url) => this.#attempt(event, url, 2, 1)));
  }

  #attempt(event: WebhookEvent, url: string, delivery: number, attempt: number): void {
    const s = this.#o.settings();
    if (this.#closed) return;
    const badSignature = this.#o.random.chance(s.badSignature);
    const rendered = this.#o.protocol.render(event, { signedAtMs: this.#o.wallNow(), badSignature });
    const body = rendered.body;
    const headers = event.traceId === undefined ? rendered.headers : { ...rendered.headers, traceparent: formatTraceparent({ traceId: event.traceId, spanId: newSpanId(), sampled: true }) };
    const at = new Date(this.#o.clock.now()).toISOString();
    const abort = new AbortController();
    this.#inFlight.add(abort);
    this.#pending++;
    const record = (status: number | undefined, error: string | undefined, accepted: boolean): void => {
      this.#totals.attempts++;
      if (accepted) this.#totals.accepted++;
      this.#attempts = bounded(this.#attempts, { eventId: event.id, type: event.type, delivery, url, attempt, at, status, error, accepted, badSignature });
    };
    this.#o
      .transport(url, body, headers, s.timeout, abort.signal)
      .then(
        (res) => {
          const ok = this.#o.protocol.accepted(res.status, res.body);
          record(res.status, undefined, ok);
          return ok;
        },
        (err: unknown) => {
          record(undefined, err instanceof Error ? err.message : String(err), false);
          return false;
        },
      )
      .then((ok) => {
        this.#inFlight.delete(abort);
        if (this.#closed) return;
        const ladder = s.retrySchedule ?? this.#o.protocol.retrySchedule;
        const gap = ladder[attempt - 1];
        if (!ok && gap !== undefined) this.#later(gap, () => this.#attempt(event, url, delivery, attempt + 1));
        this.#done();
      });
  }

  #later(ms: number, fn: () => void): void {
    if (this.#closed) return;
    this.#pending++;
    const handle = this.#o.clock.schedule(ms, () => {
      this.#timers.delete(handle);
      if (!this.#closed) fn();
      this.#done();
    });
    this.#timers.add(handle);
  }

  #done(): void {
    this.#pending = Math.max(0, this.#pending - 1);
    if (this.#pending === 0) this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

/** Where an event goes: the profile's endpoint(s), else the URL its request named. */
function endpointsOf(s: WebhookSettings, event?: WebhookEvent): readonly string[] {
  if (s.url === undefined) return event?.url ? [event.url] : [];
  return typeof s.url === 'string' ? [s.url] : s.url;
}

/** Append, trimming to the newest WEBHOOK_LOG_LIMIT once twice that accumulates (amortised O(1)). */
function bounded<T>(log: T[], item: T): T[] {
  log.push(item);
  return log.length > 2 * WEBHOOK_LOG_LIMIT ? log.slice(-WEBHOOK_LOG_LIMIT) : log;
}
