import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { profileSeconds, singlesDayProfile, totalIterations } from '../../../load/lib/index.js';

/**
 * The k6 scripts' init context and one iteration, on in-memory stand-ins for k6's modules and
 * globals (no k6 binary exists here): the options they export and that an iteration runs. The
 * k6 API itself is checked by scripts-typecheck.test.ts.
 */
const k6 = vi.hoisted(() => ({ requests: [] as Array<{ method: string; url: string }>, metadata: {} as Record<string, unknown> }));
vi.mock('k6/http', () => ({
  default: {
    expectedStatuses: (...codes: number[]) => ({ codes }),
    request: (method: string, url: string) => {
      k6.requests.push({ method, url });
      return { status: 201, body: '{"status":"succeeded","provider":"stripe"}', error_code: 0, timings: { duration: 3 } };
    },
    batch: () => [],
  },
}));
vi.mock('k6', () => ({ sleep: () => {}, check: () => true }));
vi.mock('k6/metrics', () => ({ Trend: class { add(): void {} }, Rate: class { add(): void {} } }));
vi.mock('k6/execution', () => ({ default: { scenario: { iterationInTest: 0, startTime: 0 }, vu: { metrics: { metadata: k6.metadata } } } }));

const g = globalThis as unknown as { __ENV: Record<string, string>; open: (path: string) => string };
const script = async (name: string, env: Record<string, string>): Promise<Record<string, any>> => {
  g.__ENV = env;
  g.open = () => {
    throw new Error('open() not expected');
  };
  vi.resetModules();
  return (await import(`${pathToFileURL(join(import.meta.dirname, '../../../load', name)).href}?${Date.now()}`)) as Record<string, any>;
};

describe('the k6 scripts in their init context', () => {
  it("singles-day.js exports the scaled midnight spike with VUs for it, and an iteration pays once", async () => {
    const m = await script('singles-day.js', { BASELINE_URL: 'http://127.0.0.1:9', SCALE: '0.002', RUN_ID: 'd11-test' });
    const shape = singlesDayProfile({ scale: 0.002 });
    expect(m.options.scenarios.singles_day).toEqual({
      executor: 'ramping-arrival-rate',
      startRate: shape.startRate,
      timeUnit: '1s',
      stages: shape.stages,
      preAllocatedVUs: Math.ceil(1166 * 0.3) + 10,
      maxVUs: 1166 * 2 + 100,
      tags: { paychaos_arrivals: String(Math.round(totalIterations(shape))), paychaos_arrival_window: `${profileSeconds(shape)}s` },
    });
    expect(m.setup()).toEqual({ runId: 'd11-test' });
    k6.requests.length = 0;
    m.default({ runId: 'd11-test' });
    expect(k6.requests[0]).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/payments/) });
    expect(m.handleSummary({ metrics: {} })).toHaveProperty('summary.json');
  });

  it('payments.js exports a constant arrival rate from the environment', async () => {
    const m = await script('payments.js', { BASELINE_URL: 'http://127.0.0.1:9', RATE: '120', DURATION: '45s' });
    expect(m.options.scenarios.payments).toMatchObject({ executor: 'constant-arrival-rate', rate: 120, duration: '45s' });
    expect(m.setup().runId).toMatch(/^k6-[a-z0-9]+$/);
  });

  it('stops in the init context on a bad traffic config, before any load', async () => {
    await expect(script('payments.js', { MIX: 'black-friday' })).rejects.toThrow(/mix: unknown preset "black-friday"/);
    await expect(script('payments.js', { RUN_ID: 'has spaces' })).rejects.toThrow(/runId: /);
  });
});
