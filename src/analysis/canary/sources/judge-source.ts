import type { JudgeConfig } from '../config.js';
import { inputsFromVariants } from '../from-variants.js';
import type { JudgeInputs } from '../inputs.js';
import { inputsFromPrometheus } from './prometheus.js';
import { readVariant } from './results-file.js';

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
  return (config, req) =>
    inputsFromPrometheus(config, {
      url,
      ...(req.window ? { window: req.window } : {}),
      ...(req.baseline ? { baseline: req.baseline } : {}),
      ...(req.canary ? { canary: req.canary } : {}),
    });
}

/** Results files, re-read on every judgement so a pipeline can replace them between calls. */
export function resultsFilesSource(baselinePath: string, canaryPath: string): JudgeSource {
  return async (config) => {
    const [baseline, canary] = await Promise.all([readVariant(baselinePath, 'baseline'), readVariant(canaryPath, 'canary')]);
    return inputsFromVariants(config, baseline, canary);
  };
}
