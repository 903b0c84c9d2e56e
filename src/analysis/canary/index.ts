/**
 * Canary analysis: statistics and the judge — pure. Its data sources (results files, Prometheus)
 * and its HTTP face (serve judge) are I/O and live in src/judge/.
 *
 *   results.json ─┐                                   ┌─▶ Markdown / JSON (paychaos judge)
 *   Prometheus  ──┼─▶ JudgeInputs ─▶ judge(config) ─▶ JudgeReport ─▶ /judge, /flagger (serve judge)
 *   demo (live) ──┘                                   └─▶ /metrics (Prometheus text for Grafana)
 *
 */

// --- values -----------------------------------------------------------------------------------
export * from './stats/index.js';
export { judge, judgeCanary, verdictExitCode } from './judge.js';
export { inputsFromVariants } from './from-variants.js';
export { variantDataOf } from './from-aggregate.js';
export { parseJudgeConfigText } from './config-text.js';
export { DEFAULT_JUDGE_CONFIG, judgeConfigSchema, parseJudgeConfig, isJudgeConfig } from './config.js';
export { classifyProportion } from './classify/proportion.js';
export { classifyLatency } from './classify/latency.js';
export { classifyDistribution, poolSparse, POOLED } from './classify/distribution.js';
export { decide } from './classify/decide.js';
export { scoreGroups, decideVerdict } from './score.js';
export { renderMarkdown } from './render-markdown.js';
export { renderPrometheus } from './render-prometheus.js';
export { isPrometheusDuration, promqlStringContent, renderQuery, variantPlaceholdersQuoted } from './promql.js';

// --- types ------------------------------------------------------------------------------------
export type {
  JudgeConfig,
  JudgeConfigInput,
  MetricConfig,
  ProportionMetricConfig,
  LatencyMetricConfig,
  DistributionMetricConfig,
  Direction,
} from './config.js';
export type { VariantData, VariantSlice } from './variant-data.js';
export type { AggregateLike } from './from-aggregate.js';
export type { MetricInputs, JudgeInputs } from './inputs.js';
export type {
  Classification,
  Verdict,
  TestReport,
  ProportionEffect,
  LatencyEffect,
  DistributionEffect,
  Effect,
  MetricResult,
  GroupResult,
  JudgeReport,
} from './result.js';
export type { Evidence } from './classify/decide.js';
