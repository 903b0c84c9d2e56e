import { paychaosError, type PaychaosError, BoundedMap, DEFAULT_RETAIN, type Random } from '../../src/kernel/index.js';
import { parseProfile, type BehaviourProfile, type Latency, type ProfileProblem, type SettlementFaults } from './behaviour-profile.js';

/** While a profile with settlement faults was on: [from, to) on the behaviour's clock (to absent: still on). */
export interface SettlementFaultWindow {
  readonly from: number;
  readonly to?: number;
  readonly faults: SettlementFaults;
}

/**
 * The live behaviour of a simulator: the current profile plus the state it needs (when it was
 * applied, the rate-limit bucket), turning each into decisions a route acts on.
 *
 *   request ─▶ gate() ─── maintenance? 503 ── rate limited? 429 ── burst / random 5xx? ──▶ answered, nothing committed
 *                 │
 *                 ▼ (admitted)
 *   route: validate ─▶ idempotency claim ─▶ processingDelayMs() ─▶ drawOutcome(order) ─▶ commit to ledger
 *                                                                                   └▶ commitThenError()? the caller gets 5xx anyway
 *
 * Every random choice draws from the seeded Random, so a run is replayable.
 */
export type GateDecision =
  | { readonly kind: 'maintenance' }
  | { readonly kind: 'rate_limited'; readonly retryAfterS: number }
  | { readonly kind: 'server_error'; readonly status: number };

/**
 * How often the simulator acted on a fault field of its profile, by the field's name
 * (`commitThenError`, `serverErrors`, `maintenance` …): cumulative over the simulator's life,
 * whatever profile was on, so a fault step reads it when it starts and when it ends and reports
 * what it did — a step that silently did nothing shows 0.
 */
export type FiredCounts = Readonly<Record<FiredField, number>>;
export const FIRED_FIELDS = ['maintenance', 'rateLimit', 'bursts', 'serverErrors', 'commitThenError', 'idempotencyOutage', 'disputes'] as const;
export type FiredField = (typeof FIRED_FIELDS)[number];

export interface BehaviourOptions {
  /** Provider codes the outcome mix may name. */
  outcomeCodes: readonly string[];
  random: Random;
  /** Time for windows and the rate-limit bucket (real time unless a test injects one). */
  now?: () => number;
  initial?: unknown;
}

const SETTLEMENT_WINDOWS_KEPT = 1000;

export class Behaviour {
  readonly outcomeCodes: readonly string[];
  readonly #random: Random;
  readonly #now: () => number;
  #profile: BehaviourProfile;
  #appliedAt: number;
  #tokens = 0;
  #refilledAt = 0;
  /**
   * Every span of time a settlement fault was on, oldest first. A settlement report is built after
   * the fact (often after the timeline step that caused it ended), so the faults are kept with the
   * time they covered, and a movement is misreported by the window its commit time falls in.
   * Bounded: a timeline has few steps, and the oldest windows are forgotten past the limit.
   */
  readonly #settlementWindows: SettlementFaultWindow[] = [];
  /** Orders picked for an outcome chain → attempts they have made so far. */
  readonly #chains = new BoundedMap<string, { chained: boolean; attempts: number }>(DEFAULT_RETAIN);
  readonly #fired = Object.fromEntries(FIRED_FIELDS.map((f) => [f, 0])) as Record<FiredField, number>;

  constructor(options: BehaviourOptions) {
    this.outcomeCodes = Object.freeze([...options.outcomeCodes]);
    this.#random = options.random;
    this.#now = options.now ?? Date.now;
    const parsed = parseProfile(options.initial ?? {}, this.outcomeCodes);
    if (!parsed.ok) throw badProfileError(parsed.problems);
    this.#profile = parsed.profile;
    this.#appliedAt = this.#now();
    this.#openSettlementWindow();
    this.#resetBucket();
  }

  get profile(): BehaviourProfile {
    return this.#profile;
  }

  /** Fault decisions taken so far, by profile field (FiredCounts; every field, 0 included): a copy. */
  fired(): FiredCounts {
    return { ...this.#fired };
  }

  #count<T>(field: FiredField, decision: T): T {
    this.#fired[field]++;
    return decision;
  }

  /** Replace the profile; on invalid input nothing changes and every problem is returned. */
  apply(input: unknown): { ok: true; profile: BehaviourProfile } | { ok: false; problems: ProfileProblem[] } {
    const parsed = parseProfile(input, this.outcomeCodes);
    if (!parsed.ok) return parsed;
    this.#closeSettlementWindow();
    this.#profile = parsed.profile;
    this.#appliedAt = this.#now();
    this.#openSettlementWindow();
    this.#resetBucket();
    this.#chains.clear();
    return parsed;
  }

  /** Whether a request is turned away before the provider does any work. */
  gate(): GateDecision | undefined {
    const p = this.#profile;
    // The common profile gates nothing: answer without reading the clock.
    if (!p.maintenance && !p.rateLimit && !p.bursts && !p.serverErrors) return undefined;
    const now = this.#now();
    const elapsed = now - this.#appliedAt;
    if (p.maintenance && elapsed >= p.maintenance.after && (p.maintenance.for === undefined || elapsed < p.maintenance.after + p.maintenance.for)) {
      return this.#count('maintenance', { kind: 'maintenance' });
    }
    if (p.rateLimit) {
      const retryAfterS = Math.max(1, Math.ceil(p.rateLimit.retryAfter / 1000));
      if (p.rateLimit.perSecond !== undefined && !this.#take(now, p.rateLimit.perSecond)) return this.#count('rateLimit', { kind: 'rate_limited', retryAfterS });
      if (p.rateLimit.rate !== undefined && this.#random.chance(p.rateLimit.rate)) return this.#count('rateLimit', { kind: 'rate_limited', retryAfterS });
    }
    if (p.bursts && elapsed % p.bursts.every < p.bursts.for) return this.#count('bursts', { kind: 'server_error', status: p.bursts.status });
    if (p.serverErrors && this.#random.chance(p.serverErrors.rate)) return this.#count('serverErrors', { kind: 'server_error', status: p.serverErrors.status });
    return undefined;
  }

  /** Milliseconds of processing before the provider answers. */
  processingDelayMs(): number {
    return this.#profile.latency ? drawLatency(this.#profile.latency, this.#random) : 0;
  }

  /**
   * A provider code forced on this payment attempt, or undefined to behave naturally. An order in
   * an outcome chain fails its first attempts with the chain's code; otherwise the mix decides.
   */
  drawOutcome(orderId: string): string | undefined {
    const chain = this.#profile.chain;
    if (chain && orderId !== undefined) {
      let state = this.#chains.get(orderId);
      if (!state) {
        state = { chained: this.#random.chance(chain.rate), attempts: 0 };
        this.#chains.set(orderId, state);
      }
      state.attempts++;
      if (state.chained && state.attempts <= chain.failures) return chain.code;
    }
    const mix = this.#profile.outcomes;
    let r = this.#random.next();
    for (const [code, share] of Object.entries(mix)) {
      if (r < share) return code;
      r -= share;
    }
    return undefined;
  }

  /**
   * Whether a payment just captured is disputed, and how the dispute ends (profile `disputes`);
   * drawn only while disputes are on, so other choices replay unchanged without them.
   */
  dispute(): { reason: string; outcome: 'lost' | 'won' | 'open' } | undefined {
    const d = this.#profile.disputes;
    if (!d || d.rate <= 0 || !this.#random.chance(d.rate)) return undefined;
    return this.#count('disputes', { reason: d.reason, outcome: d.outcome });
  }

  /** After committing a payment: the 5xx the caller gets anyway, or undefined. */
  commitThenError(): number | undefined {
    const c = this.#profile.commitThenError;
    return c && this.#random.chance(c.rate) ? this.#count('commitThenError', c.status) : undefined;
  }

  /** Whether this keyed request finds the idempotency store down. */
  idempotencyDown(): boolean {
    const o = this.#profile.idempotencyOutage;
    return o !== undefined && this.#random.chance(o.rate) && this.#count('idempotencyOutage', true);
  }

  /** The random source, for decisions that belong to one provider (e.g. webhook faults). */
  get random(): Random {
    return this.#random;
  }

  /** When settlement faults were on (oldest first): what the settlement report applies. */
  settlementWindows(): readonly SettlementFaultWindow[] {
    return this.#settlementWindows.slice();
  }

  #openSettlementWindow(): void {
    const faults = this.#profile.settlement;
    if (!faults) return;
    if (this.#settlementWindows.length >= SETTLEMENT_WINDOWS_KEPT) this.#settlementWindows.shift();
    this.#settlementWindows.push({ from: this.#appliedAt, faults });
  }

  #closeSettlementWindow(): void {
    const last = this.#settlementWindows.at(-1);
    if (last && last.to === undefined) this.#settlementWindows[this.#settlementWindows.length - 1] = { ...last, to: this.#now() };
  }

  #resetBucket(): void {
    this.#tokens = this.#profile.rateLimit?.perSecond ?? 0;
    this.#refilledAt = this.#now();
  }

  /** Token bucket: capacity one second's worth, refilled continuously. */
  #take(now: number, perSecond: number): boolean {
    this.#tokens = Math.min(perSecond, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export function drawLatency(latency: Latency, random: Random): number {
  switch (latency.kind) {
    case 'fixed':
      return latency.value;
    case 'uniform':
      return random.uniform(latency.min, latency.max);
    case 'lognormal': {
      const v = random.lognormal(latency.median, latency.sigma);
      return latency.max === undefined ? v : Math.min(v, latency.max);
    }
  }
}

/**
 * PAYCHAOS_ERR_SIM_BAD_PROFILE naming every field at fault; `details.problems` lists them and
 * `details.field` is the first, for callers that show only one.
 */
export function badProfileError(problems: readonly ProfileProblem[], source = 'behaviour profile'): PaychaosError {
  return paychaosError('PAYCHAOS_ERR_SIM_BAD_PROFILE', `invalid ${source}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
    field: problems[0]?.path,
    problems,
  });
}
