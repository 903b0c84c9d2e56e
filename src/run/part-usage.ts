import { readFileSync } from 'node:fs';

/** How much CPU one part of the stack used while the load ran. */
export interface PartUsage {
  readonly name: string;
  readonly pid?: number;
  /** CPU seconds (user + system) over the window. */
  readonly cpuS: number;
  /** cpuS over the window's wall time: 1 = one core busy the whole time. */
  readonly cores: number;
}

/** Linux's USER_HZ: /proc times are in these ticks (100 on every mainstream kernel build). */
const TICKS_PER_S = 100;

/**
 * CPU seconds a process and its reaped children used so far, from /proc/<pid>/stat (utime,
 * stime, cutime, cstime); undefined where there is no /proc or the process is gone.
 */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime..cstime are fields 14..17.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return Number.isFinite(ticks) ? ticks / TICKS_PER_S : undefined;
}

/**
 * Measures each part's CPU over the load: the harness's own process (the driver, and whatever
 * runs in it: in-process simulators and gateways) and every child process (a gateway, a WireMock
 * JVM). With the lag figure it tells who was the bottleneck: a driver whose loop lagged, or a
 * part that used its cores while the driver waited on it.
 */
export class UsageMeter {
  readonly #started = performance.now();
  readonly #harness = process.cpuUsage();
  readonly #children: Array<{ name: string; pid: number; cpuS: number }>;

  constructor(children: ReadonlyArray<{ readonly name: string; readonly pid: number | undefined }>) {
    this.#children = children.flatMap((c) => {
      const cpuS = c.pid === undefined ? undefined : processCpuSeconds(c.pid);
      return c.pid === undefined || cpuS === undefined ? [] : [{ name: c.name, pid: c.pid, cpuS }];
    });
  }

  /** Usage since construction; a child that is gone by now (crashed, killed) is left out. */
  read(): PartUsage[] {
    const wallS = (performance.now() - this.#started) / 1000;
    const cores = (cpuS: number): number => (wallS > 0 ? Math.round((cpuS / wallS) * 1000) / 1000 : 0);
    const h = process.cpuUsage(this.#harness);
    const harnessS = (h.user + h.system) / 1e6;
    const parts: PartUsage[] = [{ name: 'harness', pid: process.pid, cpuS: round3(harnessS), cores: cores(harnessS) }];
    for (const c of this.#children) {
      const now = processCpuSeconds(c.pid);
      if (now === undefined) continue;
      const used = Math.max(0, now - c.cpuS);
      parts.push({ name: c.name, pid: c.pid, cpuS: round3(used), cores: cores(used) });
    }
    return parts;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
