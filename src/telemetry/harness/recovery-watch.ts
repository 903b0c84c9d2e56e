import type { PaymentEvent } from '../../analysis/index.js';

/** A fault step that ended and whose target has not yet answered a payment itself since. */
interface Waiting {
  readonly fault: string;
  readonly target: string;
  /** When the step ended, ms on the payments' clock (PaymentEvent.t: since the run started). */
  readonly endedAtMs: number;
}

/** A step whose target is serving again: how long after the step's end, in seconds. */
export interface Recovered {
  readonly fault: string;
  readonly target: string;
  readonly seconds: number;
}

/**
 * Time to recover, as the harness sees it: from a fault step's end to the first payment, sent
 * after that end, that the step's target answered successfully itself — a provider serving its
 * own payments again (not one failed over away from it), or a gateway variant answering again
 * after a kill. Measured on the payments' scheduled starts, the clock FailoverTracker uses for
 * results' time_to_switch_back, so the gauge and results.json agree (results round to 100 ms).
 * Pure: no clock of its own, memory bounded by the steps waiting.
 */
export class RecoveryWatch {
  readonly #waiting = new Map<string, Waiting>();

  /** A step ended at `endedAtMs` (payments' clock): watch its target. A step ending again replaces its wait. */
  ended(fault: string, target: string, endedAtMs: number): void {
    this.#waiting.set(fault, { fault, target, endedAtMs });
  }

  /** One payment as the driver saw it: the steps it shows recovered, each reported once. */
  record(e: PaymentEvent): Recovered[] {
    if (this.#waiting.size === 0 || e.outcome !== 'succeeded' || e.failoverFrom !== undefined) return [];
    const out: Recovered[] = [];
    for (const w of this.#waiting.values()) {
      if (e.t < w.endedAtMs || (e.provider !== w.target && e.variant !== w.target)) continue;
      out.push({ fault: w.fault, target: w.target, seconds: Math.round(e.t - w.endedAtMs) / 1000 });
      this.#waiting.delete(w.fault);
    }
    return out;
  }
}
