import type { JudgeConfig, MetricConfig } from './config.js';
import type { JudgeInputs, MetricInputs } from './inputs.js';
import type { VariantData, VariantSlice } from './variant-data.js';

/** Derive every metric's inputs from two variants' aggregates (results files, the demo). */
export function inputsFromVariants(config: JudgeConfig, baseline: VariantData, canary: VariantData): JudgeInputs {
  return new Map(config.metrics.map((m) => [m.name, metricInputs(m, slice(baseline, m.provider), slice(canary, m.provider))]));
}

function slice(v: VariantData, provider: string | undefined): VariantSlice | undefined {
  return provider === undefined ? v : v.byProvider?.[provider];
}

function metricInputs(metric: MetricConfig, b: VariantSlice | undefined, c: VariantSlice | undefined): MetricInputs {
  switch (metric.kind) {
    case 'proportion': {
      const events = (s: VariantSlice): number =>
        typeof metric.count === 'string' ? (metric.count === 'pending' ? (s.pending ?? 0) : s[metric.count]) : metric.count.reduce((n, code) => n + (s.errorCodes[code] ?? 0), 0);
      const of = (s: VariantSlice | undefined) => (s && s.requests > 0 ? { events: events(s), trials: s.requests } : undefined);
      return { kind: 'proportion', baseline: of(b), canary: of(c) };
    }
    case 'latency':
      return { kind: 'latency', baseline: b?.latency, canary: c?.latency };
    case 'distribution':
      return { kind: 'distribution', baseline: b?.errorCodes, canary: c?.errorCodes };
  }
}
