import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsSchema } from '../../../src/report/index.js';
import { runScenario, type RunOutcome } from '../../../src/run/index.js';
import { loadScenarios, toRunSpec } from '../../../src/scenario/index.js';
import { isListening, portOf } from '../../helpers/ports.js';

/**
 * A real run (simulators and the reference gateway each their own process, the gateway's SDK
 * exporting to the run's embedded OTLP receiver) in which Stripe goes down and card payments fail
 * over to Adyen. results.serverSide — built from the gateway's spans alone — must agree with what
 * the shoppers saw (events.jsonl, results.variants) and with the gateway's own books (its SQLite
 * file: payments and attempts rows). Duplicate submits and new-key retries are in the mix: their
 * replayed answers are payments to the shopper and to the gateway's spans, but no new booking.
 */
const SCENARIO = `
name: server-side-failover
stack:
  providers: [stripe, adyen]
  seed: 5
  gateway:
    routes: { 'pm_card_*': [stripe, adyen] }
    breaker: { failureThreshold: 3, halfOpenAfterMs: 500 }
load:
  executor: constant-arrival-rate
  rate: 20
  duration: 4s
  mix: cards
  behaviours: { pay: 80, duplicate_submit: 10, new_key_retry: 10 }
timeline:
  - { id: stripe-down, at: 1s, for: 1500ms, target: stripe, type: down }
`;

describe('results.serverSide from the gateway\'s own spans', () => {
  let outcome: RunOutcome;
  let db: Database.Database;
  const prior = { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT, traces: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT };
  beforeAll(async () => {
    // No collector configured: the run receives the spans itself.
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-server-side-'));
    await writeFile(join(dir, 'server-side.yaml'), SCENARIO);
    const [scenario] = await loadScenarios([join(dir, 'server-side.yaml')]);
    outcome = await runScenario(toRunSpec(scenario!, { paychaosVersion: '0.0.0-test', outDir: join(dir, 'out') }));
    db = new Database(join(dir, 'out', 'gateway-baseline.db'), { readonly: true });
  }, 90_000);
  afterAll(() => {
    db?.close();
    if (prior.endpoint !== undefined) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = prior.endpoint;
    if (prior.traces !== undefined) process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = prior.traces;
  });

  it('is written, valid, from the receiver the stack started (and freed at teardown)', async () => {
    const r = outcome.results;
    expect(() => resultsSchema.parse(r)).not.toThrow();
    expect(r.serverSide).toBeDefined();
    expect(r.stack?.['otlp-receiver']).toBe(r.serverSide!.receiver);
    expect(r.serverSide!.spans).toBeGreaterThan(0);
    expect(r.serverSide!.rejected).toBe(0);
    expect(r.serverSide!.overflowed).toBe(0);
    expect(await isListening(portOf(r.serverSide!.receiver))).toBe(false);
  });

  it('counts every payment the shoppers saw, with the same outcomes', () => {
    const client = outcome.results.variants.baseline!;
    const server = outcome.results.serverSide!.variants.baseline!;
    expect(server.payments.count).toBe(client.requests);
    expect(server.payments.outcomes.succeeded ?? 0).toBe(client.succeeded);
    expect(server.payments.outcomes.failed ?? 0).toBe(client.failed);
    expect(server.payments.outcomes.pending ?? 0).toBe(client.pending);
    expect(server.payments.errorCodes).toEqual(client.errorCodes);
  });

  it('counts failovers as the shoppers were told them and as the gateway booked them', async () => {
    const events = (await readFile(outcome.eventsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; failoverFrom?: string });
    const toldFailover = events.filter((e) => e.type === 'payment' && e.failoverFrom !== undefined).length;
    const booked = (db.prepare('SELECT count(*) AS n FROM payments WHERE failover = 1').get() as { n: number }).n;
    const server = outcome.results.serverSide!.variants.baseline!;
    // Stripe was down for 1.5 s of a 4 s run at 20/s: failovers happened (else the check proves nothing).
    expect(booked).toBeGreaterThan(0);
    // Every answer that said "failed over" (replays of a failed-over order included) …
    expect(server.payments.failovers).toBe(toldFailover);
    // … and every payment the gateway booked as failed over made one call on its second channel.
    expect(server.byProvider.adyen!.failoverCalls).toBe(booked);
    expect(server.failoverCalls).toBe(booked);
  });

  it('counts the provider calls the gateway booked: attempts per provider, at least one per payment', () => {
    const server = outcome.results.serverSide!.variants.baseline!;
    const rows = db.prepare("SELECT provider, count(*) AS n FROM attempts WHERE kind = 'charge' AND outcome != 'skipped' GROUP BY provider").all() as Array<{ provider: string; n: number }>;
    const booked = Object.fromEntries(rows.map((r) => [r.provider, r.n]));
    expect(Object.fromEntries(Object.entries(server.byProvider).map(([p, v]) => [p, v.attempts]))).toEqual(booked);
    const payments = (db.prepare('SELECT count(*) AS n FROM payments').get() as { n: number }).n;
    expect(server.attempts).toBeGreaterThanOrEqual(payments);
    expect(server.payments.exemplars.slowest.length).toBeGreaterThan(0);
    for (const id of [...server.payments.exemplars.slowest, ...server.payments.exemplars.errored]) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});

