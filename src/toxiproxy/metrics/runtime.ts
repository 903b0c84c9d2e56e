import { readdirSync, readFileSync } from 'node:fs';
import type { Family } from './exposition.js';

/** When this process started, in Unix seconds (process_start_time_seconds). */
const START_TIME_S = Date.now() / 1000 - process.uptime();

/**
 * `-runtime-metrics`: the names toxiproxy-server's Go and process collectors export, so its
 * dashboards and its own e2e checks (`^go_info`, `^go_goroutines`) find them. The values are
 * this Node process's nearest equivalents, and each HELP text says which: go_goroutines counts
 * the event loop's active handles and requests, go_info carries the Node version, go_memstats_*
 * the V8 heap. process_* are the standard Linux process metrics, read from /proc as Go does.
 */
export function runtimeFamilies(buildVersion: string): Family[] {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const one = (name: string, help: string, type: Family['type'], value: number | undefined, labels: Record<string, string> = {}): Family =>
    ({ name, help, type, samples: value === undefined ? [] : [{ labels, value }] });
  return [
    one('go_goroutines', 'Number of goroutines that currently exist. (paychaos proxy: active Node.js handles and requests)', 'gauge', process.getActiveResourcesInfo().length),
    one('go_threads', 'Number of OS threads created.', 'gauge', procStatus('Threads')),
    one('go_info', 'Information about the Go environment. (paychaos proxy: the Node.js version)', 'gauge', 1, { version: `node${process.versions.node}` }),
    one('go_build_info', 'Build information about the main Go module. (paychaos proxy: the paychaos package)', 'gauge', 1, { checksum: '', path: 'paychaos', version: buildVersion }),
    one('go_memstats_alloc_bytes', 'Number of bytes allocated and still in use. (paychaos proxy: V8 heap used)', 'gauge', mem.heapUsed),
    one('go_memstats_heap_alloc_bytes', 'Number of heap bytes allocated and still in use. (paychaos proxy: V8 heap used)', 'gauge', mem.heapUsed),
    one('go_memstats_heap_sys_bytes', 'Number of heap bytes obtained from system. (paychaos proxy: V8 heap total)', 'gauge', mem.heapTotal),
    one('go_memstats_sys_bytes', 'Number of bytes obtained from system. (paychaos proxy: resident set size)', 'gauge', mem.rss),
    one('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', (cpu.user + cpu.system) / 1e6),
    one('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', mem.rss),
    one('process_virtual_memory_bytes', 'Virtual memory size in bytes.', 'gauge', procVirtualBytes()),
    one('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge', START_TIME_S),
    one('process_open_fds', 'Number of open file descriptors.', 'gauge', openFds()),
    one('process_max_fds', 'Maximum number of open file descriptors.', 'gauge', maxFds()),
  ];
}

// Linux only, as in client_golang's process collector: elsewhere these series are left out.
function procStatus(field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readProc('/proc/self/status'));
  return match ? Number(match[1]) : undefined;
}

function procVirtualBytes(): number | undefined {
  // /proc/self/stat: field 23 is vsize; the command name (field 2) may hold spaces, so count after ')'.
  const stat = readProc('/proc/self/stat');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const vsize = Number(fields[20]);
  return Number.isFinite(vsize) && stat !== '' ? vsize : undefined;
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  const match = /^Max open files\s+(\d+)/m.exec(readProc('/proc/self/limits'));
  return match ? Number(match[1]) : undefined;
}

function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
