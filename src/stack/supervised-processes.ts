import type { ProcessHostOptions, ProcessHosting } from '../../simulators/index.js';
import { Supervisor } from './supervisor.js';
import { ownTempDir } from './temp-dir.js';

/**
 * The stack's way of running a simulator's own processes (a WireMock JVM): each WireMock gets a
 * Supervisor of its own — its process group killed on close and on harness exit, a crash
 * reported at once, output kept in `<logDir>/<name>.log` — and its root folder is guarded and
 * swept like every temporary folder of the harness. Simulators import only the kernel, so the
 * stack hands them this rather than their reaching for the Supervisor.
 */
export const supervisedProcesses: ProcessHosting = Object.freeze({
  open: (options: ProcessHostOptions) => new Supervisor(options),
  ownTempDir,
});
