import type { LatencyMetricConfig } from '../config.js';
import type { MetricResult } from '../result.js';
import { hodgesLehmannShift, mannWhitneyU, percentile, type WeightedSample } from '../stats/index.js';
import { decide } from './decide.js';
import { finiteOrNull, fmt, fmtP } from './format.js';
import { baseResult, nodata } from './shared.js';

/**
 * Latency distributions compared by rank (Mann–Whitney U: is a canary request stochastically
 * slower?) with two effect sizes that say whether it matters: the ratio of a percentile
 * (p95 canary / p95 baseline, what SLOs are written in) and, optionally, the Hodges–Lehmann
 * shift in ms. Ten million requests make 0.1 ms significant; the effect size keeps that a pass.
 */
export function classifyLatency(metric: LatencyMetricConfig, alpha: number, baseline?: WeightedSample, canary?: WeightedSample): MetricResult {
  const base = baseResult(metric, baseline?.total ?? 0, canary?.total ?? 0, metric.minSamples);
  if (!baseline || !canary || baseline.total < metric.minSamples || canary.total < metric.minSamples) {
    return nodata(base, `fewer than ${metric.minSamples} latency samples in a variant (baseline ${baseline?.total ?? 0}, canary ${canary?.total ?? 0})`);
  }
  const mw = mannWhitneyU(baseline, canary);
  const pb = percentile(baseline, metric.percentile);
  const pc = percentile(canary, metric.percentile);
  const ratio = pb === 0 ? (pc === 0 ? 1 : Infinity) : pc / pb;
  const shift = hodgesLehmannShift(baseline, canary);

  const high = ratio > metric.maxRatio || (metric.maxShiftMs !== undefined && shift > metric.maxShiftMs);
  const low = ratio < 1 / metric.maxRatio || (metric.maxShiftMs !== undefined && shift < -metric.maxShiftMs);
  let material: 'high' | 'low' | undefined;
  if (high && metric.direction !== 'decrease') material = 'high';
  else if (low && metric.direction !== 'increase') material = 'low';
  else material = high ? 'high' : low ? 'low' : undefined;
  // Significance must point the same way as the effect: a faster median does not vouch for a slower tail.
  const agrees = material === undefined || (material === 'high' ? mw.z > 0 : mw.z < 0);
  const { classification, why } = decide({ significant: mw.pValue < alpha && agrees, material, direction: metric.direction });

  const p = `p${fmt(metric.percentile)}`;
  const shiftText = `Hodges–Lehmann shift ${shift >= 0 ? '+' : ''}${fmt(shift)} ms${metric.maxShiftMs !== undefined ? ` (tolerance ±${fmt(metric.maxShiftMs)} ms)` : ''}`;
  return {
    ...base,
    classification,
    reason:
      `${p} ${fmt(pb)} ms → ${fmt(pc)} ms (×${fmt(ratio)}, tolerance ×${fmt(metric.maxRatio)}); ${shiftText}; ` +
      `Mann–Whitney U ${fmtP(mw.pValue)} (alpha ${alpha}): ${why}`,
    test: { name: 'mann-whitney-u', statistic: mw.z, pValue: mw.pValue, alpha, method: mw.method },
    effect: {
      kind: 'latency',
      percentile: metric.percentile,
      baselineMs: pb,
      canaryMs: pc,
      ratio: finiteOrNull(ratio),
      maxRatio: metric.maxRatio,
      shiftMs: shift,
      maxShiftMs: metric.maxShiftMs ?? null,
      probabilityCanarySlower: mw.probabilityOfSuperiority,
    },
  };
}
