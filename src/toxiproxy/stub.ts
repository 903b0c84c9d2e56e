import type { ChunkQueue, ChunkSink, StreamItem } from './chunk-queue.js';

/** Node fires a timer longer than this after 1 ms instead (with a TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * setTimeout for any number of milliseconds — toxic attributes are Go int64s, so a `timeout` of
 * 3e9 ms (35 days, "never" in practice) must not fire at once. Returns the cancel function.
 */
export function longTimeout(fn: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout;
  const schedule = (left: number): void => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? schedule(left - MAX_TIMER_MS) : fn()), Math.min(left, MAX_TIMER_MS));
  };
  schedule(ms);
  return () => clearTimeout(timer);
}

/** What `read()` returns when the link wants the toxic to stop (to rewire or update it). */
export const INTERRUPTED: unique symbol = Symbol('toxic interrupted');
export type ReadResult = StreamItem | typeof INTERRUPTED;

/**
 * One toxic's place on one link (one connection, one direction): its input queue, where its
 * output goes, and the signals the link uses to stop it.
 *
 *   source ─▶ [queue] ─▶ toxic A ─▶ [queue] ─▶ toxic B ─▶ sink ─▶ destination socket
 *                          stub A               stub B
 *
 * A toxic's `pipe()` loops on `read()`, writes with `write()`, and returns when `read()` or
 * `sleep()` reports an interruption — after forwarding anything it still holds, because a toxic
 * never drops in-flight data. `close()` ends the stream here (the link then closes the connection).
 */
export class ToxicStub {
  output: ChunkSink;
  /** Per link and per toxic; survives updates and restarts (limit_data counts bytes here). */
  state: unknown;
  private interruptRequested = false;
  private aborted = false;
  private closedFlag = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly input: ChunkQueue,
    output: ChunkSink,
  ) {
    this.output = output;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** True once the link asked this toxic to stop. */
  get interrupted(): boolean {
    return this.interruptRequested;
  }

  /** The next chunk, `null` at the end of the stream, or INTERRUPTED. */
  async read(): Promise<ReadResult> {
    for (;;) {
      if (this.interruptRequested) return INTERRUPTED;
      const item = this.input.shift();
      if (item !== undefined) return item;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.input.onPush(resolve);
      });
      this.wake = undefined;
      this.input.clearWaiter();
    }
  }

  write(item: StreamItem): void {
    if (this.closedFlag) return;
    this.output.push(item);
  }

  /** End the stream at this toxic: everything after it sees the end, and the connection closes. */
  close(): void {
    if (this.closedFlag) return;
    this.output.push(null);
    this.closedFlag = true;
  }

  /**
   * Wait `ms` milliseconds. Resolves true when the time has passed, false when interrupted first.
   * With `ignoreInterrupt`, only a teardown cuts it short (reset_peer's wait, as in Toxiproxy).
   */
  sleep(ms: number, ignoreInterrupt = false): Promise<boolean> {
    if (this.aborted || (!ignoreInterrupt && this.interruptRequested)) return Promise.resolve(false);
    if (!(ms > 0)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const cancel = longTimeout(() => {
        this.wake = undefined;
        resolve(true);
      }, ms);
      this.wake = () => {
        if (ignoreInterrupt && !this.aborted) return;
        cancel();
        this.wake = undefined;
        resolve(false);
      };
    });
  }

  /** Ask the toxic to stop; resolves once its pipe has returned (the link awaits `running`). */
  requestInterrupt(): void {
    this.interruptRequested = true;
    this.wake?.();
  }

  /** Clear the request before the toxic is started again on this stub. */
  resetInterrupt(): void {
    this.interruptRequested = false;
  }

  /** Teardown: stop everything now, including waits that ignore interrupts. */
  abort(): void {
    this.aborted = true;
    this.requestInterrupt();
  }

  get isAborted(): boolean {
    return this.aborted;
  }
}
