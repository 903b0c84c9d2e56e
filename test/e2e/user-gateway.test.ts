import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsSchema } from '../../src/report/index.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const EXAMPLE = join(process.cwd(), 'examples', 'user-gateway');
const children: ChildProcess[] = [];

/** Start a process and wait until its stdout matches `ready`; returns the match. */
function startUntil(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray; out: () => string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time: ${args.join(' ')}\n${out}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, out: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ready: ${args.join(' ')}\n${out}`));
    });
  });
}

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => (child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code))));

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/**
 * Issue #12 item 4: a gateway paychaos did not write (examples/user-gateway, its own API), on the
 * providers of `paychaos up`, driven by `paychaos run --attach --target` with load.request and
 * load.classify — and the money invariants read the ledgers it charged: a buggy build of it is
 * caught charging twice (the negative control).
 */
describe('your own gateway: paychaos up + run --attach --target', () => {
  it('judges the example gateway green, catches its buggy build double-charging, and up exits 0 on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-user-gw-'));
    const upDir = join(dir, 'up');
    const up = await startUntil([CLI, 'up', '--providers', 'stripe', '--no-gateway', '--out', upDir], {}, /Ctrl-C stops it/);
    expect(up.out()).toContain('attach');
    const env = Object.fromEntries(
      (await readFile(join(upDir, 'providers.env'), 'utf8'))
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env.PAYCHAOS_STRIPE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const good = await startUntil([join(EXAMPLE, 'server.mjs')], env, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const ok = await runCli(['run', '--attach', upDir, '--target', good.match[1]!, '--out', join(dir, 'good'), '--progress', 'off', join(EXAMPLE, 'scenario.yaml')]);
    expect(ok.code, ok.out).toBe(0);
    const green = resultsSchema.parse(JSON.parse(await readFile(join(dir, 'good', 'results.json'), 'utf8')));
    const noDouble = green.invariants.find((i) => i.name === 'no-double-charge')!;
    // Judged on the ledger the gateway really charged: evaluated, over real charges.
    expect(noDouble.notEvaluated).toBeUndefined();
    expect(noDouble.checked).toBeGreaterThan(20);
    expect(noDouble.passed).toBe(true);
    expect(green.variants.baseline!.succeeded).toBeGreaterThan(20);
    // Its answers were read through load.classify: declines carry the normalised code it sent.
    expect(Object.keys(green.variants.baseline!.errorCodes).every((c) => c !== 'unknown')).toBe(true);

    const buggy = await startUntil([join(EXAMPLE, 'server.mjs')], { ...env, USER_GATEWAY_BUGGY: '1' }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const bad = await runCli(['run', '--attach', upDir, '--target', buggy.match[1]!, '--out', join(dir, 'buggy'), '--progress', 'off', join(EXAMPLE, 'scenario.yaml')]);
    expect(bad.code, bad.out).toBe(1);
    const red = resultsSchema.parse(JSON.parse(await readFile(join(dir, 'buggy', 'results.json'), 'utf8')));
    const caught = red.invariants.find((i) => i.name === 'no-double-charge')!;
    expect(caught.passed).toBe(false);
    expect(caught.violations.length).toBeGreaterThan(0);

    good.child.kill('SIGTERM');
    buggy.child.kill('SIGTERM');
    up.child.kill('SIGINT');
    expect(await exited(up.child)).toBe(0);
  }, 180_000);

  it('refuses an attach directory that paychaos up did not write, naming the field (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-user-gw-'));
    const missing = await runCli(['run', '--attach', dir, '--target', 'http://127.0.0.1:9', join(EXAMPLE, 'scenario.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('PAYCHAOS_ERR_STACK_ATTACH_INVALID');
    expect(missing.out).not.toMatch(/\n\s+at /);
  }, 60_000);
});
