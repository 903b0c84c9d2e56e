import { paychaosError } from '../kernel/index.js';
import type { ArrivalSchedule } from './schedule.js';
import { abortableSleep } from './sleep.js';

/**
 * The open-model loop shared by every arrival-rate executor: iteration i is released at
 * start + schedule.at(i), whether or not earlier ones have finished. When `maxInFlight`
 * iterations are already running, a due iteration is not started and is counted in `dropped` —
 * k6's dropped_iterations — instead of being sent late.
 *
 * Each iteration is handed its scheduled time, so latency is measured from when the shopper
 * arrived, not from when the harness got round to sending: no coordinated omission.
 *
 *   timer ─► release every iteration due by now ─┬─► running < cap → start(i, scheduledAt)
 *     ▲                                           └─► running = cap → dropped++
 *     └──── sleep until the next one is due ◄─────┘
 */
export interface ExecutorOptions {
  maxInFlight: number;
  /** Stops scheduling early (Ctrl-C); running iterations are awaited. */
  signal?: AbortSignal;
  /** Milliseconds on a monotonic clock; injectable for tests. */
  now?: () => number;
  /** Injectable sleep for fake-clock tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Called once no further iteration will be released (the schedule ran out, or was aborted),
   * before the running ones are awaited: a warm-up hands over to the measured window here, so
   * the arrivals go on without a gap while its last shoppers finish.
   */
  onScheduled?: () => void;
}

export interface ArrivalStats {
  scheduled: number;
  started: number;
  dropped: number;
  maxInFlightSeen: number;
  /**
   * Iterations that threw. A system's failures are answers, classified, never throws: a throw is
   * the harness failing (a bug, a missing target), so it is counted rather than silently lost.
   */
  errors: number;
  /** Actual scheduling window in ms: the schedule's length, shorter when aborted, longer when released late. */
  elapsedMs: number;
}

/** Called for each started iteration with its index and its scheduled time (same clock as `now`). */
export type Iteration = (index: number, scheduledAt: number) => Promise<void>;

export async function runArrivals(schedule: ArrivalSchedule, options: ExecutorOptions, iteration: Iteration): Promise<ArrivalStats> {
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
    throw paychaosError('PAYCHAOS_ERR_LOAD_BAD_PROFILE', `invalid load profile:\n  maxInFlight: expected an integer >= 1, got ${options.maxInFlight}`, { field: 'maxInFlight' });
  }
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const start = now();
  const stats: ArrivalStats = { scheduled: 0, started: 0, dropped: 0, maxInFlightSeen: 0, errors: 0, elapsedMs: 0 };
  const running = new Set<Promise<void>>();
  const total = schedule.total;

  while (stats.scheduled < total && !options.signal?.aborted) {
    const elapsed = now() - start;
    // Everything due by now is released in this tick, even if the timer woke late.
    for (; stats.scheduled < total && schedule.at(stats.scheduled) <= elapsed; stats.scheduled++) {
      if (running.size >= options.maxInFlight) {
        stats.dropped++;
        continue;
      }
      const p: Promise<void> = iteration(stats.scheduled, start + schedule.at(stats.scheduled))
        .catch(() => void stats.errors++)
        .finally(() => running.delete(p));
      running.add(p);
      stats.started++;
      if (running.size > stats.maxInFlightSeen) stats.maxInFlightSeen = running.size;
    }
    if (stats.scheduled >= total) break;
    const wait = start + schedule.at(stats.scheduled) - now();
    // Sleep on a timer even when the next arrival is less than 1 ms away. Node's timers cannot
    // wait less than 1 ms, so at 4,000/s the driver wakes about 1,000 times a second and releases
    // ~4 due iterations per wake (the loop above), each up to 1 ms after its scheduled time — and
    // that lateness is measured, because latency runs from the scheduled time. Polling with
    // setImmediate instead released on the microsecond but kept the process at ~100 % of a core
    // whatever the work, stealing it from the gateway and simulators sharing the machine
    // (issue 19). Slots freed by answers are refilled at the next wake.
    await sleep(Math.max(0, wait), options.signal);
  }
  // A completed schedule lasted at least its length, and longer when the driver released its last
  // arrivals late: the achieved rate must show that, not be flattered by the planned length. An
  // interrupted one lasted as long as it ran.
  const ranMs = now() - start;
  stats.elapsedMs = stats.scheduled >= total ? Math.max(ranMs, schedule.durationMs) : Math.min(ranMs, schedule.durationMs);
  if (options.onScheduled) {
    // Hand over at the schedule's end, not at its last release (one inter-arrival gap earlier):
    // what follows then starts its own first arrival on time, neither doubled up nor late.
    const left = start + schedule.durationMs - now();
    if (stats.scheduled >= total && left > 0 && !options.signal?.aborted) await sleep(left, options.signal);
    options.onScheduled();
  }
  await Promise.all(running);
  return stats;
}
