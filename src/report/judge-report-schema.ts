import { z } from 'zod';

/**
 * results.json's `canary`: the canary judge's report (src/analysis/canary/result.ts, JudgeReport)
 * as written. Numbers the judge could not compute are written as null (JSON has no NaN), so every
 * statistic here is nullable; unknown keys are dropped on reading.
 */
const num = z.number().nullable();

const test = z.object({
  name: z.string(),
  statistic: num,
  pValue: num,
  alpha: z.number(),
  method: z.enum(['exact', 'normal']).optional(),
  degreesOfFreedom: z.number().optional(),
});

const categoryShift = z.object({ category: z.string(), count1: z.number(), count2: z.number(), share1: num, share2: num, deltaPp: num, residual: num, pValue: num });

const effect = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('proportion'), baselineRate: num, canaryRate: num, differencePp: num, tolerancePp: z.number(), ciPp: z.tuple([num, num]).readonly() }),
  z.object({
    kind: z.literal('latency'),
    percentile: z.number(),
    baselineMs: num,
    canaryMs: num,
    ratio: num,
    maxRatio: z.number(),
    shiftMs: num,
    maxShiftMs: num,
    probabilityCanarySlower: num,
  }),
  z.object({
    kind: z.literal('distribution'),
    shiftPp: num,
    maxShiftPp: z.number(),
    cramersV: num,
    pooled: z.array(z.string()).readonly(),
    moved: z.array(z.string()).readonly(),
    codes: z.array(categoryShift).readonly(),
  }),
]);

const metric = z.object({
  name: z.string(),
  kind: z.enum(['proportion', 'latency', 'distribution']),
  group: z.string(),
  direction: z.enum(['increase', 'decrease', 'either']),
  critical: z.boolean(),
  mustHaveData: z.boolean(),
  classification: z.enum(['pass', 'high', 'low', 'nodata', 'inconclusive']),
  reason: z.string(),
  samples: z.object({ baseline: z.number(), canary: z.number(), minimum: z.number() }),
  test: test.nullable(),
  effect: effect.nullable(),
});

const group = z.object({ name: z.string(), weight: z.number(), score: num, passed: z.number(), failed: z.number(), unscored: z.number() });

export const judgeReportSchema = z.object({
  verdict: z.enum(['pass', 'marginal', 'fail', 'inconclusive']),
  score: num,
  thresholds: z.object({ pass: z.number(), marginal: z.number() }),
  reasons: z.array(z.string()).readonly(),
  groups: z.array(group).readonly(),
  metrics: z.array(metric).readonly(),
});

export type JudgeReportRecord = z.infer<typeof judgeReportSchema>;
