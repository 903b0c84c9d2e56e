/**
 * The buffers between toxics. A chunk is one `read()` from a socket (Toxiproxy works on chunks,
 * never on messages), stamped with the time it was read so that latency is measured from the
 * read and does not add up for pipelined data. `null` marks the end of the stream.
 */
export interface Chunk {
  data: Buffer;
  /** performance.now() when the chunk was read (toxics may move it forward, e.g. latency). */
  time: number;
}

export type StreamItem = Chunk | null;

/** Anything a toxic can write into: the next toxic's queue, or the link's sink. */
export interface ChunkSink {
  push(item: StreamItem): void;
}

/** Counts the bytes held in a link's queues, so the link can pause its source socket. */
export interface FlowAccount {
  added(bytes: number): void;
  removed(bytes: number): void;
}

/**
 * A FIFO with one consumer (the toxic reading it). Unbounded by itself: the link bounds it by
 * pausing the source socket when the bytes across all its queues pass a high-water mark.
 */
export class ChunkQueue implements ChunkSink {
  private items: StreamItem[] = [];
  private head = 0;
  private waiter: (() => void) | undefined;

  constructor(private readonly flow: FlowAccount) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: StreamItem): void {
    this.items.push(item);
    if (item) this.flow.added(item.data.length);
    const wake = this.waiter;
    if (wake) {
      this.waiter = undefined;
      wake();
    }
  }

  /** The next item, or undefined when the queue is empty (null is the end of the stream). */
  shift(): StreamItem | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = null;
    this.head++;
    // Compact now and then so a long-lived queue does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (item) this.flow.removed(item.data.length);
    return item;
  }

  /** Register the single consumer's wake-up; called when the next item arrives. */
  onPush(wake: () => void): void {
    this.waiter = wake;
  }

  clearWaiter(): void {
    this.waiter = undefined;
  }

  /** Move every remaining item, in order, to `sink` (used when the toxic reading this queue is removed). */
  drainInto(sink: ChunkSink): void {
    for (let item = this.shift(); item !== undefined; item = this.shift()) sink.push(item);
  }
}
