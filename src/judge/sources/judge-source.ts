import { type JudgeConfig, inputsFromVariants, type JudgeInputs } from '../../analysis/index.js';
import { assertPrometheusUrl, inputsFromPrometheus } from './prometheus.js';
import { readVariantPair } from './results-file.js';

/** Per-request overrides a caller (Argo Rollouts, Flagger, the CLI) may give. */
export interface JudgeRequest {
  readonly window?: string;
  readonly baseline?: string;
  readonly canary?: string;
}

/** Where a judgement's inputs come from; called once per judgement. */
export type JudgeSource = (config: JudgeConfig, request: JudgeRequest) => Promise<JudgeInputs>;

/** Prometheus: every metric's PromQL, per variant label value, over the window. */
export function prometheusSource(url: string): JudgeSource {
  // A URL that can never work is refused now, so a server built on this source never starts.
  assertPrometheusUrl(url);
  return (config, req) =>
    inputsFromPrometheus(config, {
      url,
      ...(req.window ? { window: req.window } : {}),
      ...(req.baseline ? { baseline: req.baseline } : {}),
      ...(req.canary ? { canary: req.canary } : {}),
    });
}

/**
 * Results files, re-read on every judgement so a pipeline can replace them between calls. The
 * same file for both sides must hold both variants (see variantPairFromResults).
 */
export function resultsFilesSource(baselinePath: string, canaryPath: string): JudgeSource {
  return async (config) => {
    const { baseline, canary } = await readVariantPair(baselinePath, canaryPath);
    return inputsFromVariants(config, baseline, canary);
  };
}
