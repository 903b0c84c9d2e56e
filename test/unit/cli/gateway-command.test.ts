import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { startStripeSim } from '../../../simulators/index.js';
import { fakeIo } from '../../helpers/fake-io.js';

describe('paychaos gateway', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'paychaos-gw-cmd-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the gateway from a config file with flags on top, charges, and exits 0 on Ctrl-C', async () => {
    const sim = await startStripeSim();
    try {
      const file = join(dir, 'gateway.yaml');
      writeFileSync(file, `variant: baseline\nlogLevel: silent\nproviders:\n  stripe: { url: "${sim.url}" }\n`);
      const io = fakeIo();
      const run = runCli(['gateway', '--config', file, '--variant', 'canary', '--port', '0'], io);
      while (!/listening on (http:\/\/\S+)/.test(io.out())) await new Promise((r) => setTimeout(r, 20));
      const url = /listening on (http:\/\/\S+)/.exec(io.out())![1]!;
      expect(io.out()).toContain('paychaos gateway canary listening');
      const res = await request(`${url}/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: JSON.stringify({ orderId: 'cmd-1', amount: 500, currency: 'EUR', paymentMethod: 'pm_card_visa' }) });
      expect(res.statusCode).toBe(201);
      expect(await res.body.json()).toMatchObject({ status: 'succeeded', variant: 'canary' });
      io.interrupt('SIGINT');
      expect(await run).toBe(0);
      await expect(request(`${url}/healthz`)).rejects.toThrow();
    } finally {
      await sim.close();
    }
  });

  it('exits 2 on a bad config, naming the field', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'providers: {}\nport: 70000\n');
    const io = fakeIo();
    expect(await runCli(['gateway', '--config', file], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_GATEWAY_BAD_CONFIG');
    expect(io.err()).toContain('port:');
    expect(io.err()).toContain('providers:');
  });
});
