import { EXIT, paychaosError } from '../../kernel/index.js';
import { classifyDistribution } from './classify/distribution.js';
import { classifyLatency } from './classify/latency.js';
import { classifyProportion } from './classify/proportion.js';
import { DEFAULT_JUDGE_CONFIG, isJudgeConfig, parseJudgeConfig, type JudgeConfig, type JudgeConfigInput, type MetricConfig } from './config.js';
import { inputsFromVariants } from './from-variants.js';
import type { JudgeInputs, MetricInputs } from './inputs.js';
import type { JudgeReport, MetricResult, Verdict } from './result.js';
import { decideVerdict, scoreGroups } from './score.js';
import type { VariantData } from './variant-data.js';

/**
 *   inputs (per metric) ──classify──▶ MetricResult[] ──score groups──▶ score ──rules──▶ verdict
 *
 * Pure: the same inputs and config always give the same report.
 */
export function judge(config: JudgeConfig, inputs: JudgeInputs): JudgeReport {
  const metrics = config.metrics.map((metric) => classify(metric, config.alpha, inputs.get(metric.name)));
  const { groups, score } = scoreGroups(config, metrics);
  const { verdict, reasons } = decideVerdict(config, metrics, score);
  return { verdict, score, thresholds: { ...config.thresholds }, reasons, groups, metrics };
}

/**
 * Judge a canary against its baseline from their aggregates — what `paychaos judge` does with
 * results files and what `paychaos demo --canary` calls in-process. Without a config, the
 * documented default (DEFAULT_JUDGE_CONFIG) applies.
 */
export function judgeCanary(baseline: VariantData, canary: VariantData, config: JudgeConfig | JudgeConfigInput = DEFAULT_JUDGE_CONFIG): JudgeReport {
  const parsed = isJudgeConfig(config) ? config : parseJudgeConfig(config);
  return judge(parsed, inputsFromVariants(parsed, baseline, canary));
}

function classify(metric: MetricConfig, defaultAlpha: number, input: MetricInputs | undefined): MetricResult {
  const alpha = metric.alpha ?? defaultAlpha;
  if (input && input.kind !== metric.kind) {
    // A data source bug, not a user error: sources build inputs from the same config.
    throw paychaosError('PAYCHAOS_ERR_HARNESS_BUG', `metric ${metric.name} is a ${metric.kind} metric but its input is ${input.kind}`, { metric: metric.name });
  }
  switch (metric.kind) {
    case 'proportion': {
      const i = input as Extract<MetricInputs, { kind: 'proportion' }> | undefined;
      return classifyProportion(metric, alpha, i?.baseline, i?.canary);
    }
    case 'latency': {
      const i = input as Extract<MetricInputs, { kind: 'latency' }> | undefined;
      return classifyLatency(metric, alpha, i?.baseline, i?.canary);
    }
    case 'distribution': {
      const i = input as Extract<MetricInputs, { kind: 'distribution' }> | undefined;
      return classifyDistribution(metric, alpha, i?.baseline, i?.canary);
    }
  }
}

/** The exit code a pipeline gates on: pass 0, fail 1, inconclusive and marginal 4 (docs/canary.md). */
export function verdictExitCode(verdict: Verdict): number {
  switch (verdict) {
    case 'pass':
      return EXIT.OK;
    case 'fail':
      return EXIT.ASSERTION_FAILED;
    case 'marginal':
    case 'inconclusive':
      return EXIT.INCONCLUSIVE;
  }
}
