import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsSchema } from '../../src/report/index.js';
import { runBuiltCli } from '../helpers/cli-process.js';
import { isListening, portOf } from '../helpers/ports.js';

const tmp = () => mkdtemp(join(tmpdir(), 'paychaos-e2e-'));

describe('paychaos demo (built CLI, child process)', () => {
  it('runs for the duration, prints a summary and writes a valid results.json', async () => {
    const out = await tmp();
    // A cap far above what 200/s keeps in flight: on a loaded CI machine a stall of the stack for
    // 2 s filled the default 400 slots, and the drops (exit 1) were the machine's, not the demo's.
    const run = runBuiltCli(['demo', '--duration', '3s', '--max-in-flight', '4000', '--out', out]);
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const stdout = run.stdout();
    expect(stdout).toMatch(/requests\s+\d+/);
    expect(stdout).toMatch(/success\s+\d+\.\d+%/);
    expect(stdout).toMatch(/latency\s+p50 [\d.]+ ms\s+p95 [\d.]+ ms\s+p99 [\d.]+ ms/);
    expect(stdout).toMatch(/errors\s+/);
    expect(stdout).toContain('no-double-charge: held');

    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    const base = results.variants.baseline!;
    expect(results.status).toBe('completed');
    expect(base.requests).toBeGreaterThan(0);
    expect(base.successRate).toBeGreaterThanOrEqual(0);
    expect(base.successRate).toBeLessThanOrEqual(1);
    expect(base.succeeded + base.failed + base.pending).toBe(base.requests);
    const l = base.latencyMs;
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p95);
    expect(l.p95).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.p999);
    expect(l.p999).toBeLessThanOrEqual(l.max);
    expect(results.timeline.length).toBeGreaterThanOrEqual(3);
    expect(results.invariants[0]).toMatchObject({ name: 'no-double-charge', passed: true });

    // events.jsonl holds one line per request, plus the run and end markers; the demo's default
    // warm-up's requests are marked and counted apart.
    const events = (await readFile(join(out, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; phase?: string });
    expect(events.filter((e) => e.type === 'payment' && e.phase === undefined)).toHaveLength(base.requests);
    expect(results.warmup?.requests).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'payment' && e.phase === 'warmup')).toHaveLength(results.warmup!.requests);
    expect(events[0]!.type).toBe('run');
    expect(events.at(-1)!.type).toBe('end');

    // report.html and summary.md, drawn from those files.
    expect(stdout).toContain(`report     ${join(out, 'report.html')}`);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('data-verdict="HELD"');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain(`| **baseline** | ${base.requests} |`);
  });

  it('stops within 5 s on SIGINT, writes results.json and leaves no port listening', async () => {
    const out = await tmp();
    const run = runBuiltCli(['demo', '--duration', '60s', '--rate', '100', '--out', out]);
    await run.waitFor('driving');
    await new Promise((r) => setTimeout(r, 1000));
    const sentAt = Date.now();
    run.child.kill('SIGINT');
    const code = await run.exited;
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(code).toBe(130);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.status).toBe('interrupted');
    expect(results.variants.baseline!.requests).toBeGreaterThan(0);
    const stack = JSON.parse(await readFile(join(out, 'stack.json'), 'utf8')) as { parts: Record<string, string> };
    expect(Object.keys(stack.parts).length).toBeGreaterThanOrEqual(2);
    for (const url of Object.values(stack.parts)) expect(await isListening(portOf(url)), url).toBe(false);
  });

  it.each([
    [['demo', '--duration', 'banana'], '--duration', 'PAYCHAOS_ERR_CLI_BAD_DURATION'],
    [['demo', '--rate', '-5'], '--rate', 'PAYCHAOS_ERR_CLI_BAD_NUMBER'],
  ])('exits 2 on %j with a message naming the flag', async (args, flag, code) => {
    const run = runBuiltCli(args);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain(flag);
    expect(run.stderr()).toContain(code);
  });
});
