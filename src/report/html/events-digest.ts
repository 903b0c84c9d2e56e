import type { FaultRecord } from '../results-schema.js';

/** Outcome counts of one slice of a second. */
export interface Counts {
  requests: number;
  succeeded: number;
  failed: number;
  pending: number;
}

/** One payment as the report's tables show it. */
export interface PaymentRow {
  /** Scheduled start, ms since the run started. */
  readonly t: number;
  readonly variant: string;
  readonly provider: string;
  readonly method: string;
  readonly outcome: string;
  readonly errorCode?: string;
  readonly providerCode?: string;
  readonly latencyMs: number;
  readonly status: number;
  readonly orderId: string;
  readonly traceId?: string;
}

export interface CrashRow {
  readonly part: string;
  readonly atS: number;
  readonly message: string;
}

/**
 * What one fault window looked like from the shoppers' side (ms since the run started, payments'
 * scheduled starts): the moments its failover story is told from. A payment the gateway failed
 * over carries `failoverFrom` (the provider it switched away from); one without it was answered
 * by its own provider.
 */
export interface FaultSighting {
  readonly faultId: string;
  /** Providers the fault's target names. */
  readonly providers: readonly string[];
  /** First answer through one of them that was not a success, at or after the fault took effect. */
  firstFailureMs?: number;
  /** The gateway noticed: the first payment failed over away from one of them, at or after the fault took effect. */
  firstFailoverMs?: number;
  /** The gateway switched: the first such payment another provider answered successfully. */
  firstServedElsewhereMs?: number;
  /** The last payment failed over away from one of them, at or after the fault took effect. */
  lastFailoverMs?: number;
  /** The gateway switched back: the first success one of them answered itself once the fault was undone. */
  firstServedAgainMs?: number;
}

/**
 * What a report needs of events.jsonl, in memory bounded by the run's length, never by its
 * request count: per-second counts per provider, error codes over time and by provider and
 * method, the slowest and the first failed payments, crashes, and for every fault window the
 * moments its failover story is told from.
 */
export interface EventsDigest {
  readonly payments: number;
  /** Lines that were not JSON objects (a run killed mid-line leaves one). */
  readonly unreadableLines: number;
  readonly providers: readonly string[];
  /** provider → second → counts. */
  readonly byProviderSecond: Readonly<Record<string, Readonly<Record<number, Counts>>>>;
  /** second → normalised error code → count (failed and pending answers). */
  readonly errorCodesBySecond: Readonly<Record<number, Readonly<Record<string, number>>>>;
  /** "provider · method" → code → count. */
  readonly errorCodesByProviderMethod: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly slowest: readonly PaymentRow[];
  readonly failed: readonly PaymentRow[];
  readonly failedTotal: number;
  readonly crashes: readonly CrashRow[];
  readonly sightings: readonly FaultSighting[];
}

/** How many rows each table keeps. */
export const DIGEST_LIMITS = Object.freeze({ slowest: 20, failed: 50, crashes: 100 });

/** The providers a fault's target names: the target itself, or one of its words (`stripe-proxy`, `sim-alipay`). */
export function providersOfTarget(target: string, providers: Iterable<string>): string[] {
  const words = new Set(target.toLowerCase().split(/[^a-z0-9:]+/));
  return [...providers].filter((p) => p === target || words.has(p.toLowerCase()));
}

/**
 * Folds events.jsonl lines into an EventsDigest. The faults come from results.json (what the
 * control plane applied), so each window's sightings are found in one pass.
 */
export class EventsDigester {
  readonly #faults: readonly FaultRecord[];
  readonly #sightings = new Map<string, FaultSighting>();
  readonly #byProviderSecond = new Map<string, Map<number, Counts>>();
  readonly #codesBySecond = new Map<number, Map<string, number>>();
  readonly #codesByProviderMethod = new Map<string, Map<string, number>>();
  #slowest: PaymentRow[] = [];
  readonly #failed: PaymentRow[] = [];
  readonly #crashes: CrashRow[] = [];
  #failedTotal = 0;
  #payments = 0;
  #unreadable = 0;

  constructor(faults: readonly FaultRecord[]) {
    this.#faults = faults;
  }

  /** One line of events.jsonl, as text. */
  line(text: string): void {
    if (text.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      this.#unreadable++;
      return;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      this.#unreadable++;
      return;
    }
    this.event(event as Record<string, unknown>);
  }

  event(e: Record<string, unknown>): void {
    // Warm-up payments are start-up, reported apart in results.warmup: not the run's figures.
    if (e.type === 'payment' && e.phase !== 'warmup') this.#payment(e);
    else if (e.type === 'crash' && this.#crashes.length < DIGEST_LIMITS.crashes) {
      this.#crashes.push({ part: str(e.part, 'unknown part'), atS: num(e.atS), message: str(e.message, '') });
    }
  }

  #payment(e: Record<string, unknown>): void {
    const row: PaymentRow = {
      t: num(e.t),
      variant: str(e.variant, 'baseline'),
      provider: str(e.provider, 'unknown'),
      method: str(e.method, 'unknown'),
      outcome: str(e.outcome, 'pending'),
      ...(typeof e.errorCode === 'string' ? { errorCode: e.errorCode } : {}),
      ...(typeof e.providerCode === 'string' ? { providerCode: e.providerCode } : {}),
      latencyMs: num(e.latencyMs),
      status: num(e.status),
      orderId: str(e.orderId, ''),
      ...(typeof e.traceId === 'string' ? { traceId: e.traceId } : {}),
    };
    this.#payments++;
    const second = Math.floor(row.t / 1000);
    const perSecond = getOr(this.#byProviderSecond, row.provider, () => new Map<number, Counts>());
    const c = getOr(perSecond, second, () => ({ requests: 0, succeeded: 0, failed: 0, pending: 0 }));
    c.requests++;
    if (row.outcome === 'succeeded') c.succeeded++;
    else if (row.outcome === 'failed') c.failed++;
    else c.pending++;
    if (row.outcome !== 'succeeded') {
      const code = row.errorCode ?? (row.outcome === 'pending' ? 'outcome_unknown' : 'unknown');
      bump(getOr(this.#codesBySecond, second, () => new Map()), code);
      bump(getOr(this.#codesByProviderMethod, `${row.provider} · ${row.method}`, () => new Map()), code);
      this.#failedTotal++;
      if (this.#failed.length < DIGEST_LIMITS.failed) this.#failed.push(row);
    }
    this.#keepSlowest(row);
    this.#sight(row, typeof e.failoverFrom === 'string' && e.failoverFrom !== '' ? e.failoverFrom : undefined);
  }

  #keepSlowest(row: PaymentRow): void {
    const s = this.#slowest;
    if (s.length >= DIGEST_LIMITS.slowest && row.latencyMs <= s[s.length - 1]!.latencyMs) return;
    s.push(row);
    s.sort((a, b) => b.latencyMs - a.latencyMs);
    if (s.length > DIGEST_LIMITS.slowest) s.pop();
  }

  #sight(row: PaymentRow, failoverFrom: string | undefined): void {
    const min = (a: number | undefined, b: number): number => Math.min(a ?? Infinity, b);
    for (const f of this.#faults) {
      if (row.t < f.startS * 1000) continue;
      const through = providersOfTarget(f.target, [row.provider]).length > 0;
      const awayFrom = failoverFrom !== undefined && providersOfTarget(f.target, [failoverFrom]).length > 0;
      if (!through && !awayFrom) continue;
      const s = getOr(this.#sightings, f.id, () => ({ faultId: f.id, providers: [] as string[] }));
      const named = awayFrom ? failoverFrom : row.provider;
      if (!s.providers.includes(named)) (s.providers as string[]).push(named);
      if (awayFrom) {
        s.firstFailoverMs = min(s.firstFailoverMs, row.t);
        s.lastFailoverMs = Math.max(s.lastFailoverMs ?? -Infinity, row.t);
        if (row.outcome === 'succeeded') s.firstServedElsewhereMs = min(s.firstServedElsewhereMs, row.t);
        continue;
      }
      if (row.outcome !== 'succeeded') s.firstFailureMs = min(s.firstFailureMs, row.t);
      // Switched back: answered by the target itself, not as another provider's failover (the engine's time_to_switch_back reads it the same way).
      else if (failoverFrom === undefined && row.t >= f.endS * 1000 && f.endS > f.startS) s.firstServedAgainMs = min(s.firstServedAgainMs, row.t);
    }
  }

  digest(): EventsDigest {
    const record = <K extends string | number, V, W>(m: Map<K, V>, f: (v: V) => W): Record<K, W> => Object.fromEntries([...m].map(([k, v]) => [k, f(v)])) as Record<K, W>;
    return {
      payments: this.#payments,
      unreadableLines: this.#unreadable,
      providers: [...this.#byProviderSecond.keys()].sort(),
      byProviderSecond: record(this.#byProviderSecond, (m) => record(m, (c) => ({ ...c }))),
      errorCodesBySecond: record(this.#codesBySecond, (m) => Object.fromEntries(m)),
      errorCodesByProviderMethod: record(this.#codesByProviderMethod, (m) => Object.fromEntries(m)),
      slowest: [...this.#slowest],
      failed: [...this.#failed],
      failedTotal: this.#failedTotal,
      crashes: [...this.#crashes],
      sightings: this.#faults.map((f) => ({ ...(this.#sightings.get(f.id) ?? { faultId: f.id, providers: [] }) })),
    };
  }
}

function getOr<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}
