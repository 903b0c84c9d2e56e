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

  it('exits 2 when --db names a file in a directory that does not exist, naming the flag, the path and the code', async () => {
    const sim = await startStripeSim();
    try {
      const file = join(dir, 'db-config.yaml');
      writeFileSync(file, `logLevel: silent\nproviders:\n  stripe: { url: "${sim.url}" }\n`);
      const bad = join(dir, 'missing-dir', 'gateway.db');
      const io = fakeIo();
      expect(await runCli(['gateway', '--config', file, '--db', bad], io)).toBe(2);
      expect(io.err()).toContain('PAYCHAOS_ERR_GATEWAY_BAD_DB');
      expect(io.err()).toContain(`--db: "${bad}"`);
    } finally {
      await sim.close();
    }
  });

  it('keeps its state in the --db file: a payment made before a restart is found after it', async () => {
    const sim = await startStripeSim();
    try {
      const file = join(dir, 'db-ok.yaml');
      writeFileSync(file, `logLevel: silent\nproviders:\n  stripe: { url: "${sim.url}" }\n`);
      const db = join(dir, 'gateway.db');
      const start = async () => {
        const io = fakeIo();
        const run = runCli(['gateway', '--config', file, '--db', db, '--port', '0'], io);
        while (!/listening on (http:\/\/\S+)/.test(io.out())) await new Promise((r) => setTimeout(r, 20));
        return { io, run, url: /listening on (http:\/\/\S+)/.exec(io.out())![1]! };
      };
      const a = await start();
      const paid = await request(`${a.url}/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'kdb' }, body: JSON.stringify({ orderId: 'db-1', amount: 500, currency: 'EUR', paymentMethod: 'pm_card_visa' }) });
      expect(paid.statusCode).toBe(201);
      await paid.body.dump();
      a.io.interrupt('SIGINT');
      expect(await a.run).toBe(0);
      const b = await start();
      const found = await request(`${b.url}/payments/db-1`);
      expect(await found.body.json()).toMatchObject({ orderId: 'db-1', status: 'succeeded' });
      b.io.interrupt('SIGINT');
      expect(await b.run).toBe(0);
    } finally {
      await sim.close();
    }
  });
});
