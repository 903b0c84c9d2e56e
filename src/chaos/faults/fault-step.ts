import { z } from 'zod';
import { durationSchema, type Clock } from '../../kernel/index.js';
import type { TrafficOverrides } from '../../load/index.js';
import type { ChaosControl } from '../control-plane.js';

/**
 * One fault step: a thing a timeline can do to one target for a while, and undo. Every layer
 * (DESIGN.md "Fault layers") has its steps behind this one interface, one file each, listed in
 * registry.ts; CREATING_FAULTS.md beside this folder is the authoring guide.
 *
 *   timeline step ─▶ schema (params, strict) ─▶ check(target)? ─▶ apply(params, ctx) ─▶ Undo
 */
export type FaultLayer = 'network' | 'provider' | 'client' | 'process';
export const FAULT_LAYERS: readonly FaultLayer[] = Object.freeze(['network', 'provider', 'client', 'process']);

/**
 * What the target reported doing because of a step while it was on, counted by kind (a provider
 * step: the simulator's fault decisions by profile field, e.g. `{ commitThenError: 7 }`), so a
 * step that silently did nothing shows 0 in results.faults[].observed.
 */
export type Observed = Readonly<Record<string, number>>;

/**
 * Puts back what `apply` changed. Idempotent: a second call returns the first call's promise.
 * `observed`, where the layer can tell: read after the undo resolved, what the step did.
 */
export interface Undo {
  (): Promise<void>;
  readonly observed?: () => Observed | undefined;
}

/** A child process the stack can kill and start again (the supervisor's handle on it). */
export interface ProcessHandle {
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

/** What a fault step may act through: one entry per layer, handed over by the run engine. */
export interface FaultContext {
  readonly clock: Clock;
  /** Aborted on teardown (failure, SIGINT): long waits inside `apply` stop early. */
  readonly signal: AbortSignal;
  /** Proxies by name: providers by provider name, the gateways' client-side proxies by variant. */
  readonly network: ChaosControl;
  /**
   * The simulator's direct URL + `/__sim/behaviour` (PUT applies, GET reads the current profile);
   * undefined when no simulator of that name runs.
   */
  provider(target: string): { readonly behaviourUrl: string } | undefined;
  /** Live overrides the built-in driver consults when it plans each shopper. */
  readonly client: TrafficOverrides;
  /** undefined: the target is not a child process (in-process, or at a URL), so it cannot be killed. */
  process(target: string): ProcessHandle | undefined;
}

/** Which step this is: its id (unique in the timeline) and its target. */
export interface StepRef {
  readonly id: string;
  readonly target: string;
}

/** A strict object of a step's own parameters (the timeline adds id, at, for, target, type). */
export type ParamsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

export interface FaultStep<P = Record<string, unknown>> {
  /** The timeline's `type`, e.g. `latency`, `rate-limit`, `kill`. */
  readonly type: string;
  readonly layer: FaultLayer;
  /** One line for the guide's table and `--help`. */
  readonly summary: string;
  /** The step's parameters: a strict object (unknown keys rejected), defaults filled in. */
  readonly schema: ParamsSchema;
  /**
   * Before anything runs: can `target` take this step? A message saying why not (it becomes a
   * coded error naming `timeline[i].target`), or undefined.
   */
  check(target: string, ctx: FaultContext): Promise<string | undefined>;
  /** Do it now; resolve once it is in effect, with how to put things back. */
  apply(params: P & StepRef, ctx: FaultContext): Promise<Undo>;
}

/** A step whose schema keeps its own type (so timelines and the control plane infer its params). */
export type TypedFaultStep<S extends ParamsSchema> = Omit<FaultStep<z.output<S>>, 'schema'> & { readonly schema: S };

/** Declare a step with its parameter type inferred from its schema; keeps step files free of casts. */
export function defineFaultStep<S extends ParamsSchema>(step: TypedFaultStep<S>): TypedFaultStep<S> {
  return Object.freeze(step);
}

/** Wrap an undo so that calling it again returns the first call's promise (with what the step observed, if it can tell). */
export function once(undo: () => Promise<void>, observed?: () => Observed | undefined): Undo {
  let done: Promise<void> | undefined;
  const wrapped = () => (done ??= undo());
  return observed ? Object.assign(wrapped, { observed }) : wrapped;
}

// --- Parameter vocabulary shared by the steps ------------------------------------------------

/** k6-style durations (`"250ms"`, `"1m30s"`, a bare number = seconds), as milliseconds: the kernel's. */
export const duration = durationSchema;

/** A share of payments, shoppers or events. */
export const fraction = z.number({ error: 'expected a number between 0 and 1' }).min(0, { error: 'expected a number between 0 and 1' }).max(1, { error: 'expected a number between 0 and 1' });

/** The HTTP statuses a provider's injected errors may carry (the simulators accept these). */
export const serverStatus = z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)], { error: 'expected one of 500, 502, 503, 504' });
