import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStack, runScenario, type BuiltStack } from '../../../src/run/index.js';
import { checkScenario, toRunSpec } from '../../../src/scenario/index.js';

/**
 * `--target URL`: the run drives a gateway it did not start (here a reference gateway with its
 * own Stripe simulator, standing in for a user's), checks it is up, and leaves it running.
 */
describe('a run against a gateway at a URL (--target)', () => {
  let external: BuiltStack | undefined;
  afterAll(async () => external?.close());

  it('drives the target, judges its answers, and does not stop it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-target-'));
    external = await buildStack({ providers: ['stripe'], seed: 5, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'theirs' } }] }, { runId: 'external', outDir: join(dir, 'external') });
    const url = external.systems.baseline!.url;
    const checked = checkScenario({
      name: 'target-test',
      load: { executor: 'constant-arrival-rate', rate: 20, duration: '2s' },
      expect: { thresholds: { success_rate: ['rate>=0.7'], requests: ['count>=30'] } },
    });
    const outcome = await runScenario(toRunSpec(checked.scenario!, { paychaosVersion: '0.0.0-test', outDir: join(dir, 'run'), target: url }));
    expect(outcome.exitCode, JSON.stringify(outcome.results.assertions)).toBe(0);
    expect(outcome.results.stack?.['gateway-baseline']).toBe(url);
    expect(outcome.results.variants.baseline!.requests).toBeGreaterThanOrEqual(30);
    // Its providers are not this run's: the ledgers it read prove nothing, and say so.
    expect(outcome.results.invariants.length).toBeGreaterThan(0);
    for (const i of outcome.results.invariants) expect(i.notEvaluated).toMatch(/--attach/);
    // Not ours to stop: it still answers.
    const health = await request(`${url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  }, 60_000);
});
