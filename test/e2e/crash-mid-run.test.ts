import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trafficConfig } from '../../src/load/index.js';
import { formatSummary, resultsSchema } from '../../src/report/index.js';
import { newRunId, runScenario, type RunSpec } from '../../src/run/index.js';

/** The JVM serving a WireMock provider on `port` (its java command line names the port). */
function wiremockPid(port: string): number {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const line = ps.split('\n').find((l) => /\bjava\b/.test(l) && l.includes('wiremock') && l.includes(`--port ${port}`));
  if (!line) throw new Error(`no WireMock process on port ${port}`);
  return Number(line.trim().split(/\s+/)[0]);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a part that crashes mid-run (issue #18 item 1)', () => {
  it('is noticed at once: the run stops, records the crash with its log, and still checks every provider alive', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-crash-'));
    const runId = newRunId('crash');
    const traffic = trafficConfig({ runId, seed: 7, mix: 'all' });
    const providers = [...new Set(traffic.mix.map((e) => e.provider))];
    expect(providers).toContain('wiremock:localwallet');
    const spec: RunSpec = {
      runId,
      scenario: 'crash-mid-run',
      outDir: out,
      paychaosVersion: '0.0.0-test',
      // As runs place them: each simulator its own process, the JVM under `paychaos sim`.
      stack: { providers, seed: 7, simulator: { shopperApprovesAfterMs: 50 }, simulators: 'child', systems: [{ variant: 'baseline', mode: 'child', config: { variant: 'baseline' } }] },
      // Long enough that a crash noticed only at the end would show: 30 s planned.
      load: { engine: 'builtin', rate: 20, durationMs: 30_000, maxInFlight: 200, traffic },
    };
    let pid = 0;
    let killedAtMs = 0;
    const started = performance.now();
    const outcome = await runScenario(spec, {
      onStarted: ({ addresses }) => {
        const port = new URL(addresses['wiremock:localwallet (direct)']!).port;
        pid = wiremockPid(port);
        setTimeout(() => {
          killedAtMs = performance.now();
          process.kill(pid, 'SIGKILL');
        }, 3000).unref();
      },
    });
    const endedMs = performance.now();
    const { results } = outcome;

    // Stopped within seconds of the crash, not at the end of the planned 30 s.
    expect(killedAtMs).toBeGreaterThan(0);
    expect(endedMs - killedAtMs).toBeLessThan(15_000);
    expect(results.durationS).toBeLessThan(20);
    expect(endedMs - started).toBeLessThan(40_000);

    // Failed (exit 3), the crash named with its code, how it ended and its log in the run's directory.
    expect(results.status).toBe('failed');
    expect(outcome.exitCode).toBe(3);
    expect(results.crashes).toHaveLength(1);
    const crash = results.crashes![0]!;
    expect(crash).toMatchObject({ part: 'wiremock:localwallet', code: 'PAYCHAOS_ERR_STACK_CHILD_CRASHED' });
    // The simulator exits with the JVM's death in its last words.
    expect(crash.message).toMatch(/JVM died|SIGKILL/);
    expect(crash.log).toBeDefined();
    expect(crash.log!.startsWith(out)).toBe(true);
    expect(existsSync(crash.log!)).toBe(true);

    // Every provider still alive was checked; the dead one is named, not silently passed.
    const byName = Object.fromEntries(results.invariants.map((i) => [i.name, i]));
    expect(byName['no-double-charge']?.passed).toBe(true);
    expect(byName['no-double-charge']?.checked).toBeGreaterThan(0);
    expect(byName['captures-within-orders']).toBeDefined();
    expect(byName['ledgers-read']).toMatchObject({ passed: false, unit: 'providers', checked: providers.length });
    expect(byName['ledgers-read']!.violations.map((v) => v.provider)).toEqual(['wiremock:localwallet']);

    // The crash is in events.jsonl as it happened, and in the summary a user reads.
    const events = (await readFile(outcome.eventsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; part?: string });
    expect(events.some((e) => e.type === 'crash' && e.part === 'wiremock:localwallet')).toBe(true);
    expect(formatSummary(results)).toMatch(/CRASHED +wiremock:localwallet .*PAYCHAOS_ERR_STACK_CHILD_CRASHED/);
    expect(resultsSchema.safeParse(JSON.parse(await readFile(outcome.resultsPath, 'utf8'))).success).toBe(true);
    expect(alive(pid)).toBe(false);
  }, 90_000);
});
