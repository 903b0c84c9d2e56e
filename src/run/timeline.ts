import type { TimelineHooks, TimelineStep } from '../chaos/index.js';
import type { Recorder } from './recorder.js';

/**
 * The run engine's side of the fault timeline. The fault-step registry and the timeline player
 * live in src/chaos (playTimeline, FaultContext); the engine builds the context the steps act
 * through (fault-context.ts), hands it to the player with the scenario's steps, and records
 * what the player reports as actually done — these hooks.
 *
 * Times are the actual ones (when the step was applied and undone, from the start of play,
 * which is the start of the load), beside the plan, so results.faults says what happened and a
 * threshold windowed `during` a step judges the payments that really met the fault.
 */
export function recordingHooks(recorder: Recorder, onChange?: () => void): TimelineHooks {
  const started = new Map<TimelineStep, number>();
  const base = (step: TimelineStep) => ({
    id: step.id,
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
      onChange?.();
    },
    onEnd(step, actualAtMs, error, observed) {
      // A step whose start was not reported (it failed to apply): its window is the instant it was tried.
      const startMs = started.get(step) ?? actualAtMs;
      recorder.fault({ ...base(step), startS: startMs / 1000, endS: actualAtMs / 1000, ...(error !== undefined ? { error: messageOf(error) } : {}), ...(observed !== undefined ? { observed } : {}) });
      onChange?.();
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}
