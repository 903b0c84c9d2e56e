import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { runK6 } from '../../../src/load/k6/index.js';
import { installFakeK6 } from './fake-k6.js';

const REPLAY = join(import.meta.dirname, '../../fixtures/k6/out.json');

describe('runK6 with a fake k6 on PATH that replays recorded k6 output', () => {
  let fakeDir: string;
  let work: string;

  beforeAll(async () => {
    fakeDir = (await installFakeK6()).dir;
    work = await mkdtemp(join(tmpdir(), 'paychaos-runk6-'));
  });

  const env = (mode: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: fakeDir, FAKE_K6_MODE: mode, FAKE_K6_REPLAY: REPLAY, ...extra });

  it('runs `k6 run --out json=FILE -e …` and hands over every payment while k6 writes', async () => {
    const argv = join(work, 'argv.json');
    const outJson = join(work, 'live.json');
    await writeFile(outJson, '{"stale":"output of an earlier run"}\n');
    const events: PaymentEvent[] = [];
    const outcome = await runK6(
      { script: 'load/payments.js', env: { BASELINE_URL: 'http://127.0.0.1:9', RATE: '40' }, outJson, pollMs: 5, processEnv: env('replay', { FAKE_K6_ARGV: argv }) },
      (e) => events.push(e),
    );
    expect(JSON.parse(await readFile(argv, 'utf8'))).toEqual(['run', '--out', `json=${outJson}`, '-e', 'BASELINE_URL=http://127.0.0.1:9', '-e', 'RATE=40', 'load/payments.js']);
    expect(outcome).toMatchObject({ exitCode: 0, thresholdsFailed: false, interrupted: false, k6Path: join(fakeDir, 'k6') });
    expect(events).toHaveLength(81);
    expect(outcome.stats).toMatchObject({ payments: 81, iterations: 81, droppedIterations: 0 });
    expect(events.filter((e) => e.variant === 'canary' && e.outcome === 'succeeded')).toHaveLength(17);
    expect(events.filter((e) => e.errorCode === 'provider_unavailable')).toHaveLength(8);
  });

  it('reports failed thresholds (exit 99) as a result, not an error', async () => {
    const outcome = await runK6({ script: 's.js', outJson: join(work, 'thr.json'), pollMs: 5, processEnv: env('thresholds') }, () => {});
    expect(outcome).toMatchObject({ exitCode: 99, thresholdsFailed: true });
    expect(outcome.stats.payments).toBe(81);
  });

  it('fails with PAYCHAOS_ERR_K6_RUN_FAILED and k6’s own words when k6 itself fails', async () => {
    const err = await runK6({ script: 'load/payments.js', outJson: join(work, 'crash.json'), pollMs: 5, processEnv: env('crash') }, () => {}).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_K6_RUN_FAILED')).toBe(true);
    expect((err as Error).message).toContain('code 107');
    expect((err as Error).message).toContain('ReferenceError: paymnt is not defined');
  });

  it('stops k6 with SIGINT on abort and keeps every complete line it had written', async () => {
    const abort = new AbortController();
    const events: PaymentEvent[] = [];
    const outJson = join(work, 'int.json');
    const run = runK6({ script: 's.js', outJson, pollMs: 5, processEnv: env('interrupt'), signal: abort.signal }, (e) => {
      events.push(e);
    });
    const deadline = Date.now() + 10_000;
    while (events.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    const outcome = await run;
    expect(outcome).toMatchObject({ exitCode: 105, interrupted: true });
    // Every complete request line k6 had written became an event; the half-written last line did not.
    const written = await readFile(outJson, 'utf8');
    const complete = written.slice(0, written.lastIndexOf('\n') + 1).split('\n');
    expect(events.length).toBe(complete.filter((l) => l.startsWith('{"metric":"http_req_duration","type":"Point"')).length);
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(events.length).toBeLessThan(81);
  });

  it('fails with PAYCHAOS_ERR_K6_NOT_FOUND and an install hint when no k6 is on PATH', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'paychaos-no-k6-'));
    const err = await runK6({ script: 's.js', outJson: join(work, 'none.json'), processEnv: { PATH: `${empty}:relative/dir` } }, () => {}).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_K6_NOT_FOUND')).toBe(true);
    expect((err as { hint: string }).hint).toMatch(/install k6/i);
    expect((err as { hint: string }).hint).toContain('--load builtin');
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });
});
