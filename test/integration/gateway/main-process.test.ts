import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/stack/index.js';
import { fakeProvider } from '../../unit/gateway/fake-provider.js';

/** dist/gateway/main.js as a user (or the stack) runs it: built by `npm run build` before the tests. */
const MAIN = join(PACKAGE_ROOT, 'dist', 'gateway', 'main.js');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('gateway/main.ts, the gateway as its own process', () => {
  it('exits 2 on a bad config, naming every problem with its path, and never listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-gw-main-'));
    try {
      const file = join(dir, 'gateway.yaml');
      writeFileSync(file, 'variant: blue\nproviders:\n  stripe: { url: 5 }\nregression: { providerErrorRate: 2 }\n');
      const p = run(['--config', file]);
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toContain('PAYCHAOS_ERR_GATEWAY_BAD_CONFIG');
      for (const path of ['variant:', 'providers.stripe.url:', 'regression.providerErrorRate:']) expect(p.stderr()).toContain(path);
      expect(p.stdout()).not.toContain('listening');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('announces its URL, and on SIGTERM drains the payment in flight before exiting 0', async () => {
    // A Stripe that answers after 1.5 s: the payment is still in flight when SIGTERM arrives.
    const provider = await fakeProvider(() => ({ status: 200, body: JSON.stringify({ id: 'pi_slow', status: 'succeeded' }) }));
    const slow = await fakeProviderDelayed(provider.url, 1500);
    const p = run(['--port', '0', '--log-level', 'silent'], { PAYCHAOS_GATEWAY_CONFIG: JSON.stringify({ providers: { stripe: { url: slow.url } } }) });
    try {
      const deadline = Date.now() + 20_000;
      while (!/listening on (http:\/\/\S+)/.test(p.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const url = /listening on (http:\/\/\S+)/.exec(p.stdout())![1]!;
      const paying = request(`${url}/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: JSON.stringify({ orderId: 'drain-1', amount: 100, currency: 'EUR', paymentMethod: 'pm_card_visa' }) });
      while (provider.calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      p.child.kill('SIGTERM');
      const res = await paying;
      expect(res.statusCode).toBe(201);
      expect(await res.body.json()).toMatchObject({ status: 'succeeded', providerPaymentId: 'pi_slow' });
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await slow.close();
      await provider.close();
    }
  });
});

/** A forwarding proxy that holds each answer `delayMs`: slowness without touching the provider. */
async function fakeProviderDelayed(target: string, delayMs: number) {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const upstream = await request(`${target}${req.url ?? '/'}`, { method: req.method as 'POST', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      const text = await upstream.body.text();
      setTimeout(() => res.writeHead(upstream.statusCode, { 'content-type': 'application/json' }).end(text), delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
