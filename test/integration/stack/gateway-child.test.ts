import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSim } from '../../../simulators/index.js';
import { PACKAGE_ROOT, Supervisor, startSystemUnderTest, type StartedSut } from '../../../src/stack/index.js';

/**
 * The reference gateway as a child process of the stack (dist/gateway/main.js, built by
 * `npm run build` before the tests): supervised, killed for real, restarted on the same port,
 * closed without leaving a process or a port behind, and logging through the redacting logger.
 */
type Sim = Awaited<ReturnType<typeof startStripeSim>>;

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '127.0.0.1', port, exclusive: true }, () => s.close(() => resolve(true)));
  });

const PAN = '4242424242424242';
const SECRET_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS1tZXJjaGFudC1rZXktZm9yLXRoaXMtcmVxdWVzdA==';

async function pay(url: string, orderId: string, extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {}) {
  const res = await request(`${url}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `k-${orderId}`, ...extra.headers },
    body: JSON.stringify({ orderId, amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa', provider: 'stripe', ...extra.body }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

describe('the reference gateway as a supervised child process', () => {
  let sim: Sim;
  let dir: string;
  let supervisor: Supervisor;
  let sut: StartedSut;

  beforeAll(async () => {
    sim = await startStripeSim();
    dir = mkdtempSync(join(tmpdir(), 'paychaos-gw-child-'));
    supervisor = new Supervisor({ logDir: dir });
    sut = await startSystemUnderTest(
      { mode: 'child', name: 'gateway-baseline', config: { variant: 'baseline', runId: 'run-child-1', logLevel: 'trace', providers: { stripe: { url: sim.url, credentials: { secretKey: SECRET_KEY } } } } },
      { supervisor },
    );
  });

  afterAll(async () => {
    await supervisor?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('charges through its own process, not this one', async () => {
    expect(sut.mode).toBe('child');
    expect(sut.pid).toBeDefined();
    expect(sut.pid).not.toBe(process.pid);
    const res = await pay(sut.url, 'child-1');
    expect(res).toMatchObject({ status: 201, body: { status: 'succeeded', variant: 'baseline' } });
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('dies for real on kill -9, is not reported as a crash, and restarts on the same URL', async () => {
    const crashes: string[] = [];
    const off = supervisor.onCrash((name) => crashes.push(name));
    const before = sut.pid;
    await sut.kill!('SIGKILL');
    expect(alive(before)).toBe(false);
    await expect(request(`${sut.url}/healthz`)).rejects.toThrow();
    await sut.restart!();
    expect(sut.pid).not.toBe(before);
    expect(alive(sut.pid)).toBe(true);
    expect(await pay(sut.url, 'child-2')).toMatchObject({ status: 201 });
    off();
    expect(crashes).toEqual([]);
  });

  it('logs each payment to <out>/gateway-<variant>.log with run id, variant and trace id, and no PAN, CVC, key or signature', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await pay(sut.url, 'child-3', {
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'wechatpay-signature': SIGNATURE, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: { card: { number: PAN, cvc: '314' }, cvc: '314', apiKey: SECRET_KEY, sign: SIGNATURE },
    });
    expect(res.status).toBe(201);
    const file = join(dir, 'gateway-baseline.log');
    // pino writes asynchronously: wait for the line of this payment.
    const deadline = Date.now() + 5000;
    let text = '';
    // Both lines of this payment, found by its trace id (earlier payments logged theirs too).
    const complete = (t: string): boolean => t.split('\n').filter((l) => l.includes(traceId)).length >= 2;
    while (Date.now() < deadline && !complete(text)) {
      text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (!complete(text)) await new Promise((r) => setTimeout(r, 50));
    }
    const lines = text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const paymentLine = lines.find((l) => l.msg === 'payment' && l.orderId === 'child-3');
    expect(paymentLine).toMatchObject({ runId: 'run-child-1', variant: 'baseline', traceId, status: 'succeeded' });
    // The request itself was logged (trace level), so its secrets were there to leak.
    expect(lines.some((l) => l.msg === 'payment request' && l.traceId === traceId)).toBe(true);
    for (const secret of [PAN, SECRET_KEY, SIGNATURE, '"314"']) expect(text).not.toContain(secret);
  });

  it('closes gracefully: the process is gone and its port is free', async () => {
    const pid = sut.pid;
    const port = Number(new URL(sut.url).port);
    await sut.close();
    expect(alive(pid)).toBe(false);
    expect(await portFree(port)).toBe(true);
  });
});

describe('a child gateway that cannot start', () => {
  it('fails with the coded problem, naming the field, and leaves no process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-gw-bad-'));
    try {
      const start = startSystemUnderTest({ mode: 'child', name: 'gateway-baseline', config: { variant: 'baseline', providers: { stripe: { url: 'not a url' } } } }, { logDir: dir });
      await expect(start).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_STACK_CHILD_CRASHED', message: expect.stringContaining('exit code 2') });
      expect(readFileSync(join(dir, 'gateway-baseline.log'), 'utf8')).toContain('PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no gateway process outlives the harness', () => {
  it('is reaped when the supervisor closes without the system being closed first (Ctrl-C during a run)', async () => {
    const supervisor = new Supervisor();
    const sut = await startSystemUnderTest({ mode: 'child', name: 'gateway-baseline', config: { logLevel: 'silent', providers: { stripe: { url: 'http://127.0.0.1:9' } } } }, { supervisor });
    const pid = sut.pid;
    expect(alive(pid)).toBe(true);
    await supervisor.close();
    expect(alive(pid)).toBe(false);
  });

  it('is killed when the harness dies of an uncaught exception', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-gw-orphan-'));
    try {
      const script = join(dir, 'harness.mjs');
      const stack = join(PACKAGE_ROOT, 'dist', 'src', 'stack', 'index.js');
      writeFileSync(
        script,
        `import { Supervisor, startSystemUnderTest } from ${JSON.stringify(stack)};
const sut = await startSystemUnderTest({ mode: 'child', name: 'gateway-baseline', config: { logLevel: 'silent', providers: { stripe: { url: 'http://127.0.0.1:9' } } } }, { supervisor: new Supervisor() });
console.log('pid ' + sut.pid);
setTimeout(() => { throw new Error('the harness crashed'); }, 10);
`,
      );
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).not.toBe(0);
      const pid = Number(/pid (\d+)/.exec(r.stdout)?.[1]);
      expect(pid).toBeGreaterThan(0);
      // SIGKILL from the exit hook is immediate, but the kernel reaps asynchronously.
      const deadline = Date.now() + 5000;
      while (alive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
      expect(alive(pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
