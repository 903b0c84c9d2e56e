import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStubsDir, startWireMock, type ProcessHosting, type StartedWireMock } from '../../../../simulators/wiremock/index.js';
import { supervisedProcesses } from '../../../../src/stack/index.js';

/**
 * The WireMock simulator imports only the kernel; the stack's `supervisedProcesses` is handed to
 * it. These checks hold the wiring to what the Supervisor used to give it directly: the JVM's log
 * in logDir, its root folder owned (guarded) while it serves and removed on close, and a JVM that
 * dies unasked reported at once through onCrash.
 */
interface Recorded {
  readonly hosting: ProcessHosting;
  readonly owned: string[];
  readonly released: string[];
}

/** The stack's real hosting, with what WireMock asks of it written down; `dropCrashes` breaks it. */
function recording(dropCrashes = false): Recorded {
  const owned: string[] = [];
  const released: string[] = [];
  const hosting: ProcessHosting = {
    open: (options) => {
      const host = supervisedProcesses.open(options);
      return dropCrashes ? { spawn: (n, s) => host.spawn(n, s), close: () => host.close(), onCrash: () => () => {} } : host;
    },
    ownTempDir: (path) => {
      owned.push(path);
      const release = supervisedProcesses.ownTempDir(path);
      return () => {
        released.push(path);
        release();
      };
    },
  };
  return { hosting, owned, released };
}

const dirs: string[] = [];
const started: StartedWireMock[] = [];
afterAll(async () => {
  await Promise.all(started.map((w) => w.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function start(rec: Recorded): Promise<{ wm: StartedWireMock; logDir: string }> {
  const logDir = await mkdtemp(join(tmpdir(), 'paychaos-wm-host-'));
  dirs.push(logDir);
  const wm = await startWireMock({ stubsDir: resolveStubsDir('localwallet'), name: 'wm-host', logDir, readyTimeoutMs: 30_000, processes: rec.hosting });
  started.push(wm);
  return { wm, logDir };
}

/** Kill the JVM as a crash would, and wait (bounded) for a crash report. */
async function crashReported(wm: StartedWireMock, withinMs: number): Promise<{ name: string; description: string } | undefined> {
  let report: { name: string; description: string } | undefined;
  wm.onCrash((name, description) => (report ??= { name, description }));
  process.kill(wm.pid!, 'SIGKILL');
  const deadline = Date.now() + withinMs;
  while (!report && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return report;
}

describe('WireMock on the host its caller gives', () => {
  it('keeps the JVM log in logDir, owns its root while serving, reports a crash at once, and releases the root on close', async () => {
    const rec = recording();
    const { wm, logDir } = await start(rec);
    expect(rec.owned).toHaveLength(1);
    const root = rec.owned[0]!;
    expect(existsSync(root)).toBe(true);
    expect(rec.released).toEqual([]);
    expect(await readFile(join(logDir, 'wm-host.log'), 'utf8')).not.toBe('');

    const report = await crashReported(wm, 5000);
    expect(report).toMatchObject({ name: 'wm-host' });
    expect(report!.description).toMatch(/SIGKILL/);

    await wm.close();
    expect(existsSync(root)).toBe(false);
    expect(rec.released).toEqual([root]);
  }, 60_000);

  it('the control: a host that drops crash reports leaves the same check without one', async () => {
    const { wm } = await start(recording(true));
    expect(await crashReported(wm, 1500)).toBeUndefined();
  }, 60_000);
});
