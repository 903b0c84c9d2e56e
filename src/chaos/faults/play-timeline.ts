import { paychaosError, type TimerHandle } from '../../kernel/index.js';
import type { FaultContext, Observed, Undo } from './fault-step.js';
import { FAULT_STEPS } from './registry.js';
import { checkTimeline, type TimelineStep } from './timeline.js';

/**
 * Plays a timeline on the context's Clock: each step is applied at `at` and undone at
 * `at + for` (both from when play began), or when the timeline stops.
 *
 *   schedule(at) ─▶ onStart ─▶ apply ─┬─ ok ──▶ schedule(at+for) or stop() ─▶ undo ─▶ onEnd
 *                                     └─ fails ─▶ onEnd(error); the other steps go on
 *
 * `stop()` (teardown after a failure, SIGINT, or the end of the run) cancels what has not
 * started and undoes everything in effect — waiting for applies still under way, so nothing
 * applied late is left behind. It is idempotent; the context's abort signal calls it too.
 */
export interface TimelineHooks {
  /** The step is being applied; `actualAtMs` is when, from the start of play. */
  onStart?(step: TimelineStep, actualAtMs: number): void;
  /**
   * The step is over: undone, or its apply or undo failed (`error`). Once per started step.
   * `observed`: what the step reported doing while it was on (Undo.observed), when it can tell.
   */
  onEnd?(step: TimelineStep, actualAtMs: number, error?: unknown, observed?: Observed): void;
}

export interface PlayingTimeline extends AsyncDisposable {
  /** Steps applied and not yet undone. */
  active(): TimelineStep[];
  /**
   * Undo everything still in effect and start nothing more. Every undo is tried; if any failed,
   * rejects with PAYCHAOS_ERR_CHAOS_TEARDOWN_FAILED naming each (also reported through onEnd).
   */
  stop(): Promise<void>;
}

interface Running {
  readonly step: TimelineStep;
  /** The undo, or the apply's failure. */
  readonly applied: Promise<Undo>;
  endTimer?: TimerHandle;
  ending?: Promise<unknown>;
  undone: boolean;
}

/** Check every target (PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET before anything runs), then play. */
export async function playTimeline(steps: readonly TimelineStep[], ctx: FaultContext, hooks: TimelineHooks = {}): Promise<PlayingTimeline> {
  await checkTimeline(steps, ctx);
  const t0 = ctx.clock.now();
  const elapsed = () => ctx.clock.now() - t0;
  const startTimers = new Map<TimelineStep, TimerHandle>();
  const running = new Map<TimelineStep, Running>();
  let stopping: Promise<void> | undefined;

  // The Clock never fires a timer before its own now() says it is due (src/kernel/clock.ts), so a
  // step never starts (or ends) before its plan.
  const at = (dueMs: number, fn: () => void): TimerHandle => ctx.clock.schedule(Math.max(0, dueMs - elapsed()), fn);

  const call = (fn: () => void) => {
    // A hook that throws is the caller's bug; it must not leave a fault in effect.
    try {
      fn();
    } catch {
      /* ignored on purpose */
    }
  };

  const end = (r: Running): Promise<unknown> =>
    (r.ending ??= (async () => {
      r.endTimer?.cancel();
      let undo: Undo;
      try {
        undo = await r.applied;
      } catch {
        return undefined; // its failure was reported when the apply failed
      }
      try {
        await undo();
        r.undone = true;
        let observed: Observed | undefined;
        call(() => void (observed = undo.observed?.()));
        call(() => hooks.onEnd?.(r.step, elapsed(), undefined, observed));
        return undefined;
      } catch (err) {
        call(() => hooks.onEnd?.(r.step, elapsed(), err));
        return err;
      }
    })());

  const fire = (step: TimelineStep) => {
    startTimers.delete(step);
    if (stopping) return;
    call(() => hooks.onStart?.(step, elapsed()));
    const definition = FAULT_STEPS.get(step.type)!;
    const applied = Promise.resolve().then(() => definition.apply({ ...step.params, id: step.id, target: step.target }, ctx));
    const r: Running = { step, applied, undone: false };
    running.set(step, r);
    applied.then(
      () => {
        if (step.forMs !== undefined && !stopping) r.endTimer = at(step.atMs + step.forMs, () => void end(r));
      },
      (err: unknown) => {
        r.ending = Promise.resolve();
        call(() => hooks.onEnd?.(step, elapsed(), err));
      },
    );
  };

  for (const step of steps) startTimers.set(step, at(step.atMs, () => fire(step)));

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      ctx.signal.removeEventListener('abort', onAbort);
      for (const timer of startTimers.values()) timer.cancel();
      startTimers.clear();
      const results = await Promise.all([...running.values()].map((r) => end(r).then((err) => (err === undefined ? undefined : `${r.step.id}: ${describe(err)}`))));
      const failures = results.filter((f): f is string => f !== undefined);
      if (failures.length) {
        throw paychaosError('PAYCHAOS_ERR_CHAOS_TEARDOWN_FAILED', `could not undo every fault step: ${failures.join('; ')}`, { failures });
      }
    })());

  const onAbort = () => void stop().catch(() => {});
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();

  return {
    active: () => [...running.values()].filter((r) => !r.ending && !r.undone).map((r) => r.step),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
