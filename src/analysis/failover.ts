import type { PaymentEvent } from './event.js';

/** What a failover drill must show for one fault step (a scenario's `expect.failover`). */
export interface FailoverCheck {
  /** The timeline step that took the primary provider away (its target is that provider). */
  readonly step: string;
  /** At most this long from the step's start to the first payment the gateway failed over. */
  readonly timeToDetectMs?: number;
  /** At most this long from the step's end to the first payment the primary answered again. */
  readonly timeToSwitchBackMs?: number;
}

/** A step as it actually happened (results.faults): seconds since the run started. */
export interface StepWindow {
  readonly target: string;
  readonly startS: number;
  readonly endS: number;
}

export interface FailoverMeasure {
  readonly check: FailoverCheck;
  /** null: the gateway never failed over from the target after the step began. */
  readonly detectS: number | null;
  /** null: the target never answered a payment again after the step ended. */
  readonly switchBackS: number | null;
}

/** Resolution of the figures: a tenth of a second keeps memory bounded by the run's length. */
const BUCKET_MS = 100;

/**
 * The failover drill's figures from what shoppers saw: when the gateway first answered through
 * another channel because the target failed (the answer's `failoverFrom`), and when the target
 * answered a payment itself again after the fault — both against the step's actual start and
 * end. Times are the payments' scheduled starts (the open model's clock), in 100 ms buckets.
 */
export class FailoverTracker {
  /** provider → buckets in which a payment was failed over away from it. */
  readonly #failedOver = new Map<string, Set<number>>();
  /** provider → buckets in which it answered a payment itself, successfully. */
  readonly #served = new Map<string, Set<number>>();

  record(event: PaymentEvent): void {
    const bucket = Math.floor(event.t / BUCKET_MS);
    if (event.failoverFrom) add(this.#failedOver, event.failoverFrom, bucket);
    else if (event.outcome === 'succeeded') add(this.#served, event.provider, bucket);
  }

  measure(check: FailoverCheck, window: StepWindow): FailoverMeasure {
    const first = (map: Map<string, Set<number>>, fromS: number): number | null => {
      const from = Math.floor((fromS * 1000) / BUCKET_MS);
      let best: number | null = null;
      for (const b of map.get(window.target) ?? []) if (b >= from && (best === null || b < best)) best = b;
      return best === null ? null : Math.max(0, round3((best * BUCKET_MS) / 1000 - fromS));
    };
    return { check, detectS: first(this.#failedOver, window.startS), switchBackS: first(this.#served, window.endS) };
  }
}

function add(map: Map<string, Set<number>>, provider: string, bucket: number): void {
  let set = map.get(provider);
  if (!set) map.set(provider, (set = new Set()));
  set.add(bucket);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
