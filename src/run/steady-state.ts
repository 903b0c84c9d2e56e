import { request } from 'undici';
import { paychaosError } from '../kernel/index.js';
import type { BuiltStack } from './stack-builder.js';

/**
 * The steady-state check before any fault (Gremlin's and AWS FIS's habit): a run whose stack is
 * already unwell would blame the faults for it. Every system under test answers `GET /healthz`
 * below 500, and every native simulator serves its ledger (ground truth must be readable), each
 * within `timeoutMs`. Anything else is PAYCHAOS_ERR_RUN_STEADY_STATE naming every part at fault.
 */
export async function checkSteadyState(stack: BuiltStack, timeoutMs = 3000): Promise<void> {
  const probes: Array<[string, string]> = [
    ...Object.values(stack.systems).map((s): [string, string] => [s.name, `${s.url}/healthz`]),
    ...Object.values(stack.providers.providers)
      .filter((p) => p.simulator.kind !== 'wiremock')
      .map((p): [string, string] => [p.provider, `${p.directUrl}/__sim/ledger`]),
  ];
  const failures = (await Promise.all(probes.map(async ([part, url]) => ((await probe(url, timeoutMs)) ? undefined : `${part} (${url})`)))).filter((f): f is string => f !== undefined);
  if (failures.length > 0) {
    throw paychaosError('PAYCHAOS_ERR_RUN_STEADY_STATE', `steady-state check failed before the timeline: no healthy answer from ${failures.join(', ')}`, { parts: failures });
  }
}

async function probe(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return res.statusCode < 500;
  } catch {
    return false;
  }
}
