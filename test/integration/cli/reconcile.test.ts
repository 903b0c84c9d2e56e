import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { fakeIo } from '../../helpers/fake-io.js';

/**
 * `paychaos reconcile` end to end: the books from a URL (a stand-in for the gateway's GET /ledger)
 * and from a file, the settlement report from a running Stripe simulator's version 2 route; the
 * statement on stdout or in --out, the summary, the exit code, the filters.
 */
let dir: string;
let sim: StartedStripeSim;
let books: Server;
let booksUrl: string;

const entry = (orderId: string, paymentId: string, amount: number, bookedAt: string, paymentMethod = 'card') => ({
  paymentId: `pay_${orderId}`, orderId, provider: 'stripe', providerPaymentId: paymentId, paymentMethod, kind: 'capture', reference: 'capture', amount, currency: 'EUR', bookedAt,
  lines: [{ account: 'provider_clearing:stripe', amount }, { account: 'shopper', amount: -amount }],
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paychaos-reconcile-cli-'));
  sim = await startStripeSim({ seed: 1, now: () => new Date('2026-11-11T10:00:00.000Z') });
  // What Stripe did: two charges. The books hold the first right and the second 1 cent short.
  sim.ledger.append({ kind: 'capture', paymentId: 'pi_A', orderId: 'order-a', idempotencyKey: undefined, amount: 1000, currency: 'eur', traceId: undefined, reference: 'ch_A' });
  sim.ledger.append({ kind: 'capture', paymentId: 'pi_B', orderId: 'order-b', idempotencyKey: undefined, amount: 2500, currency: 'eur', traceId: undefined, reference: 'ch_B' });
  const body = JSON.stringify({ entries: [entry('order-a', 'pi_A', 1000, '2026-11-11T10:00:00.000Z'), entry('order-b', 'pi_B', 2499, '2026-11-11T12:00:00.000Z', 'wallet')] });
  books = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((r) => books.listen(0, '127.0.0.1', r));
  booksUrl = `http://127.0.0.1:${(books.address() as AddressInfo).port}/ledger`;
  await writeFile(join(dir, 'books.json'), body);
});
afterAll(async () => {
  await sim?.close();
  await new Promise((r) => books?.close(r));
  await rm(dir, { recursive: true, force: true });
});

const settlement = () => `stripe=${sim.url}/__sim/settlement.csv?version=2`;

describe('paychaos reconcile', () => {
  it('prints the statement and a summary, and exits 1 naming the amount off', async () => {
    const io = fakeIo();
    const exit = await runCli(['reconcile', '--books', booksUrl, '--settlement', settlement()], io);
    expect(exit).toBe(1);
    const rows = io.out().trim().split('\r\n');
    expect(rows[0]).toMatch(/^provider,order_id,provider_reference,/);
    const status = rows[0]!.split(',').indexOf('status');
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 3).concat(r.split(',')[status]!))).toEqual([
      ['stripe', 'order-a', 'pi_A', 'matched'],
      ['stripe', 'order-b', 'pi_B', 'amount-mismatch'],
    ]);
    // Stripe's fee on 10.00 EUR (2.9% + 0.30) and the payout two days on.
    expect(rows[1]).toContain(',10.00,0.00,0.00,,10.00,0.00,0.00,0.59,9.41,,,2026-11-13,matched,');
    expect(io.err()).toBe('reconciled 2 payment(s) at stripe: 1 matched, 1 mismatch(es) — amount-mismatch 1\n');
  });

  it('filters by order, time and method: a clean selection exits 0; --out writes the statement', async () => {
    const io = fakeIo();
    const out = join(dir, 'out/statement.csv');
    expect(await runCli(['reconcile', '--books', join(dir, 'books.json'), '--settlement', settlement(), '--order', 'order-a', '--out', out], io)).toBe(0);
    expect(io.out()).toBe(`reconciled 1 payment(s) at stripe: 1 matched, 0 mismatch(es)\nstatement ${out}\n`);
    expect((await readFile(out, 'utf8')).trim().split('\r\n')).toHaveLength(2);
    expect(await runCli(['reconcile', '--books', booksUrl, '--settlement', settlement(), '--until', '2026-11-11T11:00:00Z'], fakeIo())).toBe(0);
    expect(await runCli(['reconcile', '--books', booksUrl, '--settlement', settlement(), '--since', '2026-11-11T11:00:00Z'], fakeIo())).toBe(1);
    expect(await runCli(['reconcile', '--books', booksUrl, '--settlement', settlement(), '--method', 'card'], fakeIo())).toBe(0);
    expect(await runCli(['reconcile', '--books', booksUrl, '--settlement', settlement(), '--method', 'wallet'], fakeIo())).toBe(1);
  });

  it('says a URL that does not answer 200 is unreadable (exit 2)', async () => {
    const io = fakeIo();
    expect(await runCli(['reconcile', '--books', `${booksUrl}`, '--settlement', `${sim.url}/__sim/settlement.csv?version=9`], io)).toBe(2);
    expect(io.err()).toMatch(/--settlement .*version=9: answered 400\n  code: PAYCHAOS_ERR_RECONCILE_UNREADABLE/);
  });
});
