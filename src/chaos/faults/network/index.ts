import { z } from 'zod';
import { formatPath, problemsOf, paychaosError } from '../../../kernel/index.js';
import { bandwidth } from './bandwidth.js';
import { down } from './down.js';
import { latency } from './latency.js';
import { limitData } from './limit-data.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { timeout } from './timeout.js';

/** Layer 1, the network: each step a Toxiproxy toxic (or, for `down`, a disabled proxy). */
export const NETWORK_STEPS = Object.freeze([latency, bandwidth, slicer, timeout, resetPeer, limitData, down]);

const id = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
const target = z.string().min(1, 'give the name of the proxy to act on');
const named = { id: id.optional(), target };

/**
 * A network fault as the control plane takes it on its own (`applyFault`): one step's params
 * plus `type`, `target` and an optional `id`. Built from the step files, so the two never differ.
 */
export const networkFaultSchema = z.discriminatedUnion('type', [
  latency.schema.safeExtend({ type: z.literal('latency'), ...named }),
  bandwidth.schema.safeExtend({ type: z.literal('bandwidth'), ...named }),
  slicer.schema.safeExtend({ type: z.literal('slicer'), ...named }),
  timeout.schema.safeExtend({ type: z.literal('timeout'), ...named }),
  resetPeer.schema.safeExtend({ type: z.literal('reset_peer'), ...named }),
  limitData.schema.safeExtend({ type: z.literal('limit_data'), ...named }),
  down.schema.safeExtend({ type: z.literal('down'), ...named }),
]);

export type NetworkFaultInput = z.input<typeof networkFaultSchema>;
export type NetworkFault = z.output<typeof networkFaultSchema>;
export type NetworkFaultType = NetworkFault['type'];

/** Validate a fault step once, reporting every problem with its path; the result is frozen. */
export function parseNetworkFault(input: unknown, where = 'fault'): Readonly<NetworkFault> {
  const result = networkFaultSchema.safeParse(input);
  if (!result.success) {
    const found = problemsOf(result.error, [where]);
    const problems = found.map((p) => `${p.path}: ${p.message}`);
    throw paychaosError('PAYCHAOS_ERR_CHAOS_BAD_FAULT', problems.join('; '), { problems, fields: result.error.issues.map((i) => formatPath(i.path)) });
  }
  return Object.freeze(result.data);
}
