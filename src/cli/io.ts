/**
 * What a command may touch of the outside world. Tests pass their own to capture output and
 * signals; the real one writes to the process' streams.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Set the exit code the command ends with (the last call wins). */
  setExit(code: number): void;
  exitCode(): number | undefined;
  /** Whether stdout is a terminal (a live status line) or a log (plain periodic lines). */
  isTTY?(): boolean;
  /** Subscribe to Ctrl-C / SIGTERM; returns an unsubscribe function. */
  onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void;
}

export function processIo(): CliIo {
  let code: number | undefined;
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    setExit: (c) => {
      code = c;
    },
    exitCode: () => code,
    isTTY: () => process.stdout.isTTY === true,
    onInterrupt(handler) {
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
      for (const s of signals) process.on(s, handler);
      return () => {
        for (const s of signals) process.off(s, handler);
      };
    },
  };
}
