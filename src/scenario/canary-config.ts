import { z } from 'zod';
import { invalid, readConfigFile, validate } from '../kernel/index.js';
import { parseJudgeConfig, type JudgeConfig, type JudgeConfigInput } from '../analysis/index.js';

/**
 * `paychaos demo --canary-config file`: how the canary gateway differs from the baseline (the
 * regression a release would carry) and, optionally, how to judge it. YAML or JSON, strict:
 * unknown keys are errors, every problem is reported at once with its path.
 *
 *   version: 1.5.0-rc1        # shown on the canary's points and in the report
 *   extraLatencyMs: 25        # added to every canary answer
 *   providerErrorRate: 0.05   # share of canary payments failed with provider_error
 *   providerTimeoutMs: 2000   # the canary's timeout on provider calls (baseline: 10000)
 *   skipOrderGuard: true      # the double-charge bug: a paid order retried with a new key is charged again
 *   judge: { … }              # a judge config (docs/canary.md); default: the judge's defaults
 */
const schema = z
  .object({
    version: z.string().min(1).optional(),
    extraLatencyMs: z.number().min(0).max(60_000).optional(),
    providerErrorRate: z.number().min(0).max(1).optional(),
    providerTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    skipOrderGuard: z.boolean().optional(),
    seed: z.number().int().nonnegative().optional(),
    judge: z.unknown().optional(),
  })
  .strict();

/**
 * The demo's judge when the canary config names none. A demo run is short (hundreds of requests
 * per variant: the standard error of a 10% error rate is ~2 pp), so the judge's production
 * defaults (0.5 pp on the error rate, 10 pp on the code mix at alpha 0.05) would mostly answer
 * "inconclusive" — or, for the code mix, flag noise one run in twenty. These tolerances catch a
 * real regression (+5 pp errors, a 20 ms median shift or a tripled median) and let a clean
 * canary pass. On a busy machine (CI, a laptop) the tail is scheduling noise — a clean canary's
 * p95 was seen at ×1.6 of its baseline's — so the demo judges the median, where a regression
 * shows and noise does not. Production gates should keep the stricter
 * defaults and gather more data.
 */
export const DEMO_JUDGE_CONFIG: JudgeConfigInput = Object.freeze({
  alpha: 0.01,
  groups: { errors: 60, latency: 40 },
  metrics: [
    { name: 'error-rate', kind: 'proportion', group: 'errors', count: 'failed', direction: 'increase', tolerancePp: 5, critical: true, mustHaveData: true },
    { name: 'error-codes', kind: 'distribution', group: 'errors', maxShiftPp: 30, alpha: 0.001 },
    { name: 'latency-p50', kind: 'latency', group: 'latency', percentile: 50, direction: 'increase', maxRatio: 3, maxShiftMs: 20, mustHaveData: true },
  ],
}) as JudgeConfigInput;

export interface CanaryConfig {
  readonly version?: string;
  readonly extraLatencyMs?: number;
  readonly providerErrorRate?: number;
  readonly providerTimeoutMs?: number;
  readonly skipOrderGuard?: boolean;
  readonly seed?: number;
  readonly judge?: JudgeConfig;
}

export function parseCanaryConfig(value: unknown, source = 'canary config'): CanaryConfig {
  const parsed = validate(schema, value ?? {});
  if (!parsed.ok) throw invalid('PAYCHAOS_ERR_DEMO_BAD_CANARY_CONFIG', source, parsed.problems);
  const { judge, ...rest } = parsed.value;
  const out: CanaryConfig = { ...rest, ...(judge !== undefined ? { judge: parseJudgeConfig(judge) } : {}) };
  return Object.freeze(out);
}

export async function loadCanaryConfig(path: string): Promise<CanaryConfig> {
  return parseCanaryConfig(await readConfigFile(path, 'PAYCHAOS_ERR_DEMO_BAD_CANARY_CONFIG', 'canary config'), path);
}
