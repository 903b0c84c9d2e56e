import { join } from 'node:path';
import { paychaosError, isPaychaosError } from '../kernel/index.js';
import { StackChild, type ChildSpec } from './child.js';
import { sweepOrphans } from './orphans.js';
import { waitReady, type Readiness } from './readiness.js';

let sweptOnce: ReturnType<typeof sweepOrphans> | undefined;

/** Anything the supervisor can stop. */
export interface Closeable {
  close(): Promise<void>;
}

interface Part {
  readonly name: string;
  readonly url: string | undefined;
  readonly close: () => Promise<void>;
  readonly child?: StackChild;
}

/** A child died unasked: its part name, how it ended with its last output, and where its whole log is. */
export type CrashListener = (name: string, description: string, detail: { readonly logFile?: string }) => void;

export interface SupervisorOptions {
  /** Child logs go here as `<name>.log`. */
  logDir?: string;
  /** Per-part limit on teardown before it is abandoned (children are SIGKILLed). */
  closeTimeoutMs?: number;
}

/**
 * Starts the parts of a stack, remembers how to stop each, and tears them all down — in reverse
 * order, each bounded in time, never throwing — however the run ends: normally, on Ctrl-C, after
 * a part failed to start, or after a child crashed. A process 'exit' hook SIGKILLs any child still
 * alive, so even an uncaught exception leaves no process behind.
 *
 *   start(name, fn) ─┐                       ┌─ close(): reverse order, bounded, never throws
 *   spawn(name, spec)┼─► parts[] ─► addresses()
 *                    └─ child 'exit' → onCrash listeners (a crash is reported, not hidden)
 */
export class Supervisor implements AsyncDisposable {
  readonly #parts: Part[] = [];
  readonly #options: SupervisorOptions;
  readonly #crashListeners = new Set<CrashListener>();
  #closed: Promise<void> | undefined;
  readonly #exitHook = (): void => {
    for (const part of this.#parts) part.child?.killNow();
  };

  constructor(options: SupervisorOptions = {}) {
    this.#options = options;
    // What a harness killed without teardown left (its guardian killed too): once per process.
    sweptOnce ??= sweepOrphans();
    process.on('exit', this.#exitHook);
  }

  /** Start an in-process part; on failure the error names the part. */
  async start<T extends Closeable & { url?: string }>(name: string, starter: () => Promise<T>): Promise<T> {
    this.#assertOpen(name);
    let started: T;
    try {
      started = await starter();
    } catch (err) {
      if (isPaychaosError(err)) throw err;
      throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${name} would not start: ${(err as Error).message}`, { part: name }, { cause: err });
    }
    // close() began while this part was starting (Ctrl-C during start-up): close() has already
    // taken its list, so stop the part here rather than leave its port open.
    if (this.#closed) {
      await started.close().catch(() => {});
      throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${name}: the stack shut down while it was starting`, { part: name });
    }
    this.#parts.push({ name, url: started.url, close: () => started.close() });
    return started;
  }

  /** Spawn a child process, wait for it to be ready, and watch it for crashes. */
  async spawn(name: string, spec: ChildSpec & { readiness: Readiness; url?: string; readyTimeoutMs?: number }): Promise<StackChild> {
    this.#assertOpen(name);
    const logFile = spec.logFile ?? (this.#options.logDir ? join(this.#options.logDir, `${name}.log`) : undefined);
    const child = new StackChild(name, { ...spec, ...(logFile ? { logFile } : {}) });
    const part: Part = { name, url: spec.url, close: () => child.stop(), child };
    this.#parts.push(part);
    let ready = false;
    // A crash is a child dying unasked once it was up; one that dies while starting is the start's
    // own error (thrown below), so a caller that retries it (a port taken meanwhile) reports nothing.
    void child.exited.then(() => {
      if (ready && child.crashed && !this.#closed) for (const l of this.#crashListeners) l(name, child.describeExit(), logFile ? { logFile } : {});
    });
    try {
      await waitReady(name, spec.readiness, { timeoutMs: spec.readyTimeoutMs ?? 15_000, isDead: () => (child.exit ? child.describeExit() : undefined) });
    } catch (err) {
      await child.stop(0);
      this.#parts.splice(this.#parts.indexOf(part), 1);
      throw err;
    }
    ready = true;
    return child;
  }

  /** Called when a child exits without being asked to (never for a stop or a fault step's kill). */
  onCrash(listener: CrashListener): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  /** Every part's address, for stack.json and the summary. */
  addresses(): Record<string, string> {
    return Object.fromEntries(this.#parts.filter((p) => p.url).map((p) => [p.name, p.url!]));
  }

  get names(): string[] {
    return this.#parts.map((p) => p.name);
  }

  /** Tear everything down. Idempotent; resolves when every part is closed or abandoned. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      const timeoutMs = this.#options.closeTimeoutMs ?? 5000;
      for (const part of [...this.#parts].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            part.close(),
            new Promise<void>((resolve) => {
              timer = setTimeout(() => {
                part.child?.killNow();
                resolve();
              }, timeoutMs);
            }),
          ]);
        } catch {
          // A part that fails to close must not keep the others open.
          part.child?.killNow();
        } finally {
          clearTimeout(timer);
        }
      }
      process.off('exit', this.#exitHook);
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(name: string): void {
    if (this.#closed) throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${name}: the stack is already shutting down`, { part: name });
  }
}
