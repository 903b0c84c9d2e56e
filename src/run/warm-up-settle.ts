/**
 * Whether a warm-up has settled: the system keeps up with the arrivals and its latency has stopped
 * falling. A cold stack (JIT, pools, connections) falls behind in its first seconds; the queue it
 * builds drains afterwards, and while it drains every answer is a little faster than the one
 * before. A measured window opened in that state inherits the start-up's queue — seconds of it
 * at a rate near the system's capacity, since only the spare capacity drains it — and start-up
 * poses as the system's p99, which is what the warm-up is for avoiding.
 *
 * Completed payments are bucketed by completion time into windows long enough to hold about
 * MIN_PER_WINDOW × 2 arrivals at the rate (250 ms at least, 2 s at most). The last complete window
 * is compared with the one a span earlier (1 s, or two windows when they are longer): settled when
 * both completed at least half of what arrived in them (not stalled) and the later one's median
 * latency is not below the earlier one's by more than FALLING_RATIO and FALLING_SLACK_MS (not still
 * draining). A span, not the window before: a deep queue drained by a little spare capacity
 * shortens only a little from one window to the next, but plainly over a second. A system that cannot carry the rate
 * settles too — its latency rises, it does not fall — and the measured window shows that honestly.
 * Pure: no clock, no I/O; times are ms from the warm-up's start.
 */
export class WarmupSettle {
  static readonly MIN_PER_WINDOW = 10;
  static readonly FALLING_RATIO = 0.9;
  static readonly FALLING_SLACK_MS = 2;

  readonly windowMs: number;
  /** How many windows apart the two compared are. */
  readonly #span: number;
  readonly #expectedPerWindow: number;
  readonly #windows = new Map<number, number[]>();

  constructor(rate: number) {
    const forSamples = ((2 * WarmupSettle.MIN_PER_WINDOW) / Math.max(rate, 1e-9)) * 1000;
    this.windowMs = Math.min(2_000, Math.max(250, forSamples));
    this.#span = Math.max(2, Math.round(1_000 / this.windowMs));
    this.#expectedPerWindow = (rate * this.windowMs) / 1000;
  }

  /** A warm-up payment completed `atMs` after the warm-up started, having taken `latencyMs`. */
  record(atMs: number, latencyMs: number): void {
    const index = Math.floor(atMs / this.windowMs);
    const window = this.#windows.get(index);
    if (window) window.push(latencyMs);
    else this.#windows.set(index, [latencyMs]);
    // Only the last complete window and the one a span before it are ever read: older ones go.
    for (const old of this.#windows.keys()) if (old < index - this.#span - 1) this.#windows.delete(old);
  }

  /** Settled as of `nowMs` (the last window complete by then against the one a span before it). */
  settled(nowMs: number): boolean {
    // Too little traffic to judge a queue at all: nothing to wait for.
    if (this.#expectedPerWindow < WarmupSettle.MIN_PER_WINDOW) return true;
    const last = Math.floor(nowMs / this.windowMs) - 1;
    const earlier = this.#windows.get(last - this.#span) ?? [];
    const later = this.#windows.get(last) ?? [];
    const keepingUp = (w: number[]): boolean => w.length >= this.#expectedPerWindow / 2;
    if (!keepingUp(earlier) || !keepingUp(later)) return false;
    return median(later) >= median(earlier) * WarmupSettle.FALLING_RATIO - WarmupSettle.FALLING_SLACK_MS;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
