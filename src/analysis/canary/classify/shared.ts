import type { MetricConfig } from '../config.js';
import type { MetricResult } from '../result.js';

/** The fields every metric result carries, before classification. */
export function baseResult(metric: MetricConfig, nBaseline: number, nCanary: number, minimum: number): MetricResult {
  return {
    name: metric.name,
    kind: metric.kind,
    group: metric.group,
    direction: metric.direction,
    critical: metric.critical,
    mustHaveData: metric.mustHaveData,
    classification: 'nodata',
    reason: '',
    samples: { baseline: nBaseline, canary: nCanary, minimum },
    test: null,
    effect: null,
  };
}

export function nodata(base: MetricResult, why: string): MetricResult {
  return { ...base, classification: 'nodata', reason: `no data: ${why}` };
}
