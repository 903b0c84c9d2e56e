import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { checkSteadyState, type BuiltStack } from '../../../src/run/index.js';

/** A server on a free port answering every request with `status`. */
async function answering(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(status).end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

function stackOf(systemUrl: string, simulatorUrl: string): BuiltStack {
  return {
    systems: { baseline: { name: 'gateway-baseline', url: systemUrl } },
    providers: { providers: { stripe: { provider: 'stripe', directUrl: simulatorUrl, simulator: { kind: 'native' } } } },
  } as unknown as BuiltStack;
}

describe('the steady-state check before the timeline', () => {
  it('passes when the system answers below 500 (a 404 /healthz will do) and the simulator serves its ledger', async () => {
    const system = await answering(404);
    const simulator = await answering(200);
    try {
      await expect(checkSteadyState(stackOf(system.url, simulator.url))).resolves.toBeUndefined();
    } finally {
      await system.close();
      await simulator.close();
    }
  });

  it('fails with a coded error naming every part that is unwell: a 503 and a closed port', async () => {
    const system = await answering(503);
    const gone = await answering(200);
    await gone.close();
    try {
      const err = await checkSteadyState(stackOf(system.url, gone.url), 500).catch((e: unknown) => e);
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_RUN_STEADY_STATE')).toBe(true);
      expect((err as Error).message).toContain(`gateway-baseline (${system.url}/healthz)`);
      expect((err as Error).message).toContain(`stripe (${gone.url}/__sim/ledger)`);
      expect((err as { exitCode: number }).exitCode).toBe(3);
    } finally {
      await system.close();
    }
  });
});
