import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { forgetGroup, guardGroup } from './guardian.js';
import { recordOwned } from './orphans.js';

export interface ChildSpec {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where the child's stdout and stderr go; the last lines are quoted if it crashes. */
  logFile?: string;
}

/**
 * A child process of the stack, in its own process group so teardown reaches its children too
 * (a `java -jar` under a shell, say). Keeps the tail of its output for crash messages.
 */
export class StackChild {
  readonly name: string;
  readonly process: ChildProcess;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #expectedExit = false;
  #tail: string[] = [];
  readonly exited: Promise<void>;

  constructor(name: string, spec: ChildSpec) {
    this.name = name;
    this.process = spawn(spec.command, spec.args ?? [], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // Should the harness die without teardown (kill -9), the guardian kills this group, and a
    // record lets the next start sweep it if the guardian died too.
    const pid = this.process.pid;
    let unrecord = (): void => {};
    if (pid !== undefined) {
      guardGroup(pid);
      unrecord = recordOwned({ pgid: pid, cmdline: [spec.command, ...(spec.args ?? [])].join('\0') });
    }
    const log = spec.logFile ? createWriteStream(spec.logFile, { flags: 'a' }) : undefined;
    // An unwritable log (a missing or read-only directory) must not crash the harness with an
    // unhandled 'error': the child still runs and its tail is still kept for crash messages.
    log?.on('error', (err) => this.#tail.push(`log ${spec.logFile}: ${err.message}`));
    const keep = (chunk: Buffer): void => {
      log?.write(chunk);
      this.#tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.#tail.length > 20) this.#tail = this.#tail.slice(-20);
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.#exit ??= { code, signal };
        if (pid !== undefined) forgetGroup(pid);
        unrecord();
        log?.end();
        resolve();
      };
      this.process.once('exit', done);
      this.process.once('error', (err) => {
        this.#tail.push(err.message);
        done(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Undefined while running; otherwise how it ended. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.#exit;
  }

  /** True when the child ended without being asked to. */
  get crashed(): boolean {
    return this.#exit !== undefined && !this.#expectedExit;
  }

  describeExit(): string {
    const e = this.#exit;
    const how = e ? (e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`) : 'still running';
    return `${how}; last output: ${this.#tail.slice(-5).join(' | ') || '(none)'}`;
  }

  /** SIGTERM the whole group, SIGKILL after `graceMs`. Resolves when the child is gone. */
  async stop(graceMs = 3000): Promise<void> {
    this.#expectedExit = true;
    if (this.#exit) return;
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Send `signal` to the whole group as a deliberate act (a process fault step's `kill -9`): the
   * exit that follows is expected, so it is not reported as a crash. Resolves when the child is gone.
   */
  async kill(signal: NodeJS.Signals): Promise<void> {
    this.#expectedExit = true;
    if (this.#exit) return;
    this.#signal(signal);
    await this.exited;
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void {
    this.#expectedExit = true;
    if (!this.#exit) this.#signal('SIGKILL');
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.process.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal); // the whole process group
    } catch {
      try {
        this.process.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}
