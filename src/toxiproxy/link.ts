import type { Socket } from 'node:net';
import { ChunkQueue, type ChunkSink, type FlowAccount, type StreamItem } from './chunk-queue.js';
import { ToxicStub } from './stub.js';
import type { Direction, ToxicWrapper } from './toxic-wrapper.js';
import { passThrough } from './toxics/noop.js';

/** Pause the source when this many bytes wait inside the chain; resume below the low mark. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 << 10;

export interface LinkOwner {
  linkFinished(link: Link): void;
  linkFailed(link: Link, err: unknown): void;
}

interface Stage {
  readonly wrapper: ToxicWrapper;
  readonly stub: ToxicStub;
  running: Promise<void>;
  /** The toxicity draw of the current run: false means this run is a pass-through. */
  active: boolean;
  done: boolean;
}

/**
 * One direction of one connection: bytes read from `source`, through the toxics of that
 * direction in creation order, written to `dest`.
 *
 *   pipe mode  (no toxics):  source ──pipe()──▶ dest          (a plain stream pipe)
 *   chain mode:              source ─▶ q0 ─▶ toxic0 ─▶ q1 ─▶ toxic1 ─▶ sink ─▶ dest
 *
 * Adding, updating and removing toxics happens on the live link, one operation at a time,
 * without losing or reordering bytes: an interrupted toxic forwards what it holds, a removed
 * toxic's queue is appended to its output, and the data path falls back to a plain pipe when
 * the last toxic goes.
 */
export class Link implements FlowAccount {
  private readonly stages: Stage[] = [];
  /** queues[i] is the input of stages[i]; the last stage writes to the sink. */
  private readonly queues: ChunkQueue[] = [];
  private readonly sink: ChunkSink;
  private mode: 'pipe' | 'chain' = 'pipe';
  private buffered = 0;
  private pausedByUs = false;
  private destBlocked = false;
  private inputEnded = false;
  private finishedFlag = false;
  private ops: Promise<void> = Promise.resolve();

  constructor(
    private readonly owner: LinkOwner,
    readonly direction: Direction,
    readonly source: Socket,
    readonly dest: Socket,
    toxics: readonly ToxicWrapper[],
  ) {
    this.sink = { push: (item) => this.deliver(item) };
    for (const wrapper of toxics) {
      const queue = new ChunkQueue(this);
      const last = this.stages.at(-1);
      if (last) last.stub.output = queue;
      this.queues.push(queue);
      this.stages.push(this.newStage(wrapper, queue));
    }
  }

  get finished(): boolean {
    return this.finishedFlag;
  }

  start(): void {
    this.source.on('end', this.onSourceEnd);
    for (const stage of this.stages) this.run(stage);
    if (this.stages.length === 0) {
      this.source.pipe(this.dest, { end: false });
    } else {
      this.mode = 'chain';
      this.source.on('data', this.onData);
      // The proxy accepts sockets paused (pauseOnConnect) so nothing is read before the upstream
      // answers; a 'data' listener alone does not restart such a socket.
      this.source.resume();
    }
  }

  addToxic(wrapper: ToxicWrapper): Promise<void> {
    return this.enqueue(async () => {
      const queue = new ChunkQueue(this);
      const previous = this.stages.at(-1);
      // The previous last toxic is restarted on its new output, which redraws its toxicity
      // coin, as Toxiproxy does (link.go interrupts and re-runs it).
      if (previous) await this.stop(previous);
      if (this.finishedFlag) return;
      if (previous) previous.stub.output = queue;
      this.queues.push(queue);
      const stage = this.newStage(wrapper, queue);
      this.stages.push(stage);
      if (previous && !previous.stub.closed) this.run(previous);
      this.run(stage);
      if (this.mode === 'pipe') this.enterChainMode();
    });
  }

  updateToxic(wrapper: ToxicWrapper): Promise<void> {
    return this.enqueue(async () => {
      const stage = this.stages.find((s) => s.wrapper === wrapper);
      if (!stage) return;
      await this.stop(stage);
      if (!this.finishedFlag && !stage.stub.closed) this.run(stage);
    });
  }

  removeToxic(wrapper: ToxicWrapper): Promise<void> {
    return this.enqueue(async () => {
      const index = this.stages.findIndex((s) => s.wrapper === wrapper);
      const stage = this.stages[index];
      if (!stage) return;
      await this.stop(stage);
      if (stage.active && !stage.stub.closed) wrapper.definition.cleanup?.(stage.stub);
      // A toxic that has ended the stream stays: the end is already on its way to the sink.
      if (stage.stub.closed || this.finishedFlag) return;
      const previous = this.stages[index - 1];
      if (previous) await this.stop(previous);
      // Torn down while the previous toxic stopped: nothing is delivered any more, nothing restarts.
      if (this.finishedFlag) return;
      const input = this.queues[index]!;
      input.drainInto(stage.stub.output);
      this.stages.splice(index, 1);
      this.queues.splice(index, 1);
      if (previous) {
        previous.stub.output = stage.stub.output;
        if (!previous.stub.closed) this.run(previous);
      }
      if (this.stages.length === 0) this.enterPipeMode();
    });
  }

  /** The socket we read from is going away (the other direction closed it): end this direction. */
  endInput(): void {
    if (this.inputEnded || this.finishedFlag) return;
    this.detachSource();
    this.onSourceEnd();
  }

  /** Stop every toxic now (teardown); nothing more is delivered. */
  abort(): void {
    this.finishedFlag = true;
    this.detachSource();
    for (const stage of this.stages) stage.stub.abort();
  }

  // --- FlowAccount: bound the bytes waiting inside the chain -------------------------------

  added(bytes: number): void {
    this.buffered += bytes;
    if (this.buffered > HIGH_WATER) this.updateFlow();
  }

  removed(bytes: number): void {
    this.buffered -= bytes;
    if (this.pausedByUs && this.buffered <= LOW_WATER) this.updateFlow();
  }

  // --- internals ---------------------------------------------------------------------------

  private readonly onData = (data: Buffer): void => {
    (this.queues[0] ?? this.sink).push({ data, time: performance.now() });
  };

  private readonly onSourceEnd = (): void => {
    if (this.inputEnded) return;
    this.inputEnded = true;
    if (this.mode === 'pipe') this.finish();
    else (this.queues[0] ?? this.sink).push(null);
  };

  private readonly onDrain = (): void => {
    this.destBlocked = false;
    this.updateFlow();
  };

  private deliver(item: StreamItem): void {
    if (this.finishedFlag) return;
    if (item === null) return this.finish();
    if (!this.dest.write(item.data) && !this.destBlocked) {
      this.destBlocked = true;
      this.dest.once('drain', this.onDrain);
      this.updateFlow();
    }
  }

  private updateFlow(): void {
    if (this.mode !== 'chain' || this.inputEnded) return;
    if (this.destBlocked || this.buffered > HIGH_WATER) {
      if (!this.pausedByUs) {
        this.pausedByUs = true;
        this.source.pause();
      }
    } else if (this.pausedByUs && this.buffered <= LOW_WATER) {
      this.pausedByUs = false;
      this.source.resume();
    }
  }

  private enterChainMode(): void {
    if (this.inputEnded || this.finishedFlag) return;
    this.source.unpipe(this.dest);
    this.mode = 'chain';
    this.source.on('data', this.onData);
    // unpipe() leaves the stream paused; a 'data' listener alone does not restart it.
    if (!this.destBlocked) this.source.resume();
  }

  private enterPipeMode(): void {
    if (this.mode === 'pipe' || this.inputEnded || this.finishedFlag) return;
    this.source.off('data', this.onData);
    this.mode = 'pipe';
    this.pausedByUs = false;
    if (this.destBlocked) {
      this.destBlocked = false;
      this.dest.off('drain', this.onDrain);
    }
    this.source.pipe(this.dest, { end: false });
  }

  private detachSource(): void {
    this.source.off('data', this.onData);
    this.source.off('end', this.onSourceEnd);
    this.source.unpipe(this.dest);
    this.dest.off('drain', this.onDrain);
  }

  private finish(): void {
    if (this.finishedFlag) return;
    this.finishedFlag = true;
    this.detachSource();
    for (const stage of this.stages) stage.stub.abort();
    this.owner.linkFinished(this);
  }

  private newStage(wrapper: ToxicWrapper, input: ChunkQueue): Stage {
    const stub = new ToxicStub(input, this.sink);
    stub.state = wrapper.definition.newState?.();
    return { wrapper, stub, running: Promise.resolve(), active: false, done: true };
  }

  /** (Re)start a toxic on this link, drawing its toxicity coin for this run. */
  private run(stage: Stage): void {
    const { wrapper, stub } = stage;
    stub.resetInterrupt();
    stage.active = Math.random() < wrapper.toxicity;
    stage.done = false;
    const pipe = stage.active ? wrapper.definition.pipe(stub, wrapper.attributes) : passThrough(stub);
    stage.running = pipe.then(
      () => {
        stage.done = true;
      },
      (err: unknown) => {
        stage.done = true;
        this.owner.linkFailed(this, err);
      },
    );
  }

  private async stop(stage: Stage): Promise<void> {
    if (stage.done) return;
    stage.stub.requestInterrupt();
    await stage.running;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.ops.then(() => (this.finishedFlag ? undefined : op()));
    this.ops = next.catch(() => {});
    return next;
  }
}
