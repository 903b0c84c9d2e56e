export { readVariant, readVariantPair, variantFromResults, variantPairFromResults } from './results-file.js';
export type { VariantRole } from './results-file.js';
export { queryPrometheus, inputsFromPrometheus, bucketsToSample } from './prometheus.js';
export type { PromSample, PrometheusSourceOptions } from './prometheus.js';
export { loadJudgeConfig } from './config-file.js';
export { prometheusSource, resultsFilesSource } from './judge-source.js';
export type { JudgeSource, JudgeRequest } from './judge-source.js';
