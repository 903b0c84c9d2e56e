import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNoDoubleCharge } from '../../../src/analysis/index.js';
import { Supervisor, startSystemUnderTest } from '../../../src/stack/index.js';
import { startAdyenSim, startStripeSim } from '../../../simulators/index.js';

/**
 * kill -9 of the gateway CHILD process while payments are in flight, then a restart on the same
 * SQLite file (dist/gateway/main.js, built before the tests): every payment the gateway recorded
 * reaches a terminal state through the recovery loop, a client retrying its key gets a terminal
 * answer, and the simulator's ledger shows at most one charge per order — exactly one for each
 * payment the gateway calls succeeded, none for the failed.
 */
const ORDERS = 24;
const dir = mkdtempSync(join(tmpdir(), 'paychaos-crash-'));
const supervisor = new Supervisor({ logDir: dir });
afterAll(async () => {
  await supervisor.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pay(url: string, orderId: string, provider = 'stripe'): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const res = await request(`${url}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `key-${orderId}` },
      body: JSON.stringify({ orderId, amount: 1500, currency: 'EUR', paymentMethod: 'pm_card_visa', provider }),
      headersTimeout: 20_000,
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  } catch {
    return undefined; // the process died under it
  }
}

async function paymentOf(url: string, orderId: string): Promise<Record<string, unknown> | undefined> {
  const res = await request(`${url}/payments/${orderId}`);
  const json = (await res.body.json()) as Record<string, unknown>;
  return res.statusCode === 200 ? json : undefined;
}

interface CrashRun {
  answeredBeforeKill: number;
  pendingAfterRestart: number;
  /** Payments the restarted gateway asked the provider about (attempts of kind query), read from its file. */
  queried: number;
  open: string[];
  retried: Array<{ status: number; body: Record<string, unknown> } | undefined>;
  entries: ReadonlyArray<{ kind: string; orderId: string }>;
  orders: string[];
}

/** Pay ORDERS orders, kill -9 the child mid-run, restart it on the same file, wait up to graceMs for every payment to settle. */
async function crashAndRestart(name: string, regression: { noRecovery?: boolean }, graceMs: number, provider: 'stripe' | 'adyen' = 'stripe'): Promise<CrashRun> {
  // Slow enough that payments are still at the provider when the gateway dies.
  const profile = { latency: { kind: 'uniform' as const, min: 150, max: 900 } };
  const sim = provider === 'stripe' ? await startStripeSim({ seed: 11, profile }) : await startAdyenSim({ seed: 11, profile });
  try {
    const sut = await startSystemUnderTest(
      { mode: 'child', name, config: { logLevel: 'info', regression, recovery: { intervalMs: 200, absentAfterMs: 2_000 }, providers: { [provider]: { url: sim.url, timeoutMs: 5_000 } } } },
      { supervisor, dataDir: dir },
    );
    expect(sut.db).toBe(join(dir, `${name}.db`));
    const orders = Array.from({ length: ORDERS }, (_, i) => `${name}-${i}`);
    // Spread over ~400 ms so the kill lands with payments at every phase.
    const first = orders.map((o, i) => new Promise((r) => setTimeout(r, i * 17)).then(() => pay(sut.url, o, provider)));
    await new Promise((r) => setTimeout(r, 300));
    await sut.kill!('SIGKILL');
    const answeredBeforeKill = (await Promise.all(first)).filter((a) => a !== undefined).length;
    // Let the provider finish what it was given, then bring the gateway back on the same file.
    await new Promise((r) => setTimeout(r, 1_000));
    await sut.restart!();
    const pendingAfterRestart = (await Promise.all(orders.map((o) => paymentOf(sut.url, o)))).filter((p) => p?.status === 'pending').length;

    // Every payment the gateway recorded settles by itself (the recovery loop), within the grace.
    const deadline = Date.now() + graceMs;
    let open: string[] = [];
    for (;;) {
      const states = await Promise.all(orders.map(async (o) => [o, await paymentOf(sut.url, o)] as const));
      open = states.filter(([, p]) => p?.status === 'pending').map(([o]) => o);
      if (open.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // The client retries every order with its key.
    const retried = await Promise.all(orders.map((o) => pay(sut.url, o, provider)));
    await sut.close();
    const db = new Database(sut.db!, { readonly: true });
    const queried = (db.prepare("SELECT count(DISTINCT payment_id) AS n FROM attempts WHERE kind = 'query'").get() as { n: number }).n;
    db.close();
    return { answeredBeforeKill, pendingAfterRestart, queried, open, retried, entries: sim.ledger.entries() as CrashRun['entries'], orders };
  } finally {
    await sim.close();
  }
}

describe('kill -9 of the gateway process mid-payment', () => {
  it('recovers every payment to a terminal state after a restart on the same database, with one charge per order at most', async () => {
    const run = await crashAndRestart('gateway-baseline', {}, 15_000);
    // The kill was mid-run: some answers never came, and the restarted gateway had payments to settle by query.
    expect(run.answeredBeforeKill).toBeLessThan(ORDERS);
    expect(run.queried).toBeGreaterThan(0);
    expect(run.open).toEqual([]);
    // A terminal answer for every retried key, charging nothing new.
    for (const r of run.retried) expect(r?.body.status).toMatch(/^(succeeded|failed)$/);
    expect(checkNoDoubleCharge(run.entries as Parameters<typeof checkNoDoubleCharge>[0]).passed).toBe(true);
    for (const [i, o] of run.orders.entries()) {
      const charges = run.entries.filter((e) => e.kind === 'capture' && e.orderId === o).length;
      expect({ order: o, charges }).toEqual({ order: o, charges: run.retried[i]!.body.status === 'succeeded' ? 1 : 0 });
    }
  }, 60_000);

  it('negative control: with the noRecovery regression the payments left by the kill stay pending past the grace', async () => {
    const run = await crashAndRestart('gateway-norecovery', { noRecovery: true }, 3_000);
    expect(run.pendingAfterRestart).toBeGreaterThan(0);
    expect(run.open.length).toBeGreaterThan(0);
    expect(run.queried).toBe(0);
  }, 60_000);

  it('settles Adyen payments, which have no status query, when the client retries its key: the same call under the same idempotency-key, one charge per order', async () => {
    // No query: the loop leaves them (grace 0), and each retry resumes its key from payment_created.
    const run = await crashAndRestart('gateway-adyen', {}, 0, 'adyen');
    expect(run.answeredBeforeKill).toBeLessThan(ORDERS);
    expect(run.pendingAfterRestart).toBeGreaterThan(0);
    expect(run.queried).toBe(0);
    for (const r of run.retried) expect(r?.body.status).toMatch(/^(succeeded|failed)$/);
    for (const [i, o] of run.orders.entries()) {
      const charges = run.entries.filter((e) => e.kind === 'capture' && e.orderId === o).length;
      expect({ order: o, charges }).toEqual({ order: o, charges: run.retried[i]!.body.status === 'succeeded' ? 1 : 0 });
    }
  }, 60_000);
});
