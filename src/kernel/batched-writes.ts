/**
 * Writes queued in memory and handed over in batches — one SQLite transaction each in the stores
 * that use it (the simulators' ledgers, the harness's ground truth): a transaction costs its
 * COMMIT whatever it holds, so the hot path pays a push and a batch pays one commit.
 *
 *   push ──► queue ──(afterMs, or the next turn when 0 | maxItems queued | flush())──► write(items)
 *
 * A batch is written when `maxItems` are queued (the queue's memory bound), or once `afterMs` have
 * passed since the first item of the batch (0: at the end of this turn of the event loop), or
 * when the owner flushes — which every read of the store must do first, so no read misses a
 * queued write. A write at the end of the turn happens before the process can exit; a timer of
 * `afterMs` is unref'd — a queued item never keeps a process alive, so only stores that a crash
 * loses whole anyway wait for one, and they flush before closing. `live()` false skips a
 * scheduled write (the store was closed).
 */
export class BatchedWrites<T> {
  readonly #write: (items: T[]) => void;
  readonly #maxItems: number;
  readonly #afterMs: number;
  readonly #live: () => boolean;
  #queue: T[] = [];
  #scheduled = false;

  constructor(write: (items: T[]) => void, options: { maxItems: number; afterMs: number; live?: () => boolean }) {
    this.#write = write;
    this.#maxItems = options.maxItems;
    this.#afterMs = options.afterMs;
    this.#live = options.live ?? (() => true);
  }

  /** Items queued and not yet written. */
  get length(): number {
    return this.#queue.length;
  }

  push(item: T): void {
    this.#queue.push(item);
    if (this.#queue.length >= this.#maxItems) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      const timed = (): void => {
        this.#scheduled = false;
        if (this.#live()) this.flush();
      };
      if (this.#afterMs === 0) setImmediate(timed);
      else setTimeout(timed, this.#afterMs).unref();
    }
  }

  /** Writes what is queued, now (nothing when the queue is empty). */
  flush(): void {
    if (this.#queue.length === 0) return;
    const items = this.#queue;
    this.#queue = [];
    this.#write(items);
  }
}
