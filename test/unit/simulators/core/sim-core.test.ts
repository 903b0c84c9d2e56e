import { describe, expect, it } from 'vitest';
import { IdGenerator, simulatorCore, type FeeModel, type ProviderErrorShape, type SimCoreOptions, type WebhookProtocol } from '../../../../simulators/core/index.js';
import { Random } from '../../../../src/kernel/index.js';

// A seventh provider, built only from the core: what it supplies is its own, the rest must come with it.
const FEES: FeeModel = Object.freeze({ bps: 100, fixedMajor: 0, refunds: 'kept', source: 'test list price: 1%' });
const protocol: WebhookProtocol = {
  render: (event) => ({ body: JSON.stringify(event), headers: {} }),
  accepted: (status) => status === 200,
  retrySchedule: [],
};
const toyError = (status: number) => ({ status, body: { error: status } });
const errors: ProviderErrorShape = { notFound: () => toyError(404), malformed: () => toyError(400), internal: () => toyError(500) };

function toyProvider(options: SimCoreOptions, closed: string[] = []) {
  const core = simulatorCore('toy', options);
  const behaviour = core.behaviour(['declined']);
  const webhooks = core.webhooks(behaviour, protocol);
  const ids = core.ids();
  const app = core.app({
    errors,
    behaviour,
    webhooks,
    settlementCsv: () => core.ledger.entries().map((e) => e.id).join('\n'),
    fees: FEES,
    cycle: { days: 0, utcOffsetMin: 0 },
    report: (lines) => lines.map((l) => `${l.kind}:${l.gross}:${l.fee}`).join('\n'),
    routes: () => {},
    onClose: () => closed.push(`provider (spill still open: ${spillOpen()})`),
  });
  let probes = 0;
  const spillOpen = (): boolean => {
    try {
      core.spill.map(`probe_${probes++}`, 1);
      return true;
    } catch {
      return false;
    }
  };
  return { core, ids, app, spillOpen };
}

const now = () => new Date('2026-11-11T00:00:00Z');
const capture = { kind: 'capture', amount: 10_000, paymentId: 'p1', orderId: 'o1', idempotencyKey: 'k', currency: 'usd', traceId: undefined } as const;

async function reportOf(options: SimCoreOptions): Promise<string> {
  const { core, app } = toyProvider({ seed: 1, now, ...options });
  try {
    core.ledger.record(capture);
    const res = await app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2&asOf=2027-01-01T00:00:00Z' });
    expect(res.statusCode).toBe(200);
    return res.body;
  } finally {
    await app.close();
  }
}

describe('simulatorCore', () => {
  it('charges the settlement report at the list price, or at the contract rate when the stack gives one', async () => {
    expect(await reportOf({})).toBe('capture:10000:100');
    expect(await reportOf({ fees: { bps: 250, fixed: 0.3 } })).toBe('capture:10000:280');
  });

  it('forks the seeded random once per part, in the order the provider asks: a seed replays the same ids', async () => {
    const { ids, app } = toyProvider({ seed: 42 });
    const plain = new Random(42);
    plain.fork(); // behaviour
    plain.fork(); // webhooks
    const expected = new IdGenerator(plain.fork());
    expect([ids.next('pi', 12), ids.next('pi', 12)]).toEqual([expected.next('pi', 12), expected.next('pi', 12)]);
    await app.close();
  });

  it('distinguishes the ids of replicas started with one seed', async () => {
    const a = toyProvider({ seed: 7, instanceId: 'a' });
    const b = toyProvider({ seed: 7, instanceId: 'b' });
    expect(a.ids.next('pi', 12)).not.toBe(b.ids.next('pi', 12));
    await Promise.all([a.app.close(), b.app.close()]);
  });

  it('closes with the app: the provider first, then the spill store it opened', async () => {
    const closed: string[] = [];
    const { app, spillOpen } = toyProvider({ seed: 3 }, closed);
    expect(spillOpen()).toBe(true);
    await app.close();
    expect(closed).toEqual(['provider (spill still open: true)']);
    expect(spillOpen()).toBe(false);
  });

  it('keeps the injected wall clock on the ledger and the seed it was given', async () => {
    const { core, app } = toyProvider({ seed: 9, now });
    expect(core.seed).toBe(9);
    expect(core.nowMs()).toBe(now().getTime());
    expect(core.ledger.record(capture).at).toBe('2026-11-11T00:00:00.000Z');
    await app.close();
  });
});
