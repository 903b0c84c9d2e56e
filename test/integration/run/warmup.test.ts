import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trafficConfig } from '../../../src/load/index.js';
import { runScenario, type RunSpec } from '../../../src/run/index.js';
import { checkScenario, toRunSpec } from '../../../src/scenario/index.js';

const ONLY_PAY = { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 };
const WARMUP_DELAY_MS = 300;

/**
 * A gateway of "your own" that is slow only for warm-up shoppers (their order ids carry
 * `-warmup-`): the cold start the warm-up phase exists to keep out of the measured figures,
 * made deliberate so the difference shows.
 */
async function coldStartGateway(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') return void res.end('ok');
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/payments') {
        res.writeHead(404).end();
        return;
      }
      const { orderId } = JSON.parse(body) as { orderId: string };
      const answer = JSON.stringify({ paymentId: `pay_${orderId}`, orderId, status: 'succeeded', provider: 'stripe', variant: 'baseline' });
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end(answer), orderId.includes('-warmup-') ? WARMUP_DELAY_MS : 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the warm-up phase', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('keeps slow warm-up payments out of the measured p99 and thresholds, and reports them apart', async () => {
    const gw = await coldStartGateway();
    servers.push(gw.server);
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-warmup-'));
    const checked = checkScenario({
      name: 'warmup-test',
      load: { executor: 'constant-arrival-rate', rate: 40, duration: '1s', warmup: '1s', behaviours: ONLY_PAY },
      expect: { thresholds: { 'latency{variant:baseline}': ['p(99)<150'] } },
    });
    expect(checked.problems).toEqual([]);
    const outcome = await runScenario(toRunSpec(checked.scenario!, { paychaosVersion: '0.0.0-test', outDir: dir, target: gw.url }));
    const { results } = outcome;

    // Reported apart: a ramp to 40/s and then 40/s until its latency settled, every payment slow.
    expect(results.warmup).toBeDefined();
    expect(results.warmup!.requests).toBeGreaterThanOrEqual(35);
    expect(results.warmup!.targetRate).toBe(40);
    expect(results.warmup!.latencyMs.p50).toBeGreaterThanOrEqual(WARMUP_DELAY_MS);
    // The measured window: ~40 fast payments. Warm-up payments are half of all sent, so had any
    // of them been counted, the measured p99 would be ≥ 300 ms and the threshold red.
    const baseline = results.variants.baseline!;
    expect(baseline.requests).toBeGreaterThanOrEqual(35);
    expect(baseline.requests).toBeLessThanOrEqual(45);
    expect(baseline.latencyMs.p99).toBeLessThan(150);
    expect(results.assertions.find((a) => a.name.includes('p(99)<150'))).toMatchObject({ passed: true });
    expect(outcome.exitCode, JSON.stringify(results.assertions)).toBe(0);
    // Not in the timeline or the exemplars either.
    expect(results.timeline.reduce((n, b) => n + b.requests, 0)).toBe(baseline.requests);
    expect((results.exemplars?.slowest ?? []).every((e) => !e.orderId.includes('-warmup-'))).toBe(true);

    // Kept in events.jsonl, marked.
    const lines = (await readFile(outcome.eventsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const warm = lines.filter((l) => l.type === 'payment' && l.phase === 'warmup');
    expect(warm).toHaveLength(results.warmup!.requests);
    expect(warm.every((l) => String(l.orderId).includes('-warmup-'))).toBe(true);
    // No gap in the arrivals: the measured window opened when the warm-up's last arrival was
    // released, not after its last (300 ms) answer came back.
    const phaseAt = (name: string): number => Date.parse(String(lines.find((l) => l.type === 'phase' && l.name === name)!.at));
    const gapMs = phaseAt('drive') - phaseAt('warmup');
    const warmupMs = results.warmup!.durationS * 1000;
    expect(warmupMs).toBeGreaterThanOrEqual(1000);
    expect(gapMs).toBeGreaterThanOrEqual(warmupMs - 10);
    expect(gapMs).toBeLessThan(warmupMs + WARMUP_DELAY_MS - 50);
    // …and the warm-up's stragglers, answered after it opened, are still the warm-up's.
    const driveLine = lines.findIndex((l) => l.type === 'phase' && l.name === 'drive');
    expect(lines.findLastIndex((l) => l.phase === 'warmup')).toBeGreaterThan(driveLine);
  }, 60_000);

  /** Warm-up 1 s and a measured 0.3 s at 20/s; every shopper pays, then retries the same order under a new key. */
  async function moneyRun(runId: string, skipOrderGuard: boolean) {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-warmup-money-'));
    const spec: RunSpec = {
      runId,
      scenario: 'warmup-money',
      outDir: dir,
      paychaosVersion: '0.0.0-test',
      stack: { providers: ['stripe'], seed: 4, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test', regression: { skipOrderGuard, seed: 1 } } }] },
      load: {
        engine: 'builtin',
        rate: 20,
        durationMs: 300,
        warmupMs: 1000,
        maxInFlight: 100,
        traffic: trafficConfig({ runId, seed: 9, behaviours: { ...ONLY_PAY, pay: 0, new_key_retry: 1 }, duplicateAfter: { minMs: 20, maxMs: 50 } }),
      },
    };
    return (await runScenario(spec)).results;
  }

  it('still judges warm-up orders: every charge of a warm-up order is accounted for by a placed order', async () => {
    // The order guard on: each retry is answered with the first charge, so the money holds — and
    // it can only hold if the warm-up's orders are in ground truth: a charge no placed order
    // accounts for turns captures-within-orders red.
    const results = await moneyRun('warmup-clean', false);
    expect(results.warmup!.requests).toBeGreaterThan(0);
    for (const i of results.invariants) expect(i.passed, `${i.name}: ${JSON.stringify(i.violations.slice(0, 2))}`).toBe(true);
    const captures = results.invariants.find((i) => i.name === 'captures-within-orders')!;
    // ~20 warm-up orders and ~6 measured ones, each with its payment judged.
    expect(captures.checked).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it('a double charge during warm-up turns no-double-charge red', async () => {
    // The order guard off (the double-charge bug): each retry under a new key is charged again.
    const results = await moneyRun('warmup-money', true);
    const noDouble = results.invariants.find((i) => i.name === 'no-double-charge')!;
    expect(noDouble.passed).toBe(false);
    const warmOrders = noDouble.violations.filter((v) => v.orderId.startsWith('warmup-money-warmup-'));
    expect(warmOrders.length).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
