export { parseExpression, holds, aggregationName } from './expression.js';
export type { Aggregation, Operator, ThresholdExpression } from './expression.js';
export { parseSelector } from './selector.js';
export type { MetricSelector } from './selector.js';
export { METRICS, EVENT_TAGS } from './metrics.js';
export type { MetricDefinition, MetricType } from './metrics.js';
export { ThresholdSet, checkThresholds } from './threshold-set.js';
export type { ThresholdContext, ThresholdItem, ThresholdProblem, ThresholdResult, ThresholdsInput, WindowBounds } from './threshold-set.js';
