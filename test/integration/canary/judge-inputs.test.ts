import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig } from '../../../src/analysis/index.js';
import { prometheusSource, readVariant, startJudgeServer } from '../../../src/judge/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { judge, serveJudge } from './cli-runner.js';
import { startFakePrometheus, type FakePrometheus } from './fake-prometheus.js';
import { tempDir, writeResults } from './results-fixture.js';

/**
 * Issue 7: what reaches Prometheus, and what the judge refuses before it gets there — label
 * values escaped, windows validated, URLs checked at flag parse, missing files named.
 */

const HOSTILE = 'x"}or vector(1)#';
const ESCAPED_SELECTOR = 'paychaos_variant="x\\"}or vector(1)#"';
const config = parseJudgeConfig(DEFAULT_JUDGE_CONFIG);

let dir: string;
let good: string;
beforeAll(async () => {
  dir = await tempDir();
  good = await writeResults(dir, 'good.json', { canary: { requests: 2000, errorCodes: { card_declined: 30 }, medianMs: 40, seed: 2 } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function fakeProm(): Promise<FakePrometheus> {
  const prom = await startFakePrometheus({});
  closers.push(prom.close);
  return prom;
}

/** The queries for one side: those naming the side's label, escaped or not. */
const baselineQueries = (prom: FakePrometheus) => prom.queries.filter((q) => !q.includes('paychaos_variant="canary"'));

describe('label values reach Prometheus escaped, inside their selector', () => {
  it('escapes --baseline-label in every query the CLI sends', async () => {
    const prom = await fakeProm();
    await judge('--prometheus', prom.url, '--baseline-label', HOSTILE);
    expect(baselineQueries(prom)).toHaveLength(4);
    for (const q of baselineQueries(prom)) expect(q).toContain(ESCAPED_SELECTOR);
  });

  it('escapes the baseline parameter of GET /judge and Flagger metadata', async () => {
    const prom = await fakeProm();
    const server = await startJudgeServer({ config, source: prometheusSource(prom.url) });
    closers.push(server.close);
    await (await request(`${server.url}/judge?baseline=${encodeURIComponent(HOSTILE)}`)).body.dump();
    await (await request(`${server.url}/flagger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'c', metadata: { baseline: HOSTILE } }) })).body.dump();
    expect(baselineQueries(prom)).toHaveLength(8);
    for (const q of baselineQueries(prom)) expect(q).toContain(ESCAPED_SELECTOR);
  });
});

describe('flags checked before anything runs', () => {
  it.each(['notaurl', 'prometheus:9090', 'ftp://prometheus:9090', 'file:///etc/hosts'])('judge --prometheus %s exits 2 with PAYCHAOS_ERR_CLI_BAD_FLAG naming --prometheus', async (url) => {
    const r = await judge('--prometheus', url);
    expect(r.code).toBe(2);
    expect(r.err).toContain('code: PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(r.err).toContain('--prometheus');
    expect(r.err).not.toContain('PAYCHAOS_ERR_HARNESS_BUG');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('serve judge --prometheus notaurl refuses to start, exit 2 naming --prometheus', async () => {
    const r = await serveJudge('--prometheus', 'notaurl');
    expect(r.started).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain('code: PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(r.err).toContain('--prometheus');
  });

  it('prometheusSource refuses a URL that can never work with a coded error, not a TypeError', () => {
    let err: unknown;
    try {
      prometheusSource('notaurl');
    } catch (e) {
      err = e;
    }
    expect(isPaychaosError(err)).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });

  it.each(['1m]) or vector(1', '30m1h', 'ten'])('judge --window %j exits 2 naming --window, before querying Prometheus', async (window) => {
    const prom = await fakeProm();
    const r = await judge('--prometheus', prom.url, '--window', window);
    expect(r.code).toBe(2);
    expect(r.err).toContain('code: PAYCHAOS_ERR_CLI_BAD_DURATION');
    expect(r.err).toContain('--window');
    expect(prom.queries).toEqual([]);
  });

  it('judge --baseline-label "" exits 2 instead of silently using the default', async () => {
    const prom = await fakeProm();
    const r = await judge('--prometheus', prom.url, '--baseline-label', '');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--baseline-label');
    expect(prom.queries).toEqual([]);
  });
});

describe('a results file that does not exist', () => {
  it.each([
    [(missing: string) => ['--baseline', missing, '--canary', good], '--baseline'],
    [(missing: string) => ['--baseline', good, '--canary', missing], '--canary'],
    [(missing: string) => ['--results', missing], '--results'],
  ])('judge says "not found", naming the flag (%#)', async (argv, flag) => {
    const missing = join(dir, 'nope.json');
    const r = await judge(...argv(missing));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${flag}: ${missing} not found`);
    expect(r.err).not.toContain('not a paychaos results.json');
  });

  it('makes serve judge refuse to start, exit 2 naming the flag', async () => {
    const missing = join(dir, 'nope.json');
    const r = await serveJudge('--baseline', good, '--canary', missing);
    expect(r.started).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--canary: ${missing} not found`);
  });

  it('is reported as not found when read from code too', async () => {
    const missing = join(dir, 'nope.json');
    const err = await readVariant(missing, 'canary').catch((e: unknown) => e);
    expect(isPaychaosError(err)).toBe(true);
    expect((err as Error).message).toBe(`${missing} not found: no such results file`);
  });
});
