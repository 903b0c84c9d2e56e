import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { trafficConfig } from '../../../src/load/index.js';
import { runScenario } from '../../../src/run/index.js';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { isListening, portOf } from '../../helpers/ports.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `paychaos proxy` processes this test process started (children of it, whatever their state). */
function proxyChildren(): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === process.pid && f.includes('proxy') && f.includes('--proxy-metrics'))
    .map((f) => Number(f[0]));
}

async function gone(pid: number, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

const proxyPid = (stack: StartedProviderStack): number => stack.processes().find((p) => p.name === 'toxiproxy')!.pid!;

describe('the embedded proxy as its own process (simulators placed as children)', () => {
  const open: StartedProviderStack[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  it('runs out of the harness process, is driven over its Toxiproxy API, and leaves no process or port on close', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'paychaos-proxy-child-'));
    const stack = await startProviderStack({ providers: ['stripe'], seed: 1, placement: 'child', logDir });
    open.push(stack);
    const pid = proxyPid(stack);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(alive(pid)).toBe(true);
    // The helper the leak checks rely on sees it while it runs.
    expect(proxyChildren()).toEqual([pid]);
    // The control plane talks to it as to a real Toxiproxy: over HTTP, no server of its own.
    expect(stack.chaos.embedded).toBe(false);
    const version = await request(`${stack.chaos.url}/version`);
    expect(version.statusCode).toBe(200);
    await version.body.dump();

    // Traffic goes through the child's proxy, and a fault set over the API reaches it.
    const stripe = stack.providers.stripe!;
    const timed = async (): Promise<number> => {
      const started = performance.now();
      const res = await request(`${stripe.url}/__sim/health`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      return performance.now() - started;
    };
    await timed();
    const fault = await stack.chaos.applyFault({ type: 'latency', target: stripe.proxy, latencyMs: 200 });
    expect(await timed()).toBeGreaterThan(190);
    await fault.remove();

    const apiPort = portOf(stack.chaos.url);
    const proxyPort = portOf(stripe.url);
    await stack.close();
    open.length = 0;
    expect(await gone(pid)).toBe(true);
    expect(await isListening(apiPort)).toBe(false);
    expect(await isListening(proxyPort)).toBe(false);
    expect(proxyChildren()).toEqual([]);
  }, 60_000);

  it('reports a crash of the proxy child like any part, and still tears the rest down', async () => {
    const crashes: Array<{ name: string; description: string }> = [];
    const stack = await startProviderStack({ providers: ['stripe'], seed: 1, placement: 'child', onCrash: (name, description) => crashes.push({ name, description }) });
    open.push(stack);
    const pid = proxyPid(stack);
    const simulatorPid = stack.providers.stripe!.simulator.pid!;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (crashes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({ name: 'toxiproxy' });
    expect(crashes[0]!.description).toMatch(/SIGKILL/);
    // Teardown with its proxy gone: bounded, and nothing left.
    const started = performance.now();
    await stack.close();
    open.length = 0;
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(await gone(simulatorPid)).toBe(true);
    expect(proxyChildren()).toEqual([]);
  }, 60_000);

  it('is stopped when start-up ends after it was spawned (Ctrl-C before the first simulator)', async () => {
    // Read once before the proxy starts (not yet aborted), then aborted: start-up stops right
    // after the proxy child is up, before any simulator.
    let reads = 0;
    const signal = { get aborted() {
      return reads++ > 0;
    } } as unknown as AbortSignal;
    const err = await startProviderStack({ providers: ['stripe'], seed: 1, placement: 'child', signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_STACK_START_FAILED', details: { part: 'stripe', interrupted: true } });
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(proxyChildren()).toEqual([]);
  }, 60_000);

  it('is its own part in results.parts: the harness no longer carries the proxy', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-proxy-parts-'));
    const runId = 'proxy-parts';
    const { results } = await runScenario({
      runId,
      scenario: 'proxy-parts',
      outDir: out,
      paychaosVersion: '0.0.0-test',
      stack: { providers: ['stripe'], seed: 2, simulators: 'child', systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
      load: { engine: 'builtin', rate: 50, durationMs: 1000, maxInFlight: 100, traffic: trafficConfig({ runId, seed: 3 }) },
    });
    const names = (results.parts ?? []).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['harness', 'toxiproxy', 'stripe']));
    const proxy = results.parts!.find((p) => p.name === 'toxiproxy')!;
    expect(proxy.pid).not.toBe(process.pid);
    // Every payment's bytes went through it: it used some CPU of its own.
    expect(proxy.cpuS).toBeGreaterThan(0);
    expect(results.variants.baseline!.requests).toBeGreaterThan(30);
    expect(proxyChildren()).toEqual([]);
  }, 60_000);
});
