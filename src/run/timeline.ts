import type { ChaosControl } from '../chaos/index.js';
import type { Clock } from '../kernel/index.js';
import type { FaultRecord } from '../report/index.js';
import type { Recorder } from './recorder.js';

/**
 * The run engine's side of the fault timeline (issue #10 item 4). The fault-step registry and the
 * timeline player live in src/chaos; the engine only builds the context the steps act through,
 * hands it to the player with the scenario's steps, and records what the player reports as
 * actually done. Until a scenario names a timeline, a run has none (the demo's is empty).
 */
export type FaultLayer = FaultRecord['layer'];

/**
 * Live overrides of the shoppers' behaviour mix, read by the built-in driver as it plans each
 * shopper (client-layer fault steps write them).
 */
export interface TrafficOverrides {
  behaviours?: Partial<Record<string, number>>;
  until?: number;
}

/** What a fault step acts through: one handle per layer, built from the run's stack. */
export interface FaultContext {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Proxies by name: each provider's is named by the provider, each gateway's client-side proxy by its variant. */
  readonly network: ChaosControl;
  /** The simulator's direct URL + /__sim/behaviour (PUT applies a profile, GET reads the current one); undefined when no simulator of that name runs. */
  provider(target: string): { readonly behaviourUrl: string } | undefined;
  readonly client: TrafficOverrides;
  /** undefined: the target is not a child process, so it cannot be killed or restarted. */
  process(target: string): { kill(signal?: NodeJS.Signals): Promise<void>; restart(): Promise<void> } | undefined;
}

/** A timeline step as the player schedules it: what the results need to say about it. */
export interface PlannedStep {
  readonly id?: string;
  readonly type: string;
  readonly layer: FaultLayer;
  readonly target: string;
  readonly atMs: number;
  readonly forMs?: number;
}

export interface TimelineHooks<S extends PlannedStep> {
  /** The step is being applied, `actualAtMs` after the timeline began. */
  onStart(step: S, actualAtMs: number): void;
  /** The step is over: undone, or its apply or undo failed (`error`). */
  onEnd(step: S, actualAtMs: number, error?: unknown): void;
}

export interface PlayingTimeline {
  /**
   * Undo every step still active and start nothing more; resolves once all are undone
   * (teardown, failure, Ctrl-C). May reject when an undo failed (also reported through onEnd).
   */
  stop(): Promise<void>;
}

/** Starts playing; may first check every step's target and reject (a coded bad-input error). */
export type PlayTimeline<S extends PlannedStep> = (steps: readonly S[], ctx: FaultContext, hooks: TimelineHooks<S>) => PlayingTimeline | Promise<PlayingTimeline>;

/** A scenario's timeline: its steps and the player that runs them. */
export interface TimelineSpec<S extends PlannedStep = PlannedStep> {
  readonly steps: readonly S[];
  readonly play: PlayTimeline<S>;
}

/**
 * Hooks that turn what the player did into results.faults: times are the actual ones (what the
 * control plane did, not what was planned), beside the plan. A step without an id is named by
 * its position, so every record has one.
 */
export function recordingHooks<S extends PlannedStep>(steps: readonly S[], recorder: Recorder): TimelineHooks<S> {
  const started = new Map<S, number>();
  const idOf = (step: S): string => step.id ?? `${step.type}-${steps.indexOf(step)}`;
  const base = (step: S) => ({
    id: idOf(step),
    type: step.type,
    layer: step.layer,
    target: step.target,
    plannedAtS: step.atMs / 1000,
    ...(step.forMs !== undefined ? { plannedForS: step.forMs / 1000 } : {}),
  });
  return {
    onStart(step, actualAtMs) {
      started.set(step, actualAtMs);
      recorder.fault({ ...base(step), startS: actualAtMs / 1000 });
    },
    onEnd(step, actualAtMs, error) {
      // A step whose start was not reported (it failed to apply): its window is the instant it was tried.
      const startMs = started.get(step) ?? actualAtMs;
      recorder.fault({ ...base(step), startS: startMs / 1000, endS: actualAtMs / 1000, ...(error !== undefined ? { error: messageOf(error) } : {}) });
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}
