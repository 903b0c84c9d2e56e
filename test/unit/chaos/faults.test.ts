import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { parseNetworkFault, toxicsForFault, type NetworkFaultInput } from '../../../src/chaos/index.js';

describe('network fault steps', () => {
  it.each<[NetworkFaultInput, unknown[]]>([
    [{ type: 'latency', target: 'stripe', latencyMs: 300, jitterMs: 50 }, [{ name: 'paychaos_f_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 50 } }]],
    [
      { type: 'latency', target: 'stripe', latencyMs: 100, direction: 'both', toxicity: 0.5 },
      [
        { name: 'paychaos_f_upstream', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 100, jitter: 0 } },
        { name: 'paychaos_f_downstream', type: 'latency', stream: 'downstream', toxicity: 0.5, attributes: { latency: 100, jitter: 0 } },
      ],
    ],
    [{ type: 'bandwidth', target: 'x', rateKBps: 30 }, [{ name: 'paychaos_f_downstream', type: 'bandwidth', stream: 'downstream', toxicity: 1, attributes: { rate: 30 } }]],
    [
      { type: 'slicer', target: 'x', averageSize: 64, sizeVariation: 16, delayUs: 500, direction: 'upstream' },
      [{ name: 'paychaos_f_upstream', type: 'slicer', stream: 'upstream', toxicity: 1, attributes: { average_size: 64, size_variation: 16, delay: 500 } }],
    ],
    [{ type: 'timeout', target: 'x', timeoutMs: 0 }, [{ name: 'paychaos_f_downstream', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } }]],
    [{ type: 'reset_peer', target: 'x' }, [{ name: 'paychaos_f_downstream', type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } }]],
    [{ type: 'limit_data', target: 'x', bytes: 512 }, [{ name: 'paychaos_f_downstream', type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: 512 } }]],
    [{ type: 'down', target: 'x' }, []],
  ])('maps %j onto its toxics', (input, toxics) => {
    expect(toxicsForFault(parseNetworkFault(input), 'f')).toEqual(toxics);
  });

  it.each([
    [{ type: 'latency', target: 'x', latencyMs: -1 }, 'fault.latencyMs'],
    [{ type: 'latency', target: 'x', latencyMs: 1.5 }, 'fault.latencyMs'],
    [{ type: 'bandwidth', target: 'x', rateKBps: 0 }, 'fault.rateKBps'],
    [{ type: 'slicer', target: 'x', averageSize: 0 }, 'fault.averageSize'],
    [{ type: 'slicer', target: 'x', averageSize: 10, sizeVariation: 10 }, 'fault.sizeVariation'],
    [{ type: 'latency', target: '', latencyMs: 1 }, 'fault.target'],
    [{ type: 'latency', target: 'x', latencyMs: 1, toxicity: 2 }, 'fault.toxicity'],
    [{ type: 'latency', target: 'x', latencyMs: 1, lag: 3 }, 'fault'],
    [{ type: 'blackhole', target: 'x' }, 'fault.type'],
  ])('refuses %j with PAYCHAOS_ERR_CHAOS_BAD_FAULT naming %s', (input, field) => {
    try {
      parseNetworkFault(input);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_BAD_FAULT')).toBe(true);
      expect((err as Error).message).toContain(`${field}`);
    }
  });

  it('reports every problem of a step at once', () => {
    // Without a throw there is nothing to check: that must fail the test too.
    expect(() => parseNetworkFault({ type: 'latency', target: '', latencyMs: -1 })).toThrow(/fault\.target.*fault\.latencyMs|fault\.latencyMs.*fault\.target/);
  });
});
