import type { RunProgress } from '../run/index.js';

/**
 * The live display of `paychaos run`: one line of figures, either rewritten in place on a TTY
 * (a compact status line) or printed every few seconds as plain lines for CI logs.
 *
 *   smoke  drive  4.0/10.0s  rate 50.0/50/s  ok 91.2%  p99 12.3 ms  faults: slow-stripe
 */
export function formatProgress(p: RunProgress): string {
  const pct = p.successRate === null ? '–' : `${(p.successRate * 100).toFixed(1)}%`;
  const p99 = p.p99Ms === null ? '–' : `${p.p99Ms} ms`;
  const faults = p.activeFaults.length ? p.activeFaults.join(',') : 'none';
  return `${p.scenario}  ${p.phase}  ${p.elapsedS.toFixed(1)}/${p.totalS.toFixed(1)}s  rate ${p.currentRate.toFixed(1)}/${p.targetRate}/s  ok ${pct}  p99 ${p99}  ${p.requests} req  faults: ${faults}`;
}

export interface ProgressPrinter {
  (p: RunProgress): void;
  /** End the live line (a TTY's status line is cleared). */
  done(): void;
}

export function progressPrinter(write: (text: string) => void, tty: boolean): ProgressPrinter {
  let live = false;
  const print = ((p: RunProgress) => {
    if (tty) {
      write(`\r\x1b[2K${formatProgress(p)}`);
      live = true;
    } else {
      write(`${formatProgress(p)}\n`);
    }
  }) as ProgressPrinter;
  print.done = () => {
    if (live) write('\r\x1b[2K');
    live = false;
  };
  return print;
}
