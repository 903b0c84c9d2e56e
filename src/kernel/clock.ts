/**
 * Time for simulators. Webhook retry ladders span hours or days (Stripe retries for up to three
 * days), so a scenario runs them on a scaled clock: with `scale: 60`, one real second is one
 * simulated minute. Everything that schedules simulated time takes a `Clock`, so tests can use
 * a `ManualClock` and step through a ladder without waiting at all.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Simulated time, epoch milliseconds. */
  now(): number;
  /** Run `fn` once `ms` of simulated time have passed. */
  schedule(ms: number, fn: () => void): TimerHandle;
  /**
   * The simulated time of a real instant (epoch ms): what this clock read, or will read, when the
   * wall clock read `realMs`. Parts that stamp with the wall clock (a ledger, fault windows) use it
   * to place their times on the simulated calendar (settlement days). Absent: the clock's times
   * already are the times the caller holds (a ManualClock whose `now` the caller stamps with).
   */
  fromReal?(realMs: number): number;
}

/** Real time; timers are unref'd so a pending retry never keeps a process alive. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  schedule(ms: number, fn: () => void): TimerHandle {
    return notBefore(() => Date.now(), ms, fn);
  },
  fromReal: (realMs: number) => realMs,
});

/**
 * A timer that never fires before `now()` says its time has come. Node's timers run on the loop's
 * cached millisecond, so one may fire up to a millisecond early by the clock's own reading (a
 * fault step then started before its plan): an early timer re-arms for the rest. Unref'd, so a
 * pending timer never keeps a process alive.
 */
function notBefore(now: () => number, ms: number, fn: () => void): TimerHandle {
  const due = now() + Math.max(0, ms);
  let timer: NodeJS.Timeout;
  const arm = (afterMs: number): void => {
    timer = setTimeout(check, Math.max(0, afterMs));
    timer.unref();
  };
  function check(): void {
    const left = due - now();
    if (left > 0) arm(left);
    else fn();
  }
  arm(Math.max(0, ms));
  return { cancel: () => clearTimeout(timer) };
}

/** Simulated time runs `scale` times faster than real time, starting from the real now. */
export function scaledClock(scale: number, real: () => number = Date.now): Clock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`clock scale must be a positive number, got ${scale}`);
  const realStart = real();
  return Object.freeze({
    now: () => realStart + (real() - realStart) * scale,
    fromReal: (realMs: number) => realStart + (realMs - realStart) * scale,
    // Timers here run on real time alone (a test may hand in a frozen `real`): a millisecond of
    // Node's timer slack is 1/scale of a simulated one, below what its users (webhook ladders) see.
    schedule(ms: number, fn: () => void): TimerHandle {
      const t = setTimeout(fn, Math.max(0, ms / scale));
      t.unref();
      return { cancel: () => clearTimeout(t) };
    },
  });
}

/** A clock that moves only when told to; timers due at the same instant fire in the order set. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 10, 11, 0, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const id = this.#seq++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return { cancel: () => this.#timers.delete(id) };
  }

  /** Move time forward by `ms`, firing every timer that falls due, in due order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = target;
  }

  get pending(): number {
    return this.#timers.size;
  }
}
