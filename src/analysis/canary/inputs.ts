import type { Proportion, WeightedSample } from './stats/index.js';

/**
 * One metric's observations for both variants, as a data source delivers them. A side is
 * undefined when the source had nothing for it (an empty Prometheus vector, a results file
 * without a latency histogram): the metric is then `nodata`, never an error and never a pass.
 */
export type MetricInputs =
  | { readonly kind: 'proportion'; readonly baseline?: Proportion; readonly canary?: Proportion }
  | { readonly kind: 'latency'; readonly baseline?: WeightedSample; readonly canary?: WeightedSample }
  | { readonly kind: 'distribution'; readonly baseline?: Readonly<Record<string, number>>; readonly canary?: Readonly<Record<string, number>> };

/** Metric name → its inputs. */
export type JudgeInputs = ReadonlyMap<string, MetricInputs>;
