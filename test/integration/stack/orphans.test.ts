import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepOrphans } from '../../../src/stack/index.js';

/**
 * Issue #18 item 2: `kill -9` of the harness must leave no process, port or temporary directory
 * behind. The harness here is a real Node process running the built stack code; it is killed
 * with SIGKILL, which runs no teardown at all, so only the guardian can clean up.
 */
const DIST = join(process.cwd(), 'dist');
const spawned: ChildProcess[] = [];
afterAll(() => {
  for (const p of spawned) if (p.pid) killGroup(p.pid);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** Run a module script as the "harness"; resolves with the JSON line it prints once set up. */
async function harness(code: string): Promise<{ proc: ChildProcess; info: Record<string, unknown> }> {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`harness did not start: ${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    });
    proc.once('exit', (c) => reject(new Error(`harness exited ${c}: ${err}`)));
  });
  return { proc, info };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

describe('nothing outlives a harness killed with SIGKILL', () => {
  it('the guardian kills its child process groups and removes its temporary directories', async () => {
    const { proc, info } = await harness(`
      import { mkdtempSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      const { StackChild, ownTempDir } = await import(${JSON.stringify(join(DIST, 'src/stack/index.js'))});
      const child = new StackChild('sleeper', { command: 'sleep', args: ['300'] });
      const dir = mkdtempSync(join(tmpdir(), 'paychaos-orphan-test-'));
      ownTempDir(dir);
      setTimeout(() => console.log(JSON.stringify({ pid: child.pid, dir })), 300);
      setInterval(() => {}, 1000);
    `);
    const pid = info.pid as number;
    const dir = info.dir as string;
    expect(alive(pid)).toBe(true);
    expect(existsSync(dir)).toBe(true);
    proc.kill('SIGKILL');
    expect(await until(() => !alive(pid), 8000)).toBe(true);
    expect(await until(() => !existsSync(dir), 8000)).toBe(true);
  }, 30_000);

  it('the WireMock JVM dies and its port and root directory are freed (the attack of issue #18)', async () => {
    const { proc, info } = await harness(`
      const { startWireMock } = await import(${JSON.stringify(join(DIST, 'simulators/index.js'))});
      const { resolveStubsDir } = await import(${JSON.stringify(join(DIST, 'simulators/index.js'))});
      const { supervisedProcesses } = await import(${JSON.stringify(join(DIST, 'src/stack/index.js'))});
      const wm = await startWireMock({ stubsDir: resolveStubsDir('localwallet'), processes: supervisedProcesses });
      console.log(JSON.stringify({ pid: wm.pid, port: wm.port }));
      setInterval(() => {}, 1000);
    `);
    const pid = info.pid as number;
    const port = info.port as number;
    expect(alive(pid)).toBe(true);
    expect(await portFree(port)).toBe(false);
    proc.kill('SIGKILL');
    expect(await until(() => !alive(pid), 10_000)).toBe(true);
    expect(await until(() => portFree(port), 5000)).toBe(true);
  }, 90_000);
});

describe('the next start sweeps what a dead harness recorded (when its guardian died too)', () => {
  it('kills a recorded group whose harness is gone, and leaves a reused pid running another command alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-records-'));
    const orphan = spawn('sleep', ['301'], { detached: true, stdio: 'ignore' });
    const bystander = spawn('sleep', ['302'], { detached: true, stdio: 'ignore' });
    spawned.push(orphan, bystander);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const leftDir = await mkdtemp(join(tmpdir(), 'paychaos-left-'));
    await writeFile(join(dir, 'a.json'), JSON.stringify({ harnessPid: dead.pid, pgid: orphan.pid, cmdline: 'sleep\u0000301' }));
    // The control: the record says another command, as if the pid had been reused since.
    await writeFile(join(dir, 'b.json'), JSON.stringify({ harnessPid: dead.pid, pgid: bystander.pid, cmdline: 'java\u0000-jar\u0000wiremock.jar' }));
    await writeFile(join(dir, 'c.json'), JSON.stringify({ harnessPid: dead.pid, dir: leftDir }));
    // A record of a harness still alive (this one) is not swept.
    await writeFile(join(dir, 'd.json'), JSON.stringify({ harnessPid: process.pid, pgid: bystander.pid, cmdline: 'sleep\u0000302' }));

    const report = sweepOrphans(dir);
    expect(report.killedGroups).toEqual([orphan.pid]);
    expect(report.removedDirs).toEqual([leftDir]);
    expect(await until(() => !alive(orphan.pid!), 3000)).toBe(true);
    expect(alive(bystander.pid!)).toBe(true);
    expect(existsSync(leftDir)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});
