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

/**
 * The URL a long-running command (`paychaos sim …`) printed once it listens, polled every 25 ms
 * for at most `waitMs`; gives up early when the command printed a coded error instead.
 */
export async function printedUrl(io: { out: () => string; err: () => string }, waitMs = 5_000): Promise<string> {
  for (let waited = 0; waited < waitMs; waited += 25) {
    const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out());
    if (m) return m[1]!;
    if (io.err().includes('PAYCHAOS_ERR')) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no URL printed; stderr: ${io.err()}`);
}
