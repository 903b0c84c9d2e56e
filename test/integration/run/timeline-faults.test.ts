import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkFaultInput } from '../../../src/chaos/index.js';
import { trafficConfig } from '../../../src/load/index.js';
import { resultsSchema } from '../../../src/report/index.js';
import { newRunId, runScenario, type FaultContext, type PlannedStep, type PlayTimeline, type RunSpec } from '../../../src/run/index.js';

/**
 * A network fault step and a timeline player of the agreed interface (issue #10: FaultStep's
 * `apply(params, ctx)` returning an idempotent undo; `playTimeline(steps, ctx, { onStart, onEnd })`
 * with a `stop()` that undoes what is still active), written small here so the engine's side —
 * the context it builds, what it records — is tested on its own. The fault-step registry in
 * src/chaos replaces both.
 */
type Step = PlannedStep & { readonly params: NetworkFaultInput; readonly undoFails?: boolean };

async function applyNetwork(step: Step, ctx: FaultContext): Promise<() => Promise<void>> {
  const fault = await ctx.network.applyFault(step.params);
  let undone: Promise<void> | undefined;
  return () =>
    (undone ??= fault.remove().then(() => {
      if (step.undoFails) throw new Error('the proxy went away while undoing');
    }));
}

const play: PlayTimeline<Step> = (steps, ctx, hooks) => {
  const t0 = ctx.clock.now();
  const active = new Map<Step, () => Promise<void>>();
  const timers: Array<{ cancel(): void }> = [];
  const end = async (step: Step): Promise<unknown> => {
    const undo = active.get(step);
    if (!undo) return undefined;
    active.delete(step);
    let error: unknown;
    await undo().catch((err: unknown) => void (error = err));
    hooks.onEnd(step, ctx.clock.now() - t0, error);
    return error;
  };
  for (const step of steps) {
    timers.push(
      ctx.clock.schedule(step.atMs, () => {
        applyNetwork(step, ctx).then(
          (undo) => {
            active.set(step, undo);
            hooks.onStart(step, ctx.clock.now() - t0);
            if (step.forMs !== undefined) timers.push(ctx.clock.schedule(step.forMs, () => void end(step)));
          },
          (err: unknown) => hooks.onEnd(step, ctx.clock.now() - t0, err),
        );
      }),
    );
  }
  return {
    async stop() {
      for (const t of timers) t.cancel();
      const errors = (await Promise.all([...active.keys()].map(end))).filter((e) => e !== undefined);
      if (errors.length) throw new Error(`${errors.length} step(s) could not be undone`);
    },
  };
};

function spec(outDir: string, steps: Step[]): RunSpec {
  const runId = newRunId('timeline');
  return {
    runId,
    scenario: 'timeline-test',
    outDir,
    paychaosVersion: '0.0.0-test',
    stack: { providers: ['stripe'], seed: 7, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
    load: { engine: 'builtin', rate: 20, durationMs: 2000, maxInFlight: 50, traffic: trafficConfig({ runId, seed: 7, mix: 'cards' }) },
    timeline: { steps, play: play as PlayTimeline<PlannedStep> },
  };
}

describe('a run with a fault timeline', () => {
  it('fills results.faults with what the control plane actually did, and the fault shows in what was measured', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-timeline-'));
    const slow: Step = { id: 'slow-stripe', type: 'latency', layer: 'network', target: 'stripe', atMs: 300, forMs: 800, params: { type: 'latency', target: 'stripe', latencyMs: 250 } };
    // A step the control plane refuses (no such proxy): recorded with its error, the run goes on.
    const wrong: Step = { id: 'no-such-proxy', type: 'latency', layer: 'network', target: 'nowhere', atMs: 100, forMs: 200, params: { type: 'latency', target: 'nowhere', latencyMs: 10 } };
    const outcome = await runScenario(spec(out, [slow, wrong]));

    expect(outcome.results.status).toBe('completed');
    const faults = outcome.results.faults;
    expect(faults).toHaveLength(2);
    const [first, second] = faults;
    expect(first).toMatchObject({ id: 'no-such-proxy', type: 'latency', layer: 'network', target: 'nowhere', plannedAtS: 0.1, plannedForS: 0.2, error: expect.stringContaining('PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET') });
    expect(first!.endS).toBe(first!.startS);
    expect(second).toMatchObject({ id: 'slow-stripe', type: 'latency', layer: 'network', target: 'stripe', plannedAtS: 0.3, plannedForS: 0.8 });
    expect(second).not.toHaveProperty('error');
    // Actual times, with room for a loaded machine: it started no earlier than planned, and lasted about as long.
    expect(second!.startS).toBeGreaterThanOrEqual(0.3);
    expect(second!.startS).toBeLessThan(1.3);
    expect(second!.endS - second!.startS).toBeGreaterThan(0.7);
    expect(second!.endS - second!.startS).toBeLessThan(2);
    // Requests sent while the proxy delayed stripe's answers took at least the 250 ms it added.
    expect(outcome.results.variants.baseline!.latencyMs.max).toBeGreaterThanOrEqual(250);

    const written = resultsSchema.parse(JSON.parse(await readFile(outcome.resultsPath, 'utf8')));
    expect(written.faults).toEqual(faults);
    const events = (await readFile(outcome.eventsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; endS?: number });
    const slowLines = events.filter((e) => e.type === 'fault' && e.id === 'slow-stripe');
    expect(slowLines.map((e) => e.endS === undefined)).toEqual([true, false]);
  }, 60_000);

  it('undoes a step still active when the run ends early, and records its end', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-timeline-'));
    const forever: Step = { id: 'down-long', type: 'down', layer: 'network', target: 'stripe', atMs: 200, params: { type: 'down', target: 'stripe' } };
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 800).unref();
    const outcome = await runScenario(spec(out, [forever]), { signal: interrupt.signal, interruptGraceMs: 100 });
    expect(outcome.results.status).toBe('interrupted');
    expect(outcome.exitCode).toBe(130);
    const [fault] = outcome.results.faults;
    expect(fault).toMatchObject({ id: 'down-long', type: 'down', plannedAtS: 0.2 });
    expect(fault).not.toHaveProperty('plannedForS');
    // Undone at teardown, after it began: a real window, not a zero-length placeholder.
    expect(fault!.endS).toBeGreaterThan(fault!.startS);
  }, 60_000);

  it('records a step that could not be undone with its error, and the run still completes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-timeline-'));
    const sticky: Step = { id: 'sticky', type: 'latency', layer: 'network', target: 'stripe', atMs: 100, params: { type: 'latency', target: 'stripe', latencyMs: 5 }, undoFails: true };
    const outcome = await runScenario({ ...spec(out, [sticky]), load: { ...spec(out, []).load, durationMs: 600 } });
    expect(outcome.results.status).toBe('completed');
    expect(outcome.results.faults).toEqual([expect.objectContaining({ id: 'sticky', error: 'the proxy went away while undoing' })]);
    const events = (await readFile(outcome.eventsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; name?: string; message?: string });
    expect(events.find((e) => e.type === 'phase' && e.name === 'timeline-stop-failed')).toMatchObject({ message: '1 step(s) could not be undone' });
  }, 60_000);
});
