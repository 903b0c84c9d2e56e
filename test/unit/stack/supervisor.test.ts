import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { isPaychaosError, freePort, listenFastify } from '../../../src/kernel/index.js';
import { Supervisor } from '../../../src/stack/index.js';
import { isListening, portOf } from '../../helpers/ports.js';

/** A child node process that serves HTTP on PORT; CRASH_AFTER_MS makes it die on its own. */
const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on', process.env.PORT));
if (process.env.CRASH_AFTER_MS) setTimeout(() => { console.error('boom: simulated crash'); process.exit(7); }, Number(process.env.CRASH_AFTER_MS));
`;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('stack supervisor', () => {
  it('starts in-process parts on free ports, lists their addresses and frees every port on close', async () => {
    const sup = new Supervisor();
    const a = await sup.start('a', () => listenFastify(Fastify().get('/', async () => 'a')));
    const b = await sup.start('b', () => listenFastify(Fastify().get('/', async () => 'b')));
    expect(a.port).not.toBe(b.port);
    expect(sup.addresses()).toEqual({ a: a.url, b: b.url });
    expect(await isListening(a.port)).toBe(true);
    await sup.close();
    expect(await isListening(a.port)).toBe(false);
    expect(await isListening(b.port)).toBe(false);
  });

  it('spawns a child, waits until it answers, and kills it (and its port) on close', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'paychaos-sup-'));
    const sup = new Supervisor({ logDir });
    const port = await freePort();
    const child = await sup.spawn('echo', { command: process.execPath, args: ['-e', SERVER], env: { PORT: String(port) }, readiness: { http: `http://127.0.0.1:${port}/` }, url: `http://127.0.0.1:${port}` });
    expect(pidAlive(child.pid!)).toBe(true);
    expect(await isListening(port)).toBe(true);
    await sup.close();
    expect(pidAlive(child.pid!)).toBe(false);
    expect(await isListening(port)).toBe(false);
    expect(await readFile(join(logDir, 'echo.log'), 'utf8')).toContain(`listening on ${port}`);
  });

  it('reports a child that crashes after start, with its exit code and last output', async () => {
    const sup = new Supervisor();
    const port = await freePort();
    const crashed = new Promise<{ name: string; description: string }>((resolve) => sup.onCrash((name, description) => resolve({ name, description })));
    await sup.spawn('flaky', { command: process.execPath, args: ['-e', SERVER], env: { PORT: String(port), CRASH_AFTER_MS: '200' }, readiness: { tcp: { host: '127.0.0.1', port } } });
    const report = await crashed;
    expect(report.name).toBe('flaky');
    expect(report.description).toContain('exit code 7');
    expect(report.description).toContain('boom: simulated crash');
    await sup.close(); // closing after a crash is safe
  });

  it('fails fast with a coded error when a child dies before it is ready, and leaves nothing behind', async () => {
    const sup = new Supervisor();
    const port = await freePort();
    const started = Date.now();
    await expect(sup.spawn('dead', { command: process.execPath, args: ['-e', 'process.exit(3)'], readiness: { tcp: { host: '127.0.0.1', port } }, readyTimeoutMs: 10_000 })).rejects.toSatisfy((err: unknown) => isPaychaosError(err, 'PAYCHAOS_ERR_STACK_CHILD_CRASHED'));
    expect(Date.now() - started).toBeLessThan(5000);
    await sup.close();
  });

  it('names the part that would not start, and still closes the parts already started', async () => {
    const sup = new Supervisor();
    const ok = await sup.start('ok', () => listenFastify(Fastify()));
    await expect(sup.start('broken', () => Promise.reject(new Error('EADDRINUSE')))).rejects.toSatisfy((err: unknown) => isPaychaosError(err, 'PAYCHAOS_ERR_STACK_START_FAILED') && (err as Error).message.includes('broken'));
    await sup.close();
    expect(await isListening(portOf(ok.url))).toBe(false);
  });

  it('closes a part that finishes starting after close() began, instead of leaking its port', async () => {
    const sup = new Supervisor();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let url: string | undefined;
    const starting = sup.start('late', async () => {
      await gate;
      const listening = await listenFastify(Fastify());
      url = listening.url;
      return listening;
    });
    const closing = sup.close();
    release();
    await expect(starting).rejects.toSatisfy((err: unknown) => isPaychaosError(err, 'PAYCHAOS_ERR_STACK_START_FAILED'));
    await closing;
    expect(url).toBeDefined();
    expect(await isListening(portOf(url!))).toBe(false);
  });

  it('runs a child whose log file cannot be opened, without an unhandled error', async () => {
    const sup = new Supervisor();
    const port = await freePort();
    const child = await sup.spawn('nolog', { command: process.execPath, args: ['-e', SERVER], env: { PORT: String(port) }, logFile: join(tmpdir(), 'paychaos-no-such-dir', 'x', 'nolog.log'), readiness: { tcp: { host: '127.0.0.1', port } } });
    expect(child.exit).toBeUndefined();
    await sup.close();
    expect(await isListening(port)).toBe(false);
  });

  it('kills a child that ignores SIGTERM once the close timeout passes', async () => {
    const sup = new Supervisor({ closeTimeoutMs: 500 });
    const port = await freePort();
    const stubborn = `process.on('SIGTERM', () => {}); ${SERVER}`;
    const child = await sup.spawn('stubborn', { command: process.execPath, args: ['-e', stubborn], env: { PORT: String(port) }, readiness: { tcp: { host: '127.0.0.1', port } } });
    const started = Date.now();
    await sup.close();
    expect(Date.now() - started).toBeLessThan(4000);
    await new Promise((r) => setTimeout(r, 100));
    expect(pidAlive(child.pid!)).toBe(false);
  });
});
