import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { resultsSchema } from '../../../src/report/index.js';
import { fakeIo } from '../../helpers/fake-io.js';

describe('paychaos CLI (in-process)', () => {
  it.each([
    [['demo', '--duration', 'banana'], '--duration', 'PAYCHAOS_ERR_CLI_BAD_DURATION'],
    [['demo', '--rate', '-5'], '--rate', 'PAYCHAOS_ERR_CLI_BAD_NUMBER'],
    [['demo', '--rate', 'abc'], '--rate', 'PAYCHAOS_ERR_CLI_BAD_NUMBER'],
    [['demo', '--duration', '0s'], '--duration', 'PAYCHAOS_ERR_CLI_BAD_DURATION'],
    [['demo', '--seed', '1.5'], '--seed', 'PAYCHAOS_ERR_CLI_BAD_NUMBER'],
    [['demo', '--no-such-flag'], '--no-such-flag', 'PAYCHAOS_ERR_CLI_BAD_FLAG'],
  ])('exits 2 on %j with a message naming %s', async (argv, flag, code) => {
    const io = fakeIo();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toContain(flag);
    expect(io.err()).toContain(code);
    expect(io.err()).toContain('hint:');
  });

  it('exits 2 on an unknown command and names it', async () => {
    const io = fakeIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err()).toContain('frobnicate');
    expect(io.err()).toContain('PAYCHAOS_ERR_CLI_UNKNOWN_COMMAND');
  });

  it('prints its version and help with exit 0', async () => {
    const io = fakeIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+/);
    const help = fakeIo();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out()).toContain('demo');
  });

  it.each([
    ['under a regular file', async (dir: string) => { await writeFile(join(dir, 'file'), 'x'); return join(dir, 'file', 'out'); }],
    ['under /proc, where a recursive mkdir never returns', async () => '/proc/paychaos-cannot-write-here/out'],
  ])('exits 2 when --out cannot be created (%s), before starting anything', async (_name, makePath) => {
    const io = fakeIo();
    const bad = await makePath(await mkdtemp(join(tmpdir(), 'paychaos-cli-')));
    expect(await runCli(['demo', '--duration', '1s', '--out', bad], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_REPORT_OUT_DIR');
    expect(io.err()).toContain('--out');
  });

  it('fails driver_dropped_iterations, blaming the system under test, and exits 1 when every in-flight slot was waiting on it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-cli-'));
    const io = fakeIo();
    expect(await runCli(['demo', '--duration', '1s', '--rate', '400', '--max-in-flight', '1', '--out', out], io)).toBe(1);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.load.droppedIterations).toBeGreaterThan(0);
    expect(results.load.driverHealthy).toBe(false);
    const dropped = results.assertions.find((a) => a.name.startsWith('driver_dropped_iterations'))!;
    // The figure the assertion failed on is the one it prints: drops, not the lag.
    expect(dropped).toMatchObject({ passed: false, measured: results.load.droppedIterations, threshold: 0 });
    const lag = results.assertions.find((a) => a.name.startsWith('driver_healthy'))!;
    expect(lag.measured).toBe(results.load.eventLoopLagP99Ms);
    // One slot, a healthy loop: the gateway held the shoppers, so the harness is not blamed.
    if (lag.passed) {
      expect(dropped.name).toContain('the system under test was the bottleneck');
      expect(io.out()).toContain('the system under test was the bottleneck');
    } else expect(dropped.name).toContain('the driver fell behind');
    expect(results.parts?.find((p) => p.name === 'harness')?.cpuS).toBeGreaterThan(0);
    expect(results.parts?.some((p) => p.name === 'gateway-baseline' && p.pid !== process.pid)).toBe(true);
  });

  it('stops a demo on interrupt, exits 130 and still writes valid results', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-cli-'));
    const io = fakeIo();
    const run = runCli(['demo', '--duration', '60s', '--rate', '50', '--out', out, '--seed', '3'], io);
    // Interrupt once load is flowing: the gateway starts as a child process first, which takes a while.
    while (!io.out().includes('driving')) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
    io.interrupt('SIGINT');
    expect(await run).toBe(130);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.status).toBe('interrupted');
    expect(results.variants.baseline!.requests).toBeGreaterThan(0);
    expect(results.durationS).toBeLessThan(10);
  });
});
