import type { FastifyInstance } from 'fastify';
import { DEFAULT_RETAIN, Random, randomSeed, systemClock, type Clock } from '../../src/kernel/index.js';
import { Behaviour } from './behaviour.js';
import { withContractRate, type ContractRate, type FeeModel } from './fees.js';
import { IdempotencyStore } from './idempotency.js';
import { IdGenerator } from './ids.js';
import { Ledger } from './ledger.js';
import { settlementReportOf } from './settlement-due.js';
import type { SettlementCycle, SettlementLine } from './settlement-report.js';
import { buildSimApp, type SimServerOptions } from './sim-server.js';
import { SpillStore } from './spill-map.js';
import { WebhookDispatcher, type Transport, type WebhookProtocol } from './webhooks.js';

/**
 * The parts every simulator is built from, made one way (the six `server.ts` used to wire them
 * by hand, and a new provider could leave one out — a settlement report without the contract
 * rate, a spill store never closed):
 *
 *   simulatorCore(provider, options) ─► seed, random, clocks, ledger, spill store
 *     core.behaviour(codes)            ─► the behaviour gate, on the ledger's clock
 *     core.webhooks(protocol)          ─► the webhook dispatcher, on the simulated clock
 *     core.ids() / core.idempotency(ttl)
 *     core.app({ fees, cycle, report, routes, … }) ─► buildSimApp + settlement report + close hooks
 *
 * The steps are methods the provider calls in its own order, not one call that makes them all,
 * because each part forks the seeded random: the order of forks is what makes a seed replay the
 * same ids and outcomes, and each provider's order predates this builder (WeChat Pay's keys draw
 * before the behaviour, UnionPay's ids before everything).
 */

/** The options every simulator takes, with the same meaning in each. */
export interface SimCoreOptions {
  /** The merchant's contract rate over the list price the settlement report charges by (`stack.fees`). */
  fees?: ContractRate;
  /** Wall-clock time for ledger entries and the provider's time fields. */
  now?: () => Date;
  /** Seed of every random choice; the same seed and requests replay the same run. */
  seed?: number;
  /** The initial behaviour profile (validated; an invalid one throws PAYCHAOS_ERR_SIM_BAD_PROFILE). */
  profile?: unknown;
  /** Clock of webhook ladders and anything else the provider schedules in simulated time. */
  clock?: Clock;
  /** How webhooks are sent (tests may capture them in memory). */
  transport?: Transport;
  /** Distinguishes ids of replicas started with one seed. */
  instanceId?: string;
  /** Provider objects and idempotency keys kept in memory per kind; older ones spill to disk. */
  retain?: number;
}

/** What every built simulator hands its caller (and `simulatorStarter` passes on, without the app). */
export interface BuiltSim {
  readonly ledger: Ledger;
  readonly app: FastifyInstance;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  /** The seed in force (drawn when none was given), so a run can be replayed. */
  readonly seed: number;
}

/** What only the provider knows when its app is built; the rest comes from the core. */
export interface SimAppParts extends Omit<SimServerOptions, 'ledger' | 'behaviour' | 'webhooks' | 'settlementCsv' | 'settlementReport'> {
  behaviour: Behaviour;
  webhooks: WebhookDispatcher;
  /** The ledger in the provider's own settlement format (version 1; the report below is served beside it). */
  settlementCsv(): string;
  /** The provider's list fees, to which `options.fees` (the contract rate) is applied. */
  fees: FeeModel;
  cycle: SettlementCycle;
  /** Renders the settlement report's lines in the provider's own format. */
  report(lines: readonly SettlementLine[]): string;
  /** The provider's own teardown, before the dispatcher and spill store close (e.g. its timers). */
  onClose?(): void;
}

export class SimCore {
  readonly provider: string;
  readonly seed: number;
  /** The run's seeded random: fork it for each independent stream, in a fixed order. */
  readonly random: Random;
  readonly clock: Clock;
  /** Wall-clock time as a Date (the injected one, else real time). */
  readonly now: () => Date;
  /** The same time in ms; without an injected clock it reads Date.now and makes no Date (hot path). */
  readonly nowMs: () => number;
  readonly retain: number;
  readonly #options: SimCoreOptions;
  #ledger: Ledger | undefined;
  #spill: SpillStore | undefined;

  constructor(provider: string, options: SimCoreOptions) {
    this.provider = provider;
    this.#options = options;
    const injected = options.now;
    this.now = injected ?? (() => new Date());
    // Several clock reads per request: without an injected clock, read it without making Dates.
    this.nowMs = injected ? () => injected().getTime() : Date.now;
    this.seed = options.seed ?? randomSeed();
    this.random = new Random(this.seed);
    this.clock = options.clock ?? systemClock;
    this.retain = options.retain ?? DEFAULT_RETAIN;
  }

  // The ledger and the spill store are databases, opened on first use: a provider's own checks
  // (WeChat Pay's key needs the seeded random first) may throw before, and then leave no file open.

  /** What the simulator really did (the ground truth, DESIGN "Ground truth"). */
  get ledger(): Ledger {
    return (this.#ledger ??= new Ledger(this.provider, this.#options.now));
  }

  /** Objects and keys past `retain` go to disk, not away (issue 19): closed with the app. */
  get spill(): SpillStore {
    return (this.#spill ??= new SpillStore());
  }

  /** The behaviour gate; on the ledger's clock, as settlement-fault windows match ledger commit times. */
  behaviour(outcomeCodes: readonly string[]): Behaviour {
    return new Behaviour({ outcomeCodes, random: this.random.fork(), now: this.nowMs, initial: this.#options.profile });
  }

  /** The webhook dispatcher: ladders on the simulated clock, signatures on wall-clock time. */
  webhooks(behaviour: Behaviour, protocol: WebhookProtocol, duplicateGapMs?: number): WebhookDispatcher {
    return new WebhookDispatcher({
      protocol,
      clock: this.clock,
      random: this.random.fork(),
      settings: () => behaviour.profile.webhooks,
      wallNow: this.nowMs,
      ...(duplicateGapMs !== undefined ? { duplicateGapMs } : {}),
      ...(this.#options.transport ? { transport: this.#options.transport } : {}),
    });
  }

  /** The provider's object ids, distinct per replica (`instanceId`). */
  ids(): IdGenerator {
    return new IdGenerator(this.random.fork(), this.#options.instanceId ?? '');
  }

  /** Idempotency keys kept for `ttlMs` of wall-clock time, bounded by `retain`, spilling to disk. */
  idempotency(ttlMs: number): IdempotencyStore {
    return new IdempotencyStore({ ttlMs, clock: { now: this.nowMs }, maxKeys: this.retain, spill: this.spill });
  }

  /** The app: the provider's routes on buildSimApp, its settlement report at the contract rate, closing what the core opened. */
  app(parts: SimAppParts): FastifyInstance {
    const { fees, cycle, report, onClose, ...server } = parts;
    const { ledger, clock, seed } = this;
    const { behaviour, webhooks } = parts;
    const app = buildSimApp({
      ...server,
      ledger,
      settlementReport: settlementReportOf({ ledger, behaviour, clock, fees: withContractRate(fees, this.#options.fees), cycle, seed }, report),
    });
    app.addHook('onClose', async () => {
      onClose?.();
      webhooks.close();
      this.#spill?.close();
    });
    return app;
  }
}

/** The shared parts of one provider's simulator (see SimCore). */
export function simulatorCore(provider: string, options: SimCoreOptions): SimCore {
  return new SimCore(provider, options);
}
