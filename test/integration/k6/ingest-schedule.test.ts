import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { resultsSchema } from '../../../src/report/index.js';
import { fakeIo } from '../../helpers/fake-io.js';

/** k6's documented --out json format, as load/payments.js writes it at 20/s for 2 s (its README). */
const TAGGED = join(import.meta.dirname, '../../fixtures/k6/tagged-out.json');

describe('paychaos ingest k6 reads the schedule load/options.js records', () => {
  it('takes the target rate from the scenario tags and measures over the arrival window, not the graceful stop', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-ingest-schedule-'));
    const io = fakeIo();
    expect(await runCli(['ingest', 'k6', TAGGED, '--out', out], io)).toBe(0);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    // 40 scheduled over 2 s; 39 ran (one dropped). Over the samples' 21 s span it would read ~1.9/s.
    expect(results.load).toMatchObject({ targetRate: 20, achievedRate: 19.5, scheduledIterations: 40, droppedIterations: 1, driverHealthy: false });
    expect(results.durationS).toBe(2);
    expect(io.out()).toMatch(/load\s+k6, target 20\/s for 2\.0 s, achieved 19\.5\/s, dropped 1/);
    expect(results.variants.baseline!.requests).toBe(40);
  });

  it('lets --target-rate override the recorded schedule', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-ingest-schedule-'));
    expect(await runCli(['ingest', 'k6', TAGGED, '--out', out, '--target-rate', '25'], fakeIo())).toBe(0);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.load.targetRate).toBe(25);
  });

  it("ends events.jsonl with the demo's end record", async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-ingest-schedule-'));
    expect(await runCli(['ingest', 'k6', TAGGED, '--out', out], fakeIo())).toBe(0);
    const lines = (await readFile(join(out, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const end = lines.at(-1)!;
    // The same keys engine.ts writes for a demo run (test/integration/k6/demo-k6.test.ts checks that side).
    expect(Object.keys(end).sort()).toEqual(['abortedInFlight', 'endedAt', 'runId', 'status', 'type']);
    expect(end).toMatchObject({ type: 'end', status: 'completed', abortedInFlight: 0 });
    expect(lines.filter((l) => l.type === 'end')).toHaveLength(1);
  });
});
