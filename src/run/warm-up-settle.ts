/**
 * Whether a warm-up has settled: the system keeps up with the arrivals and its latency is flat. A
 * cold stack (JIT, pools, connections) falls behind in its first seconds; the queue it builds
 * drains afterwards, and while it drains every answer is a little faster than the one before. A
 * measured window opened in that state inherits the start-up's queue — seconds of it at a rate
 * near the system's capacity, since only the spare capacity drains it — and start-up poses as
 * the system's p99, which is what the warm-up is for avoiding.
 *
 * Completed payments are bucketed by completion time into windows long enough to hold about
 * MIN_PER_WINDOW × 2 arrivals at the rate (250 ms at least, 2 s at most). Settled when every
 * window of the last span (500 ms, or two windows when they are longer) and the one before it
 * completed at least half of what arrived in it (not stalled) and their medians are flat: apart
 * by no more than FLAT_RATIO of the highest plus FLAT_SLACK_MS, nor by more than DRAIN_MS_PER_S
 * per second of the span. Falling is a queue draining; rising is a queue still building — a stack
 * still cold, or one that cannot carry the rate at all, which never settles: the warm-up then runs
 * out its extension and says so. The second bound is for deep queues: a queue drains at the
 * stack's spare capacity whatever its depth — with 10 % to spare, its latency falls 100 ms per
 * second — so a queue seconds deep moves by a few percent per window and would pass for flat by
 * the ratio alone. Pure: no clock, no I/O;
 * times are ms from the warm-up's start.
 */
export class WarmupSettle {
  static readonly MIN_PER_WINDOW = 10;
  static readonly FLAT_RATIO = 0.1;
  static readonly FLAT_SLACK_MS = 2;
  /** A queue draining with under 5 % of the stack's capacity to spare is as good as drained. */
  static readonly DRAIN_MS_PER_S = 50;

  readonly windowMs: number;
  /** How many windows back the span reaches from the last complete one. */
  readonly #span: number;
  readonly #expectedPerWindow: number;
  readonly #windows = new Map<number, number[]>();

  constructor(rate: number) {
    const forSamples = ((2 * WarmupSettle.MIN_PER_WINDOW) / Math.max(rate, 1e-9)) * 1000;
    this.windowMs = Math.min(2_000, Math.max(250, forSamples));
    this.#span = Math.max(2, Math.round(500 / this.windowMs));
    this.#expectedPerWindow = (rate * this.windowMs) / 1000;
  }

  /** A warm-up payment completed `atMs` after the warm-up started, having taken `latencyMs`. */
  record(atMs: number, latencyMs: number): void {
    const index = Math.floor(atMs / this.windowMs);
    const window = this.#windows.get(index);
    if (window) window.push(latencyMs);
    else this.#windows.set(index, [latencyMs]);
    // Only the last complete window and the span before it are ever read: older ones go.
    for (const old of this.#windows.keys()) if (old < index - this.#span - 1) this.#windows.delete(old);
  }

  /** Settled as of `nowMs`: the windows of the last span complete by then, and the one before it. */
  settled(nowMs: number): boolean {
    // Too little traffic to judge a queue at all: nothing to wait for.
    if (this.#expectedPerWindow < WarmupSettle.MIN_PER_WINDOW) return true;
    const last = Math.floor(nowMs / this.windowMs) - 1;
    let highest = 0;
    let lowest = Infinity;
    for (let w = last - this.#span; w <= last; w++) {
      const window = this.#windows.get(w) ?? [];
      if (window.length < this.#expectedPerWindow / 2) return false;
      const m = median(window);
      highest = Math.max(highest, m);
      lowest = Math.min(lowest, m);
    }
    const spanS = (this.#span * this.windowMs) / 1000;
    return highest - lowest <= Math.min(highest * WarmupSettle.FLAT_RATIO + WarmupSettle.FLAT_SLACK_MS, WarmupSettle.DRAIN_MS_PER_S * spanS);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
