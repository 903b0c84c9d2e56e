import type { CliIo } from '../../src/cli/io.js';

/** A CliIo that records output and lets a test raise an interrupt. */
export function fakeIo(): CliIo & { out: () => string; err: () => string; interrupt: (signal?: NodeJS.Signals) => void } {
  let out = '';
  let err = '';
  let code: number | undefined;
  const handlers = new Set<(s: NodeJS.Signals) => void>();
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    setExit: (c) => void (code = c),
    exitCode: () => code,
    onInterrupt: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    out: () => out,
    err: () => err,
    interrupt: (signal = 'SIGINT') => {
      for (const h of handlers) h(signal);
    },
  };
}
