import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor, startSystemUnderTest } from '../../../src/stack/index.js';
import { startStripeSim } from '../../../simulators/index.js';

/**
 * kill -9 of the gateway child (dist/gateway/main.js, built before the tests) between a phase's
 * write and its group's COMMIT. The gateway runs with a group interval of a minute, so the
 * payment's first phases (key claimed; payment and attempt created) are written but not
 * committed when it dies: the shopper must have had no answer, the provider no request, the file
 * nothing — and a gateway restarted on the same file treats the retried key as new, charging once.
 */
const dir = mkdtempSync(join(tmpdir(), 'paychaos-group-crash-'));
const supervisor = new Supervisor({ logDir: dir });
afterAll(async () => {
  await supervisor.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pay(url: string, orderId: string, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const res = await request(`${url}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `key-${orderId}` },
      body: JSON.stringify({ orderId, amount: 1500, currency: 'EUR', paymentMethod: 'pm_card_visa', provider: 'stripe' }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  } catch {
    return undefined; // no answer: the process died under it
  }
}

function rows(db: string): { payments: number; keys: number; attempts: number } {
  const d = new Database(db, { readonly: true });
  try {
    const n = (t: string) => (d.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { payments: n('payments'), keys: n('idempotency_keys'), attempts: n('attempts') };
  } finally {
    d.close();
  }
}

describe('kill -9 of the gateway between a write and its group commit', () => {
  it('leaves the shopper unanswered, the provider uncalled and the file without the payment; after a restart the retried key charges once', async () => {
    const sim = await startStripeSim({ seed: 7 });
    const db = join(dir, 'gateway.db');
    try {
      const held = await startSystemUnderTest(
        { mode: 'child', name: 'gc-held', config: { db, groupCommit: { intervalMs: 60_000, maxWrites: 1_000_000 }, providers: { stripe: { url: sim.url, timeoutMs: 5_000 } } } },
        { supervisor, dataDir: dir },
      );
      let answered = false;
      const first = pay(held.url, 'held-1', 30_000).then((a) => {
        answered = a !== undefined;
        return a;
      });
      // Long enough for the request to be claimed and its payment created (milliseconds, in a gateway that commits).
      await new Promise((r) => setTimeout(r, 800));
      expect(answered).toBe(false);
      expect(sim.ledger.entries()).toEqual([]);
      await held.kill!('SIGKILL');
      expect(await first).toBeUndefined();
      // Nothing of the uncommitted group survived the process.
      expect(rows(db)).toEqual({ payments: 0, keys: 0, attempts: 0 });
      expect(sim.ledger.entries()).toEqual([]);
      await held.close();

      // The same file under a gateway that commits every turn (the default).
      const after = await startSystemUnderTest({ mode: 'child', name: 'gc-after', config: { db, providers: { stripe: { url: sim.url, timeoutMs: 5_000 } } } }, { supervisor, dataDir: dir });
      const retried = await pay(after.url, 'held-1', 10_000);
      expect(retried).toMatchObject({ status: 201, body: { status: 'succeeded', orderId: 'held-1' } });
      // Negative control for the ledger check above: the charge the retry made is there, once.
      expect(sim.ledger.entries().filter((e) => e.kind === 'capture' && e.orderId === 'held-1')).toHaveLength(1);
      await after.close();
      expect(rows(db)).toMatchObject({ payments: 1, keys: 1 });
    } finally {
      await sim.close();
    }
  }, 60_000);
});
