import { z } from 'zod';
import { paychaosError } from '../kernel/index.js';

/**
 * Layer-1 (network) fault steps, as a scenario names them (DESIGN.md "Fault layers"). Each maps
 * onto Toxiproxy toxics (toxics-for-fault.ts), except `down`, which disables the proxy.
 * `direction` says which bytes suffer: `downstream` = responses (Toxiproxy's default),
 * `upstream` = requests, `both` = one toxic each way.
 */
const direction = z.enum(['downstream', 'upstream', 'both']).default('downstream');
const target = z.string().min(1, 'give the name of the proxy to act on');
const toxicity = z.number().min(0).max(1).default(1);
const ms = (what: string) => z.number().int(`${what} must be a whole number of milliseconds`).nonnegative(`${what} must be 0 or more`);
const common = { id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').optional(), target, direction, toxicity };

export const networkFaultSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('latency'), ...common, latencyMs: ms('latencyMs'), jitterMs: ms('jitterMs').default(0) }),
  z.strictObject({ type: z.literal('bandwidth'), ...common, rateKBps: z.number().int().positive('rateKBps must be more than 0 (0 would stop all data)') }),
  z
    .strictObject({
      type: z.literal('slicer'),
      ...common,
      averageSize: z.number().int().positive('averageSize must be more than 0 bytes'),
      sizeVariation: z.number().int().nonnegative().default(0),
      delayUs: z.number().int().nonnegative().default(0),
    })
    .refine((f) => f.sizeVariation < f.averageSize, { message: 'sizeVariation must be less than averageSize', path: ['sizeVariation'] }),
  z.strictObject({ type: z.literal('timeout'), ...common, timeoutMs: ms('timeoutMs') }),
  z.strictObject({ type: z.literal('reset_peer'), ...common, timeoutMs: ms('timeoutMs').default(0) }),
  z.strictObject({ type: z.literal('limit_data'), ...common, bytes: z.number().int().nonnegative('bytes must be 0 or more') }),
  z.strictObject({ type: z.literal('down'), id: common.id, target }),
]);

export type NetworkFaultInput = z.input<typeof networkFaultSchema>;
export type NetworkFault = z.output<typeof networkFaultSchema>;
export type NetworkFaultType = NetworkFault['type'];

/** Validate a fault step once, reporting every problem with its path; the result is frozen. */
export function parseNetworkFault(input: unknown, where = 'fault'): Readonly<NetworkFault> {
  const result = networkFaultSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
    throw paychaosError('PAYCHAOS_ERR_CHAOS_BAD_FAULT', problems.join('; '), { problems, fields: result.error.issues.map((i) => i.path.join('.')) });
  }
  return Object.freeze(result.data);
}
