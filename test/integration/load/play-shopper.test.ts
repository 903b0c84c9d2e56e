import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNoDoubleCharge, type PaymentEvent } from '../../../src/analysis/index.js';
import { startGateway } from '../../../gateway/index.js';
import { HttpTarget, planShopper, playShopper, trafficConfig } from '../../../src/load/index.js';
import type { Listening } from '../../../src/kernel/index.js';
import { startStripeSim } from '../../../simulators/index.js';

const ONLY = (b: string) => ({ pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, [b]: 1 });

describe('playing the traffic model against the reference gateway', () => {
  let sim: Awaited<ReturnType<typeof startStripeSim>>;
  let gateway: Listening;
  let target: HttpTarget;
  beforeAll(async () => {
    sim = await startStripeSim();
    gateway = await startGateway({ providers: { stripe: { url: sim.url } } });
    target = new HttpTarget(gateway.url);
  });
  afterAll(async () => {
    await target.close();
    await gateway.close();
    await sim.close();
  });

  async function play(behaviour: string, shoppers: number, cut = new AbortController().signal): Promise<PaymentEvent[]> {
    const config = trafficConfig({ runId: `t-${behaviour}`, seed: 3, behaviours: ONLY(behaviour), duplicateAfter: { minMs: 10, maxMs: 50 }, resumeAfter: { minMs: 10, maxMs: 50 }, mix: [{ provider: 'stripe', method: 'card', weight: 1, paymentMethods: [['pm_card_visa', 1]], currencies: [['eur', 1]], amount: { min: 100, max: 1000 } }] });
    const events: PaymentEvent[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: shoppers }, (_, index) =>
        playShopper(planShopper({ index }, config), performance.now(), { targets: { baseline: target }, t0, cut, record: (e) => events.push(e), aborted: () => {} }),
      ),
    );
    return events;
  }

  it('records one event per submit, labelled with what the shopper did', async () => {
    const events = await play('duplicate_submit', 10);
    expect(events).toHaveLength(20);
    expect(events.filter((e) => e.behaviour === 'duplicate')).toHaveLength(10);
    // The duplicate carries the first submit's key and is answered with the stored result.
    for (const dup of events.filter((e) => e.behaviour === 'duplicate')) {
      const first = events.find((e) => e.orderId === dup.orderId && e.behaviour === 'first')!;
      expect(dup.idempotencyKey).toBe(first.idempotencyKey);
      expect(dup.outcome).toBe('succeeded');
    }
  });

  it('sends the double-charge trap (same order, new key) and the gateway charges each order once', async () => {
    const events = await play('new_key_retry', 10);
    expect(events.filter((e) => e.behaviour === 'new_key')).toHaveLength(10);
    expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(20);
    const ledger = sim.ledger.entries().filter((e) => e.orderId.startsWith('t-new_key_retry'));
    expect(ledger.filter((e) => e.kind === 'capture')).toHaveLength(10);
    expect(checkNoDoubleCharge(ledger).passed).toBe(true);
  });

  it('plays a double click as a concurrent burst on one key: one charge per order', async () => {
    const events = await play('double_click', 10);
    expect(events.filter((e) => e.behaviour === 'double_click').length).toBeGreaterThanOrEqual(10);
    const ledger = sim.ledger.entries().filter((e) => e.orderId.startsWith('t-double_click'));
    expect(ledger.filter((e) => e.kind === 'capture')).toHaveLength(10);
  });

  it('lets an abandoning shopper query first and pay on return; queries are not payment events', async () => {
    const events = await play('abandon_resume', 5);
    expect(events.every((e) => e.behaviour === 'resume')).toBe(true);
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.outcome === 'succeeded')).toBe(true);
  });

  it('stops a shopper at once when the harness cuts the run', async () => {
    const ac = new AbortController();
    ac.abort();
    const started = performance.now();
    const events = await play('abandon_resume', 5, ac.signal);
    expect(events).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
