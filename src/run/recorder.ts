import { join, resolve } from 'node:path';
import { Aggregator, Exemplars, type PaymentEvent } from '../analysis/index.js';
import type { ShopperPlan } from '../load/index.js';
import { EventsWriter, buildResults, prepareOutDir, writeFileAtomic, type CrashRecord, type FaultRecord, type Results, type ResultsParts } from '../report/index.js';
import { OrdersPlaced } from './orders-placed.js';
import { WarmupTally } from './warmup-tally.js';

export interface RecorderOptions {
  outDir: string;
  runId: string;
  scenario: string;
  paychaosVersion: string;
  /** Extra fields of events.jsonl's `run` header line (engine, target rate, k6 sources …). */
  header?: Readonly<Record<string, unknown>>;
}

/** A fault step's record as it happens: first when it took effect, again when it was undone. */
export interface FaultEvent {
  readonly id: string;
  readonly type: string;
  readonly layer: FaultRecord['layer'];
  readonly target: string;
  /** Seconds since the run started. */
  readonly startS: number;
  readonly endS?: number;
  readonly plannedAtS: number;
  readonly plannedForS?: number;
  readonly error?: string;
  /** What the step did while it was on, by kind (the fault step's Undo.observed), once undone. */
  readonly observed?: Readonly<Record<string, number>>;
}

/** A part of the stack that died while the run went on (a child's exit, a kill the timeline ordered). */
export interface CrashEvent {
  readonly part: string;
  readonly atS: number;
  readonly message: string;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  /** The part's whole output, kept in the run's directory. */
  readonly log?: string;
}

/** What the run itself says about the results; the recorder supplies what it measured. */
export type RunParts = Omit<ResultsParts, 'runId' | 'scenario' | 'paychaosVersion' | 'snapshot' | 'faults' | 'crashes' | 'exemplars'> & {
  /** Known only at the end (k6 output names its scenarios): overrides the recorder's. */
  scenario?: string;
};

/**
 * The one event sink of a run: whichever engine measured it — the built-in driver, k6 launched
 * by paychaos, `paychaos ingest k6`, later the OTLP receiver — every payment, fault, crash and
 * phase goes through here, so results.json and events.jsonl cannot drift apart between engines.
 *
 *   payment ──► Aggregator, Exemplars, OrdersPlaced (ground truth) ─┐
 *   warm-up payment ──► WarmupTally, OrdersPlaced ───────────────────┤
 *   fault ────► one record per step (the last word wins) ─┴─► results() ──► finish(): results.json (atomic)
 *   every call (payment, fault, crash, phase) ──────────────► events.jsonl (streamed: a killed run keeps it)
 */
export class Recorder {
  readonly runId: string;
  readonly scenario: string;
  readonly outDir: string;
  readonly resultsPath: string;
  readonly eventsPath: string;
  readonly orders = new OrdersPlaced();
  readonly #aggregator = new Aggregator();
  readonly #exemplars = new Exemplars();
  readonly #warmup = new WarmupTally();
  readonly #events: EventsWriter;
  readonly #paychaosVersion: string;
  /** By id, in the order they first took effect. */
  readonly #faults = new Map<string, FaultRecord>();
  readonly #crashes: CrashRecord[] = [];
  #closed: Promise<void> | undefined;

  private constructor(options: RecorderOptions, outDir: string) {
    this.runId = options.runId;
    this.scenario = options.scenario;
    this.outDir = outDir;
    this.resultsPath = join(outDir, 'results.json');
    this.eventsPath = join(outDir, 'events.jsonl');
    this.#paychaosVersion = options.paychaosVersion;
    this.#events = new EventsWriter(this.eventsPath);
    this.#events.write({ type: 'run', runId: options.runId, scenario: options.scenario, ...(options.header ?? {}) });
  }

  /** Prepare the output directory (a previous run's files kept as *.previous) and start events.jsonl. */
  static async open(options: RecorderOptions): Promise<Recorder> {
    const outDir = resolve(options.outDir);
    await prepareOutDir(outDir);
    return new Recorder(options, outDir);
  }

  /** One payment attempt as the load engine saw it. */
  payment(event: PaymentEvent): void {
    this.#aggregator.record(event);
    this.#exemplars.record(event);
    this.orders.see(event);
    this.#events.write({ type: 'payment', ...event });
  }

  /**
   * One payment attempt of the warm-up phase: its own tally (results.warmup) and a line marked
   * `phase: "warmup"` in events.jsonl, never the aggregate that thresholds, the canary judge and
   * the headline figures read. Its order is ground truth all the same: money is money.
   */
  warmupPayment(event: PaymentEvent): void {
    this.#warmup.record(event);
    this.orders.see(event);
    this.#events.write({ type: 'payment', phase: 'warmup', ...event });
  }

  /** The warm-up phase's tally, for results.warmup. */
  get warmup(): WarmupTally {
    return this.#warmup;
  }

  /** An order's first submit is being sent (before any answer): ground truth counts it placed. */
  placing(plan: ShopperPlan): void {
    this.orders.placing(plan);
  }

  /** A fault step took effect (no endS yet) or was undone (endS); the last record of an id wins. */
  fault(event: FaultEvent): void {
    const prior = this.#faults.get(event.id);
    const record: FaultRecord = {
      id: event.id,
      type: event.type,
      layer: event.layer,
      target: event.target,
      startS: round3(event.startS),
      // Until undone, a fault counts as lasting to the moment it is read: a run cut short still
      // shows the window it ran under.
      endS: round3(event.endS ?? event.startS),
      plannedAtS: round3(event.plannedAtS),
      ...(event.plannedForS !== undefined ? { plannedForS: round3(event.plannedForS) } : {}),
      ...(event.error !== undefined ? { error: event.error } : prior?.error !== undefined ? { error: prior.error } : {}),
      ...(event.observed !== undefined ? { observed: { ...event.observed } } : {}),
    };
    this.#faults.set(event.id, record);
    // As it happened: a line when it took effect (no endS) and one when it was undone.
    const { type: faultType, ...rest } = event;
    this.#events.write({ type: 'fault', faultType, ...rest });
  }

  crash(event: CrashEvent): void {
    this.#crashes.push({ part: event.part, atS: round3(event.atS), code: 'PAYCHAOS_ERR_STACK_CHILD_CRASHED', message: event.message, ...(event.log !== undefined ? { log: event.log } : {}) });
    this.#events.write({ type: 'crash', ...event });
  }

  /** Parts that crashed so far (the engine stops the run on the first and skips their ledgers). */
  get crashes(): readonly CrashRecord[] {
    return this.#crashes;
  }

  /** A stage of the run began (stack, drive, ground truth …): timestamps for a post-mortem. */
  phase(name: string, detail: Readonly<Record<string, unknown>> = {}): void {
    this.#events.write({ type: 'phase', name, at: new Date().toISOString(), ...detail });
  }

  /** The aggregate per variant, for the canary judge. */
  get aggregator(): Aggregator {
    return this.#aggregator;
  }

  /** results.json's object: what the run says, plus everything recorded. Pure: writes nothing. */
  results(parts: RunParts): Results {
    return buildResults({
      ...parts,
      runId: this.runId,
      scenario: parts.scenario ?? this.scenario,
      paychaosVersion: this.#paychaosVersion,
      snapshot: this.#aggregator.snapshot(),
      faults: [...this.#faults.values()],
      crashes: [...this.#crashes],
      exemplars: exemplarsOf(this.#exemplars),
    });
  }

  /** The `end` line, events.jsonl flushed, results.json written atomically. */
  async finish(results: Results, end: Readonly<Record<string, unknown>> = {}): Promise<void> {
    this.#events.write({ type: 'end', runId: this.runId, status: results.status, ...end, endedAt: results.endedAt });
    await this.close().catch(() => {});
    await writeFileAtomic(this.resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  }

  /** Flush and close events.jsonl (idempotent); a run that ends without results still keeps it. */
  close(): Promise<void> {
    return (this.#closed ??= this.#events.close());
  }
}

/** The exemplar lists as results.json holds them (fresh arrays of the same rows). */
function exemplarsOf(exemplars: Exemplars): NonNullable<Results['exemplars']> {
  const { slowest, failed } = exemplars.snapshot();
  return { slowest: [...slowest], failed: [...failed] };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
