import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';
import { resultsSchema } from '../../../src/report/index.js';
import { Recorder } from '../../../src/run/index.js';

const tmp = () => mkdtemp(join(tmpdir(), 'paychaos-recorder-'));
const load = { engine: 'builtin' as const, targetRate: 10, achievedRate: 10, scheduledIterations: 3, droppedIterations: 0, maxInFlight: 2, eventLoopLagP99Ms: 1, driverHealthy: true };
const payment = (i: number, outcome: PaymentEvent['outcome'], over: Partial<PaymentEvent> = {}): PaymentEvent => ({
  t: i * 100, variant: 'baseline', provider: 'stripe', outcome, latencyMs: 5 + i, status: outcome === 'succeeded' ? 201 : 402, orderId: `o${i}`, idempotencyKey: `k${i}`,
  ...(outcome === 'failed' ? { errorCode: 'card_declined' as const } : {}), ...over,
});
const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const open = (outDir: string) => Recorder.open({ outDir, runId: 'r-1', scenario: 'unit', paychaosVersion: '0.0.0', header: { engine: 'builtin', targetRate: 10 } });

describe('the recorder, the one event sink of a run', () => {
  it('streams a run header, one line per payment, fault, crash and phase, and an end line, in order', async () => {
    const dir = await tmp();
    const recorder = await open(dir);
    recorder.phase('drive');
    recorder.payment(payment(1, 'succeeded'));
    recorder.fault({ id: 'slow', type: 'latency', layer: 'network', target: 'stripe', startS: 0.21, plannedAtS: 0.2, plannedForS: 1 });
    recorder.payment(payment(2, 'failed'));
    recorder.fault({ id: 'slow', type: 'latency', layer: 'network', target: 'stripe', startS: 0.21, endS: 1.2, plannedAtS: 0.2, plannedForS: 1 });
    recorder.crash({ part: 'gateway-baseline', atS: 1.5, message: 'exited with code 137', exitCode: 137 });
    const results = recorder.results({ startedAt: new Date(0), endedAt: new Date(2000), durationS: 2, status: 'completed', load });
    await recorder.finish(results, { abortedInFlight: 0 });

    const events = await lines(join(dir, 'events.jsonl'));
    expect(events.map((e) => e.type)).toEqual(['run', 'phase', 'payment', 'fault', 'payment', 'fault', 'crash', 'end']);
    expect(events[0]).toMatchObject({ type: 'run', runId: 'r-1', scenario: 'unit', engine: 'builtin', targetRate: 10 });
    expect(events[2]).toMatchObject({ type: 'payment', orderId: 'o1', outcome: 'succeeded', provider: 'stripe' });
    // The fault's own type does not overwrite the line's.
    expect(events[3]).toMatchObject({ type: 'fault', faultType: 'latency', id: 'slow', startS: 0.21 });
    expect(events[3]).not.toHaveProperty('endS');
    expect(events[5]).toMatchObject({ type: 'fault', id: 'slow', endS: 1.2 });
    expect(events[7]).toMatchObject({ type: 'end', runId: 'r-1', status: 'completed', abortedInFlight: 0 });
  });

  it('builds results from what it recorded: aggregates, one fault record per step, and writes a valid results.json', async () => {
    const dir = await tmp();
    const recorder = await open(dir);
    for (let i = 0; i < 4; i++) recorder.payment(payment(i, i === 3 ? 'failed' : 'succeeded'));
    recorder.fault({ id: 'cut', type: 'down', layer: 'network', target: 'stripe', startS: 1, plannedAtS: 1 });
    recorder.fault({ id: 'cut', type: 'down', layer: 'network', target: 'stripe', startS: 1, endS: 2.5, plannedAtS: 1 });
    recorder.fault({ id: 'bad', type: 'latency', layer: 'network', target: 'nowhere', startS: 3, endS: 3, plannedAtS: 3, error: 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET: no proxy' });
    const results = recorder.results({ startedAt: new Date(0), endedAt: new Date(4000), durationS: 4, status: 'completed', load });
    await recorder.finish(results);

    expect(results.variants.baseline).toMatchObject({ requests: 4, succeeded: 3, failed: 1, errorCodes: { card_declined: 1 } });
    expect(results.faults).toEqual([
      { id: 'cut', type: 'down', layer: 'network', target: 'stripe', startS: 1, endS: 2.5, plannedAtS: 1 },
      { id: 'bad', type: 'latency', layer: 'network', target: 'nowhere', startS: 3, endS: 3, plannedAtS: 3, error: 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET: no proxy' },
    ]);
    const written = resultsSchema.parse(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')));
    expect(written).toEqual(results);
    expect(written).toMatchObject({ runId: 'r-1', scenario: 'unit', paychaosVersion: '0.0.0' });
  });

  it('lets the end name the scenario the samples carried (k6 output), overriding its own', async () => {
    const recorder = await open(await tmp());
    recorder.payment(payment(1, 'succeeded'));
    expect(recorder.results({ scenario: 'peak+smoke', startedAt: new Date(0), endedAt: new Date(1), durationS: 1, status: 'completed', load }).scenario).toBe('peak+smoke');
    await recorder.close();
  });

  it('feeds placed orders to ground truth: an order sent but never answered is still known, and asked about', async () => {
    const recorder = await open(await tmp());
    recorder.placing({ orderId: 'o7', provider: 'alipay', variant: 'baseline', amount: 1000, currency: 'cny', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan);
    recorder.placing({ orderId: 'o8', provider: 'alipay', variant: 'canary', amount: 1000, currency: 'cny', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan);
    recorder.payment(payment(8, 'succeeded', { orderId: 'o8', provider: 'alipay', variant: 'canary', providerPaymentId: 'T8', providerReference: 'o8' }));
    expect(recorder.orders.unanswered()).toEqual([{ variant: 'baseline', provider: 'alipay', orderId: 'o7' }]);
    await recorder.close();
  });

  it('keeps a previous run\'s files as *.previous, and closing twice is harmless', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'results.json'), '{"old":true}\n');
    const recorder = await open(dir);
    await recorder.close();
    await recorder.close();
    expect(JSON.parse(await readFile(join(dir, 'results.json.previous'), 'utf8'))).toEqual({ old: true });
    expect((await lines(join(dir, 'events.jsonl')))[0]).toMatchObject({ type: 'run' });
  });
});
