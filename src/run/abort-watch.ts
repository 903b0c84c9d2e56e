import { ThresholdSet, checkThresholds, type PaymentEvent, type ThresholdItem, type ThresholdResult, type ThresholdsInput, type WindowBounds } from '../analysis/index.js';

/**
 * Stop conditions checked live (issue #12 `abort`, as k6's `abortOnFail`, Gremlin's health
 * checks and AWS FIS's stop conditions): thresholds marked `abortOnFail` are judged on the
 * payments so far, each once `delayAbortEval` has passed; the first that fails on real data
 * stops the load. A threshold with nothing measured yet (no payments in its window, a step not
 * started) does not stop a run — it has not failed, it has not begun.
 */
export interface AbortItem extends ThresholdItem {
  abortOnFail?: boolean;
  /** Ms into the run before the item is checked. */
  delayAbortEval?: number;
}

export class AbortWatch {
  readonly #watched: ReadonlyArray<{ readonly set: ThresholdSet; readonly delayS: number }>;

  constructor(input: Readonly<Record<string, ReadonlyArray<string | AbortItem>>>) {
    const watched: Array<{ set: ThresholdSet; delayS: number }> = [];
    for (const [metric, items] of Object.entries(input)) {
      for (const item of items) {
        if (typeof item === 'string' || item.abortOnFail !== true) continue;
        const { threshold, during, after } = item;
        const one: ThresholdsInput = { [metric]: [{ threshold, ...(during !== undefined ? { during } : {}), ...(after !== undefined ? { after } : {}) }] };
        watched.push({ set: new ThresholdSet(checkThresholds(one).thresholds), delayS: (item.delayAbortEval ?? 0) / 1000 });
      }
    }
    this.#watched = watched;
  }

  get size(): number {
    return this.#watched.length;
  }

  record(event: PaymentEvent): void {
    for (const w of this.#watched) w.set.record(event);
  }

  /** The first abort threshold failing now, `elapsedS` into the load, with the steps' windows so far. */
  check(elapsedS: number, steps: Readonly<Record<string, WindowBounds>>): ThresholdResult | undefined {
    for (const w of this.#watched) {
      if (elapsedS < w.delayS) continue;
      const failed = w.set.evaluate({ steps, durationS: elapsedS, counters: {} }).find((r) => !r.passed && r.measured !== null);
      if (failed) return failed;
    }
    return undefined;
  }
}
