import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { eventLoopDelayProbe, LoadShedder, shedAnswer, sheddingWithDefaults } from '../../../../gateway/resilience/index.js';

describe('load shedding', () => {
  it('admits up to maxInFlight payments and refuses the next with 429 and Retry-After until one is released', () => {
    const shedder = new LoadShedder(sheddingWithDefaults({ maxInFlight: 2, retryAfterS: 3 }));
    const a = shedder.enter();
    const b = shedder.enter();
    const c = shedder.enter();
    expect([a.admitted, b.admitted, c.admitted]).toEqual([true, true, false]);
    if (c.admitted) throw new Error('unreachable');
    expect(shedAnswer(c)).toMatchObject({ status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 'PAYCHAOS_ERR_GATEWAY_OVERLOADED' } } });
    if (!a.admitted) throw new Error('unreachable');
    a.release();
    a.release(); // twice: frees one slot, not two
    expect(shedder.inFlight).toBe(1);
    expect(shedder.enter().admitted).toBe(true);
    expect(shedder.enter().admitted).toBe(false);
    expect(shedder.shed).toBe(2);
  });

  it('maxInFlight 0 turns shedding off', () => {
    const shedder = new LoadShedder(sheddingWithDefaults({ maxInFlight: 0 }));
    for (let i = 0; i < 10_000; i++) expect(shedder.enter().admitted).toBe(true);
  });

  it('wired in front of a slow payment route, answers the excess 429 at once while the admitted ones finish', async () => {
    const shedder = new LoadShedder(sheddingWithDefaults({ maxInFlight: 5, retryAfterS: 1 }));
    const app = Fastify();
    // The wiring the gateway's POST /payments needs: enter first, release in a finally.
    app.post('/payments', async (_req, reply) => {
      const slot = shedder.enter();
      if (!slot.admitted) {
        const answer = shedAnswer(slot);
        return reply.code(answer.status).headers(answer.headers).send(answer.body);
      }
      try {
        await new Promise((r) => setTimeout(r, 200));
        return reply.code(201).send({ status: 'succeeded' });
      } finally {
        slot.release();
      }
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: '/payments', payload: {} })));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(answers.find((a) => a.statusCode === 429)!.headers['retry-after']).toBe('1');
    expect(shedder.inFlight).toBe(0);
    // Control: the same burst against a bound that does not bind is all admitted.
    const roomy = new LoadShedder(sheddingWithDefaults({ maxInFlight: 100 }));
    expect(Array.from({ length: 20 }, () => roomy.enter().admitted).every(Boolean)).toBe(true);
    await app.close();
  });

  it('sheds while the event loop is drowning, whatever the count in flight, and admits again once it recovers', () => {
    let delay = 5;
    const shedder = new LoadShedder(sheddingWithDefaults({ maxInFlight: 1000, maxEventLoopDelayMs: 100 }), () => delay);
    expect(shedder.enter().admitted).toBe(true);
    delay = 250;
    expect(shedder.enter()).toMatchObject({ admitted: false, status: 429 });
    delay = 20;
    expect(shedder.enter().admitted).toBe(true);
    // Control: without the setting the same delay sheds nothing.
    expect(new LoadShedder(sheddingWithDefaults({ maxInFlight: 1000 }), () => 250).enter().admitted).toBe(true);
  });

  it('the probe sees a blocked event loop', async () => {
    const probe = eventLoopDelayProbe(60_000);
    try {
      await new Promise((r) => setTimeout(r, 30));
      const until = performance.now() + 120;
      while (performance.now() < until) {
        /* block the loop, as a CPU-bound burst would */
      }
      await new Promise((r) => setTimeout(r, 30));
      expect(probe.read()).toBeGreaterThan(60);
    } finally {
      probe.close();
    }
  });
});
