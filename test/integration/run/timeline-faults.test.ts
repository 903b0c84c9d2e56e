import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeline } from '../../../src/chaos/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { trafficConfig } from '../../../src/load/index.js';
import { resultsSchema } from '../../../src/report/index.js';
import { newRunId, runScenario, type RunSpec } from '../../../src/run/index.js';

/**
 * The engine plays real timelines: steps from the fault-step registry (src/chaos), through the
 * real player, on the real stack (a Stripe simulator behind the embedded Toxiproxy, the
 * reference gateway in-process). What a step does must show in what was measured.
 */
function spec(outDir: string, timeline: unknown[], durationMs = 2500): RunSpec {
  const runId = newRunId('timeline');
  return {
    runId,
    scenario: 'timeline-test',
    outDir,
    paychaosVersion: '0.0.0-test',
    stack: { providers: ['stripe'], seed: 7, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
    load: {
      engine: 'builtin',
      rate: 30,
      durationMs,
      maxInFlight: 100,
      // Every shopper pays once, and only good cards: whatever else is measured is the steps' doing.
      traffic: trafficConfig({ runId, seed: 7, mix: 'cards', behaviours: { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 }, duplicateAfter: { minMs: 50, maxMs: 100 } }),
    },
    timeline: parseTimeline(timeline),
  };
}

interface Line {
  type: string;
  id?: string;
  endS?: number;
  t?: number;
  behaviour?: string;
  latencyMs?: number;
}

async function lines(path: string): Promise<Line[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
}

describe('a run with a fault timeline', () => {
  it('plays a network step and a client step on the real stack: both show in the measured events and in results.faults', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-timeline-'));
    const outcome = await runScenario(
      spec(out, [
        { id: 'slow-stripe', type: 'latency', target: 'stripe', at: '500ms', for: '800ms', latencyMs: 250 },
        { id: 'new-keys', type: 'duplicate-submit', target: 'shoppers', at: '1500ms', for: '600ms', key: 'new', share: 1 },
      ]),
    );
    expect(outcome.results.status).toBe('completed');
    const faults = outcome.results.faults;
    expect(faults.map((f) => f.id)).toEqual(['slow-stripe', 'new-keys']);
    const [slow, keys] = faults;
    expect(slow).toMatchObject({ type: 'latency', layer: 'network', target: 'stripe', plannedAtS: 0.5, plannedForS: 0.8 });
    expect(keys).toMatchObject({ type: 'duplicate-submit', layer: 'client', target: 'shoppers', plannedAtS: 1.5, plannedForS: 0.6 });
    for (const f of faults) {
      expect(f).not.toHaveProperty('error');
      // Actual times, with room for a loaded machine: no earlier than planned, about as long.
      expect(f.startS).toBeGreaterThanOrEqual(f.plannedAtS);
      expect(f.startS).toBeLessThan(f.plannedAtS + 0.5);
      expect(f.endS - f.startS).toBeGreaterThan(f.plannedForS! - 0.05);
      expect(f.endS - f.startS).toBeLessThan(f.plannedForS! + 1);
    }

    const events = await lines(outcome.eventsPath);
    const payments = events.filter((e) => e.type === 'payment');
    // The network step: payments scheduled well inside its window waited at least the 250 ms it added.
    const inside = payments.filter((p) => p.t! >= slow!.startS * 1000 + 50 && p.t! <= slow!.endS * 1000 - 300);
    const before = payments.filter((p) => p.t! < slow!.startS * 1000 - 300);
    expect(inside.length).toBeGreaterThan(5);
    expect(inside.every((p) => p.latencyMs! >= 250)).toBe(true);
    expect(before.length).toBeGreaterThan(5);
    // (the very first payments may be slow while a cold process warms up: most, not all)
    expect(before.filter((p) => p.latencyMs! < 250).length).toBeGreaterThan(before.length * 0.6);
    // The client step: every shopper planned while it was active resubmitted under a new key,
    // and none outside it did (base behaviours are all plain payments).
    const newKey = payments.filter((p) => p.behaviour === 'new_key');
    expect(newKey.length).toBeGreaterThan(5);
    for (const p of newKey) {
      expect(p.t!).toBeGreaterThanOrEqual(keys!.startS * 1000 - 50);
      expect(p.t!).toBeLessThanOrEqual(keys!.endS * 1000 + 200);
    }
    // The reference gateway's order guard held: a resubmit under a new key charged nothing twice.
    expect(outcome.results.invariants.find((i) => i.name === 'no-double-charge')).toMatchObject({ passed: true });

    const written = resultsSchema.parse(JSON.parse(await readFile(outcome.resultsPath, 'utf8')));
    expect(written.faults).toEqual(faults);
    const slowLines = events.filter((e) => e.type === 'fault' && e.id === 'slow-stripe');
    expect(slowLines.map((e) => e.endS === undefined)).toEqual([true, false]);
  }, 60_000);

  it('undoes a step still active when the run is interrupted, and records its end', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-timeline-'));
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 800).unref();
    const outcome = await runScenario(spec(out, [{ id: 'down-long', type: 'down', target: 'stripe', at: '200ms' }], 5000), { signal: interrupt.signal, interruptGraceMs: 100 });
    expect(outcome.results.status).toBe('interrupted');
    expect(outcome.exitCode).toBe(130);
    const [fault] = outcome.results.faults;
    expect(fault).toMatchObject({ id: 'down-long', type: 'down', plannedAtS: 0.2 });
    expect(fault).not.toHaveProperty('plannedForS');
    expect(fault).not.toHaveProperty('error');
    // Undone at teardown, after it began: a real window, not a zero-length placeholder.
    expect(fault!.endS).toBeGreaterThan(fault!.startS);
  }, 60_000);

  it('refuses a step whose target does not exist before anything is applied, as a coded error, with results written', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-timeline-'));
    const err = await runScenario(spec(out, [{ type: 'latency', target: 'nowhere', at: '100ms', latencyMs: 10 }])).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET')).toBe(true);
    expect((err as Error).message).toContain('timeline[0].target');
    const written = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(written.status).toBe('failed');
    expect(written.faults).toEqual([]);
  }, 60_000);
});
