import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsSchema } from '../../../src/report/index.js';
import { runBuiltCli } from '../../helpers/cli-process.js';
import { installFakeK6 } from './fake-k6.js';

const REPLAY = join(import.meta.dirname, '../../fixtures/k6/out.json');

describe('paychaos demo --load k6', () => {
  it('exits 2 before starting anything when no k6 is on PATH, and says how to fall back', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-k6-'));
    const run = runBuiltCli(['demo', '--load', 'k6', '--duration', '2s', '--out', join(out, 'run')], { PATH: '/nonexistent' });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('PAYCHAOS_ERR_K6_NOT_FOUND');
    expect(run.stderr()).toContain('--load builtin');
    expect(run.stdout()).not.toContain('driving');
  });

  it('rejects an unknown engine, naming the flag and the choices', async () => {
    const run = runBuiltCli(['demo', '--load', 'jmeter']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('--load');
    expect(run.stderr()).toContain('builtin');
  });

  // No real k6 can be installed here. This stand-in does not run the script: it replays a real
  // k6 v0.48 output file, which proves the pipeline (spawn, follow --out json, aggregate, report)
  // and nothing about load/payments.js itself.
  it('follows k6 output into the same results, marked engine k6', async () => {
    const fake = await installFakeK6();
    const out = await mkdtemp(join(tmpdir(), 'paychaos-k6-'));
    const run = runBuiltCli(['demo', '--load', 'k6', '--duration', '2s', '--rate', '30', '--out', out], {
      PATH: `${fake.dir}${delimiter}${process.env.PATH ?? ''}`,
      FAKE_K6_REPLAY: REPLAY,
      FAKE_K6_ARGV: join(out, 'argv.json'),
    });
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.load.engine).toBe('k6');
    // The fixture's samples: 60 baseline and 21 canary payments (its README).
    expect(results.variants.baseline!.requests).toBe(60);
    expect(results.variants.canary!.requests).toBe(21);
    // The end record `paychaos ingest k6` writes too (ingest-schedule.test.ts).
    const events = (await readFile(join(out, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(events.at(-1)!).sort()).toEqual(['abortedInFlight', 'endedAt', 'runId', 'status', 'type']);
    const argv = JSON.parse(await readFile(join(out, 'argv.json'), 'utf8')) as string[];
    expect(argv.at(-1)).toMatch(/load[/\\]payments\.js$/);
    expect(argv).toContain('RATE=30');
    // VUs for the demo's shoppers in flight at 30/s (⌈27.7 + 4·√27.7⌉ + 1, vu-sizing.test.ts),
    // and k6 may grow to the demo's concurrency cap of 60.
    expect(argv).toContain('PRE_ALLOCATED_VUS=50');
    expect(argv).toContain('MAX_VUS=60');
    expect(argv).toContain('REQUEST_TIMEOUT=30s');
    expect(argv.some((a) => a.startsWith('BASELINE_URL=http://127.0.0.1:'))).toBe(true);
  });
});
