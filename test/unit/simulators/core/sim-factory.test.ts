import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATORS, SIMULATOR_NAMES, startSimulator } from '../../../../simulators/index.js';
import { PROVIDERS } from '../../../../src/conventions/index.js';

/**
 * The one start-up every simulator shares (simulators/core/sim-factory.ts): listen, clock, keys,
 * logger, close — and its logs: NDJSON with runId, provider and the caller's trace id, through
 * the redacting logger, flushed to the file before close() resolves.
 */
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const KEY = 'sk_test_factoryKey0123456789';

async function lines(file: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the simulator factory', () => {
  it('every registered simulator has a provider descriptor', () => {
    for (const name of SIMULATOR_NAMES) expect(PROVIDERS[name]?.simulator).toBe('native');
    expect(Object.keys(SIMULATORS).sort()).toEqual(Object.values(PROVIDERS).filter((d) => d.simulator === 'native').map((d) => d.name).sort());
  });

  it.each(SIMULATOR_NAMES.map((n) => [n]))('%s: logs listen, each request with runId, provider and trace id, and close, to its file', async (name) => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-sim-log-'));
    dirs.push(dir);
    const file = join(dir, `${name}.log`);
    const sim = await startSimulator(name, { seed: 7, log: { level: 'trace', runId: 'run-42', file } });
    const res = await fetch(`${sim.url}/no/such/route`, { headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, authorization: `Bearer ${KEY}` } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    await sim.close();
    const text = await readFile(file, 'utf8');
    const logged = await lines(file);
    expect(logged.every((l) => l.runId === 'run-42' && l.provider === name)).toBe(true);
    expect(logged.map((l) => l.msg)).toEqual(expect.arrayContaining(['simulator listening', 'request received', 'response', 'request', 'simulator closed']));
    const request = logged.find((l) => l.msg === 'request' && l.method === 'GET');
    expect(request).toMatchObject({ traceId: TRACE, url: '/no/such/route', level: 20 });
    // The trace line carried the Authorization header: redacted, the key nowhere in the file.
    expect(text).not.toContain(KEY);
    expect(text).toContain('[REDACTED]');
  });

  it('the control: the same request logged by a plain pino logger would have carried the key', async () => {
    const { pino } = await import('pino');
    const chunks: string[] = [];
    pino({ level: 'trace' }, { write: (s: string) => chunks.push(s) }).trace({ headers: { authorization: `Bearer ${KEY}` } }, 'request');
    expect(chunks.join('')).toContain(KEY);
  });

  it('without log options a simulator stays quiet and still serves', async () => {
    const sim = await startSimulator('stripe', { seed: 1 });
    try {
      expect(sim.kind === 'native' && sim.logger.level).toBe(process.env.PAYCHAOS_LOG_LEVEL ?? 'silent');
      expect((await fetch(`${sim.url}/__sim/health`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('serves /__sim/keys through the factory for the providers with merchant keys', async () => {
    for (const name of ['alipay', 'wechatpay', 'paypal'] as const) {
      const sim = await startSimulator(name, { seed: 3 });
      try {
        expect((await fetch(`${sim.url}/__sim/keys`)).status).toBe(200);
      } finally {
        await sim.close();
      }
    }
  });
});
