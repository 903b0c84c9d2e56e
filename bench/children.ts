import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The benchmarks' processes: each server under measurement runs as its own child, so its one
 * core is its own and its RSS and CPU are its own. A child announces itself with a line on
 * stdout (a JSON object by default, or whatever `read` recognises); every child started here is
 * killed by `stopAll`, also when the benchmark fails half-way.
 */
export interface StartOptions<T> {
  readonly args?: readonly string[];
  readonly nodeArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Turns a stdout line into the announcement, or undefined to keep reading. Default: JSON.parse of the first line. */
  readonly read?: (line: string) => T | undefined;
}

export class Children {
  private readonly started: ChildProcess[] = [];

  /** `script` is a path relative to the caller's module URL (`new URL(script, base)`), or absolute. */
  async start<T>(script: string | URL, options: StartOptions<T> = {}): Promise<{ info: T; child: ChildProcess }> {
    const path = script instanceof URL ? fileURLToPath(script) : script;
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path, ...(options.args ?? [])], { stdio: ['ignore', 'pipe', 'inherit'], ...(options.env ? { env: options.env } : {}) });
    this.started.push(child);
    const read = options.read ?? ((line: string) => JSON.parse(line) as T);
    const info = await new Promise<T>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const value = read(line);
        if (value === undefined) return;
        lines.removeAllListeners('line');
        // Keep draining stdout, so a chatty child never blocks on a full pipe.
        child.stdout!.resume();
        resolve(value);
      });
      child.once('exit', (code) => reject(new Error(`${path} exited with ${code} before announcing itself`)));
    });
    return { info, child };
  }

  /** SIGTERM every child still running and wait for it to exit. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.started.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
      ),
    );
  }
}
