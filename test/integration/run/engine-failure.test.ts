import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { trafficConfig } from '../../../src/load/index.js';
import { resultsSchema } from '../../../src/report/index.js';
import { newRunId, runScenario, type RunSpec } from '../../../src/run/index.js';

const listeningServers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

describe('a run whose stack will not start', () => {
  it('tears down what had started, writes results.json as failed, and throws the coded error', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-engine-failure-'));
    const runId = newRunId('failure');
    const spec: RunSpec = {
      runId,
      scenario: 'failure-test',
      outDir: out,
      paychaosVersion: '0.0.0-test',
      // stripe and the embedded Toxiproxy start; the second provider does not exist.
      stack: { providers: ['stripe', 'no-such-provider'], systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline' } }] },
      load: { engine: 'builtin', rate: 10, durationMs: 1000, maxInFlight: 10, traffic: trafficConfig({ runId, seed: 1 }) },
    };
    const before = listeningServers();
    const error = await runScenario(spec).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isPaychaosError(error) && error.code).toBe('PAYCHAOS_ERR_PROVIDER_UNKNOWN');
    // No simulator, proxy or Toxiproxy API left listening.
    expect(listeningServers()).toBe(before);

    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results).toMatchObject({ runId, status: 'failed', invariants: [], assertions: [], faults: [] });
    expect(results.load.driverHealthy).toBe(false);
    const events = (await readFile(join(out, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string });
    expect(events[0]!.type).toBe('run');
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'failed' });
  }, 60_000);
});
