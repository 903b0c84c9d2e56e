import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The guardian: a tiny watchdog process that outlives the harness for one purpose — when the
 * harness dies without tearing down (kill -9, an OOM kill, a crash in native code), it kills the
 * process groups the harness left and removes its temporary directories. A process 'exit' hook
 * cannot do that: SIGKILL runs no code. The guardian learns of the death the one way the kernel
 * guarantees: the pipe from the harness closes (its write end dies with the harness).
 *
 *   harness ──stdin pipe: "+pgid 123", "-pgid 123", "+dir /tmp/x", "-dir /tmp/x"──► guardian
 *   harness dies ─► pipe EOF ─► guardian: SIGTERM every group, SIGKILL after a grace, rm dirs
 *
 * One guardian per harness process, started on the first registration and unref'd, so it never
 * keeps the harness alive. It runs from `node -e` (no file to locate, built or not), in its own
 * process group, so a Ctrl-C to the terminal's foreground group does not reach it.
 */
/** How long the guardian lets orphaned groups stop on SIGTERM before SIGKILL. */
const GRACE_MS = 2000;

const SOURCE = String.raw`
'use strict';
const { rmSync } = require('node:fs');
const groups = new Set();
const dirs = new Set();
let pending = '';
const alive = (g) => { try { process.kill(-g, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const signal = (g, s) => { try { process.kill(-g, s); } catch {} };
let reaping = false;
function reap() {
  if (reaping) return;
  reaping = true;
  for (const g of groups) signal(g, 'SIGTERM');
  const deadline = Date.now() + ${GRACE_MS};
  const tick = () => {
    const left = [...groups].filter(alive);
    if (left.length > 0 && Date.now() < deadline) return setTimeout(tick, 50);
    for (const g of left) signal(g, 'SIGKILL');
    for (const d of dirs) { try { rmSync(d, { recursive: true, force: true }); } catch {} }
    // Nothing is left to keep the event loop alive (stdin has ended): the guardian ends here.
    process.stdin.destroy();
  };
  tick();
}
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
    const line = pending.slice(0, i);
    pending = pending.slice(i + 1);
    const m = /^([+-])(pgid|dir) (.+)$/.exec(line);
    if (!m) continue;
    const set = m[2] === 'pgid' ? groups : dirs;
    const value = m[2] === 'pgid' ? Number(m[3]) : m[3];
    if (m[1] === '+') set.add(value); else set.delete(value);
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
`;

let guardian: ChildProcess | undefined;

function send(line: string): void {
  if (!guardian) {
    guardian = spawn(process.execPath, ['-e', SOURCE], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    guardian.on('error', () => (guardian = undefined));
    // An EPIPE if the guardian itself was killed must not crash the harness.
    guardian.stdin?.on('error', () => {});
    guardian.unref();
    (guardian.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  guardian.stdin?.write(`${line}\n`);
}

/** Have the guardian kill this process group if the harness dies before forget(). */
export function guardGroup(pgid: number): void {
  send(`+pgid ${pgid}`);
}

export function forgetGroup(pgid: number): void {
  if (guardian) send(`-pgid ${pgid}`);
}

/** Have the guardian remove this directory if the harness dies before forgetDir(). */
export function guardDir(path: string): void {
  if (/\n/.test(path)) return;
  send(`+dir ${path}`);
}

export function forgetDir(path: string): void {
  if (guardian && !/\n/.test(path)) send(`-dir ${path}`);
}

/** The guardian's pid, for tests and for the orphan sweep's record; undefined until one runs. */
export function guardianPid(): number | undefined {
  return guardian?.pid;
}
