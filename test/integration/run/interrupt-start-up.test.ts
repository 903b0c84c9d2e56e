import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trafficConfig } from '../../../src/load/index.js';
import { resultsSchema } from '../../../src/report/index.js';
import { newRunId, runScenario, type RunSpec } from '../../../src/run/index.js';

const listeningServers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

function spec(out: string, providers: string[]): RunSpec {
  const runId = newRunId('startint');
  return {
    runId,
    scenario: 'startup-interrupt',
    outDir: out,
    paychaosVersion: '0.0.0-test',
    stack: { providers, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline' } }, { variant: 'canary', mode: 'in-process', config: { variant: 'canary' } }] },
    load: { engine: 'builtin', rate: 50, durationMs: 20_000, maxInFlight: 50, traffic: trafficConfig({ runId, seed: 1 }) },
  };
}

describe('Ctrl-C during start-up (issue #18 item 3)', () => {
  it('starts nothing more, never drives, tears down what started, and ends interrupted (130)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-startup-int-'));
    const before = listeningServers();
    const interrupt = new AbortController();
    let started = false;
    // WireMock's JVM takes seconds to answer: the interrupt lands while it is starting.
    setTimeout(() => interrupt.abort(), 300).unref();
    const t0 = performance.now();
    const outcome = await runScenario(spec(out, ['stripe', 'wiremock:localwallet', 'adyen']), {
      signal: interrupt.signal,
      onStarted: () => {
        started = true;
      },
    });
    expect(started).toBe(false);
    expect(outcome.exitCode).toBe(130);
    expect(outcome.results.status).toBe('interrupted');
    expect(outcome.results.load.scheduledIterations).toBe(0);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(listeningServers()).toBe(before);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.status).toBe('interrupted');
    // No phase after the stack: the steady-state check and the drive never began.
    const phases = (await readFile(join(out, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; name?: string })
      .filter((e) => e.type === 'phase')
      .map((e) => e.name);
    expect(phases).toEqual(['stack']);
  }, 60_000);

  it('an interrupt after the stack is up but before the load stops before driving', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-startup-int-'));
    const interrupt = new AbortController();
    const outcome = await runScenario(spec(out, ['stripe']), {
      signal: interrupt.signal,
      // The stack is up: Ctrl-C now must not start the load.
      onStarted: () => interrupt.abort(),
    });
    expect(outcome.exitCode).toBe(130);
    expect(outcome.results.load.scheduledIterations).toBe(0);
    expect(outcome.results.variants.baseline).toBeUndefined();
  }, 60_000);
});
