/**
 * What a WireMock needs from whoever runs it: a host for its JVM and an owner for its root folder.
 * Simulators import only the kernel, so they cannot reach the stack's Supervisor themselves; the
 * caller (the stack, `paychaos sim`, a test) passes the stack's implementation, `supervisedProcesses`
 * (src/stack). The contract is the Supervisor's, stated here so any host keeps it:
 *
 *   open({logDir}) ─▶ host.spawn(name, spec): started and ready, output kept in `<logDir>/<name>.log`
 *                    host.onCrash(listener): the JVM died unasked ─▶ listener at once
 *                    host.close(): stops every process it spawned (its whole process group), bounded
 *   ownTempDir(dir) ─▶ the folder is removed even if the harness dies without closing
 */
export interface ProcessHosting {
  /** A fresh host for one WireMock; the WireMock closes it with itself. */
  open(options: ProcessHostOptions): ProcessHost;
  /** Declare a folder the harness owns, swept if it dies; call the result once it is removed. */
  ownTempDir(path: string): () => void;
}

export interface ProcessHostOptions {
  /** Each process's output goes here as `<name>.log`. */
  logDir?: string;
  /** Per-process limit on teardown before it is killed outright. */
  closeTimeoutMs: number;
}

/** A process died unasked: its name, how it ended with its last output, and where its whole log is. */
export type ProcessCrashListener = (name: string, description: string, detail: { readonly logFile?: string }) => void;

export interface HostedProcessSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Ready once this URL answers below 500. */
  readiness: { http: string };
  readyTimeoutMs: number;
  url: string;
}

export interface ProcessHost {
  /**
   * Start a process and wait until it is ready. Killed with its process group when the host
   * closes or the harness exits. A process that exits before it is ready rejects with
   * PAYCHAOS_ERR_STACK_CHILD_CRASHED, its last output in the message.
   */
  spawn(name: string, spec: HostedProcessSpec): Promise<{ readonly pid: number | undefined }>;
  /** Called when a process exits without being asked to; returns the unsubscribe. */
  onCrash(listener: ProcessCrashListener): () => void;
  /** Stop every process, each bounded in time; idempotent, never throws. */
  close(): Promise<void>;
}
