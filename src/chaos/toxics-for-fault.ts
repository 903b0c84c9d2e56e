import type { NetworkFault } from './faults/network/index.js';

/** The body of one `POST /proxies/{name}/toxics`, as toxiproxy-node-client sends it. */
export interface ToxicSpec {
  readonly name: string;
  readonly type: 'latency' | 'bandwidth' | 'slicer' | 'timeout' | 'reset_peer' | 'limit_data';
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** Every toxic paychaos creates starts with this, so teardown can find leftovers by name. */
export const TOXIC_PREFIX = 'paychaos_';

/**
 * The toxics that realise a fault (none for `down`, which disables the proxy instead). Pure:
 * the mapping is tested as a table. Units follow Toxiproxy: ms, KB/s (1000 bytes), bytes, and
 * microseconds for the slicer delay.
 */
export function toxicsForFault(fault: NetworkFault, id: string): ToxicSpec[] {
  if (fault.type === 'down') return [];
  const streams: Array<'upstream' | 'downstream'> = fault.direction === 'both' ? ['upstream', 'downstream'] : [fault.direction];
  return streams.map((stream): ToxicSpec => {
    const base = { name: `${TOXIC_PREFIX}${id}_${stream}`, stream, toxicity: fault.toxicity };
    switch (fault.type) {
      case 'latency':
        return { ...base, type: 'latency', attributes: { latency: fault.latencyMs, jitter: fault.jitterMs } };
      case 'bandwidth':
        return { ...base, type: 'bandwidth', attributes: { rate: fault.rateKBps } };
      case 'slicer':
        return { ...base, type: 'slicer', attributes: { average_size: fault.averageSize, size_variation: fault.sizeVariation, delay: fault.delayUs } };
      case 'timeout':
        return { ...base, type: 'timeout', attributes: { timeout: fault.timeoutMs } };
      case 'reset_peer':
        return { ...base, type: 'reset_peer', attributes: { timeout: fault.timeoutMs } };
      case 'limit_data':
        return { ...base, type: 'limit_data', attributes: { bytes: fault.bytes } };
    }
  });
}
