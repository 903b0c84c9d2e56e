import { readFileSync } from 'node:fs';

/**
 * What every benchmark reads and reduces the same way: a process's resident memory, and the
 * median of rounds (the figure benchmarks report, so one disturbed round on a shared machine
 * does not move it).
 */

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS); 0 once it is gone. */
export function rssBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export const rssMiB = (pid: number): number => rssBytes(pid) / 2 ** 20;

/** The middle value; for an even count the mean of the two middle ones. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
