import { paychaosError } from '../kernel/index.js';

/**
 * When each iteration of an open-model run is due, as an offset in ms from the start.
 * k6's two arrival-rate executors are two schedules; one executor loop serves both.
 *
 * A ramping schedule's rate moves linearly within each stage, from the previous stage's target
 * (or `startRate`) to this stage's, as k6's ramping-arrival-rate does. The count of iterations
 * due by time t is the integral of the rate; within a linear stage, the time that integral
 * reaches a count is the root of a quadratic.
 *
 * Where the first iteration falls follows k6's two executors: constant-arrival-rate starts one
 * at once (iteration i when the integral reaches i: 0, 1/rate, 2/rate …); ramping-arrival-rate
 * starts iteration i when the integral reaches i + 1 (its `cal` counts area from 1), so a ramp
 * from 0 does not fire at an instant when the rate is 0, and a stage's iterations are exactly
 * those whose count its area completes.
 */
export interface ArrivalSchedule {
  /** Length of the schedule in ms. */
  readonly durationMs: number;
  /** Iterations the schedule releases in all. */
  readonly total: number;
  /** Offset (ms) at which iteration i (0-based, < total) is due. */
  at(i: number): number;
  /** Rate at offset t, per timeUnit — for reports and the Grafana overlay. */
  rateAt(t: number): number;
}

export interface Stage {
  /** Target rate (per timeUnit) at the end of the stage. */
  target: number;
  durationMs: number;
}

export function constantSchedule(rate: number, durationMs: number, timeUnitMs = 1000): ArrivalSchedule {
  return piecewiseLinear(rate, [{ target: rate, durationMs }], timeUnitMs, 0);
}

/** k6 ramping-arrival-rate: `startRate`, then each stage ramps linearly to its `target`. */
export function rampingSchedule(startRate: number, stages: readonly Stage[], timeUnitMs = 1000): ArrivalSchedule {
  return piecewiseLinear(startRate, stages, timeUnitMs, 1);
}

interface Segment {
  startMs: number;
  durationMs: number;
  /** Rates in iterations per ms. */
  r0: number;
  r1: number;
  /** Iterations due before the segment starts (a real number). */
  before: number;
}

/** Iteration i is due when the integral of the rate reaches i + `firstAt` (0 or 1, see above). */
function piecewiseLinear(startRate: number, stages: readonly Stage[], timeUnitMs: number, firstAt: 0 | 1): ArrivalSchedule {
  validate(startRate, stages, timeUnitMs);
  const segments: Segment[] = [];
  let startMs = 0;
  let before = 0;
  let r0 = startRate / timeUnitMs;
  for (const stage of stages) {
    const r1 = stage.target / timeUnitMs;
    segments.push({ startMs, durationMs: stage.durationMs, r0, r1, before });
    before += ((r0 + r1) / 2) * stage.durationMs;
    startMs += stage.durationMs;
    r0 = r1;
  }
  // Float round-off must not drop the last iteration of an exact schedule (200/s × 3 s = 600).
  const total = Math.floor(before + 1e-9);
  return {
    durationMs: startMs,
    total,
    at(i: number): number {
      const count = i + firstAt;
      // The segment holding `count` (linear scan: stages are few). On a boundary, k6's ramping
      // executor ends the earlier stage with it (`i <= endCount`); a constant one starts the next.
      const holds = (s: Segment) => {
        const end = s.before + ((s.r0 + s.r1) / 2) * s.durationMs;
        return firstAt === 1 ? end >= count - 1e-9 : end > count + 1e-9;
      };
      const seg = segments.find(holds) ?? segments[segments.length - 1]!;
      const need = count - seg.before;
      const a = (seg.r1 - seg.r0) / (2 * seg.durationMs);
      const b = seg.r0;
      const tau = Math.abs(a) < 1e-15 ? need / b : (-b + Math.sqrt(Math.max(0, b * b + 4 * a * need))) / (2 * a);
      return seg.startMs + Math.min(Math.max(tau, 0), seg.durationMs);
    },
    rateAt(t: number): number {
      const seg = segments.find((s) => t < s.startMs + s.durationMs) ?? segments[segments.length - 1]!;
      const f = Math.min(1, Math.max(0, (t - seg.startMs) / seg.durationMs));
      return (seg.r0 + (seg.r1 - seg.r0) * f) * timeUnitMs;
    },
  };
}

function validate(startRate: number, stages: readonly Stage[], timeUnitMs: number): void {
  const problems: string[] = [];
  if (!(startRate >= 0) || !Number.isFinite(startRate)) problems.push(`startRate: expected a number >= 0, got ${startRate}`);
  if (!(timeUnitMs > 0) || !Number.isFinite(timeUnitMs)) problems.push(`timeUnit: expected a positive duration, got ${timeUnitMs}`);
  if (stages.length === 0) problems.push('stages: expected at least one stage');
  stages.forEach((s, i) => {
    if (!(s.target >= 0) || !Number.isFinite(s.target)) problems.push(`stages[${i}].target: expected a number >= 0, got ${s.target}`);
    if (!(s.durationMs > 0) || !Number.isFinite(s.durationMs)) problems.push(`stages[${i}].duration: expected a positive duration, got ${s.durationMs}`);
  });
  if (problems.length) throw paychaosError('PAYCHAOS_ERR_LOAD_BAD_PROFILE', `invalid arrival schedule:\n  ${problems.join('\n  ')}`, { problems });
}
