import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger, buildSimApp, type LedgerEntry } from '../../../../simulators/core/index.js';
import { usedAfterGc } from '../../../helpers/force-gc.js';

const entry = (i: number) => ({ paymentId: `pi_${i}`, orderId: `o${i}`, idempotencyKey: `k${i}`, amount: 100 + i, currency: 'usd', traceId: undefined });

describe('Ledger on disk', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('sees every entry the moment it was recorded, before the batched write has run', () => {
    const ledger = new Ledger('acme', () => new Date('2026-11-11T00:00:00Z'));
    ledger.append({ kind: 'authorization', ...entry(1) });
    ledger.append({ kind: 'capture', ...entry(1) });
    // No turn of the event loop has passed: the rows are still queued, and reads write them first.
    expect(ledger.size).toBe(2);
    expect(ledger.balanceOf('pi_1')).toEqual({ authorized: 101, captured: 101, refunded: 0, voided: 0 });
    expect(ledger.byOrder('o1').map((e) => e.id)).toEqual(['acme_authorization_1', 'acme_capture_2']);
  });

  it('iterates page by page in commit order, and keeps accepting writes while a walk pauses', () => {
    const ledger = new Ledger('acme');
    for (let i = 0; i < 2500; i++) ledger.append({ kind: 'capture', ...entry(i) });
    const walk = ledger.iterate(1000);
    const seen: LedgerEntry[] = [];
    for (let r = walk.next(); !r.done; r = walk.next()) {
      seen.push(r.value);
      // A write in the middle of a page (an open SQLite cursor would refuse it: connection busy).
      if (seen.length === 1500) ledger.append({ kind: 'refund', ...entry(9999) });
    }
    expect(seen).toHaveLength(2501);
    expect(seen.map((e) => e.id)).toEqual([...ledger.entries()].map((e) => e.id));
    expect(seen[2500]).toMatchObject({ kind: 'refund', id: 'acme_refund_2501' });
  });

  it('keeps a named file: a second ledger opened on it reads every entry and numbers on from there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
    dirs.push(dir);
    const path = join(dir, 'stripe.db');
    const first = new Ledger('stripe', undefined, { path });
    first.record({ kind: 'authorization', ...entry(1) });
    first.close();
    const second = new Ledger('stripe', undefined, { path });
    expect(second.record({ kind: 'capture', ...entry(1) }).id).toBe('stripe_capture_2');
    expect(second.entries().map((e) => e.kind)).toEqual(['authorization', 'capture']);
    second.close();
  });

  it('holds 200,000 payments with the heap flat: entries live on disk, not in memory', () => {
    const used = usedAfterGc;
    const ledger = new Ledger('stripe', () => new Date(0));
    for (let i = 0; i < 20_000; i++) ledger.append({ kind: 'capture', ...entry(i) });
    const before = used();
    for (let i = 20_000; i < 200_000; i++) {
      ledger.append({ kind: 'authorization', ...entry(i) });
      ledger.append({ kind: 'capture', ...entry(i) });
    }
    ledger.flush();
    // 180,000 payments more; the columnar in-memory ledger this replaced took ~150 B a payment
    // (27 MB here) and an object per entry ~1 KB. The bound is the SQLite page cache and garbage.
    expect((used() - before) / 1e6).toBeLessThan(8);
    expect(ledger.size).toBe(380_000);
    expect(ledger.count('authorization')).toBe(180_000);
  }, 60_000);
});

describe('GET /__sim/ledger', () => {
  const app = () => {
    const ledger = new Ledger('acme', () => new Date('2026-11-11T00:00:00Z'));
    for (let i = 0; i < 2345; i++) ledger.append({ kind: i % 2 ? 'capture' : 'authorization', ...entry(i >> 1) });
    return { ledger, app: buildSimApp({ ledger, routes: () => {}, errors: { notFound: () => ({ status: 404, body: {} }), malformed: () => ({ status: 400, body: {} }), internal: () => ({ status: 500, body: {} }) } }) };
  };

  it('streams the same entries as NDJSON as its JSON answer lists, in the same order', async () => {
    const { app: a } = app();
    const json = (await a.inject({ method: 'GET', url: '/__sim/ledger' })).json() as { provider: string; entries: LedgerEntry[] };
    const res = await a.inject({ method: 'GET', url: '/__sim/ledger?format=ndjson' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    const lines = res.body.trimEnd().split('\n').map((l) => JSON.parse(l) as LedgerEntry);
    expect(json.entries).toHaveLength(2345);
    expect(lines).toEqual(json.entries);
  });

  it('refuses a format it does not serve with a coded error naming the field', async () => {
    const { app: a } = app();
    const res = await a.inject({ method: 'GET', url: '/__sim/ledger?format=csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'PAYCHAOS_ERR_SIM_BAD_LEDGER_QUERY', field: 'format' } });
  });
});
