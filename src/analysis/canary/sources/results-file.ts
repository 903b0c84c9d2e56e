import { paychaosError } from '../../../errors.js';
import { readResults, type Results } from '../../../report/index.js';
import { LatencyHistogram } from '../../latency-histogram.js';
import { weightedSample } from '../stats/index.js';
import type { VariantData, VariantSlice } from '../variant-data.js';

export type VariantRole = 'baseline' | 'canary';

type ResultsVariant = NonNullable<Results['variants']['baseline']>;

/**
 * The variant of a results file to judge in a role: the one named for the role, or else the
 * file's only variant. So `--baseline A.json --canary B.json` works with single-variant runs
 * and with one run holding both (pass the same file twice).
 */
export function variantFromResults(results: Results, role: VariantRole, source = 'results'): VariantData {
  const present = (['baseline', 'canary'] as const).filter((r) => results.variants[r] !== undefined);
  const chosen = results.variants[role] ?? (present.length === 1 ? results.variants[present[0]!] : undefined);
  if (!chosen) {
    throw paychaosError(
      'PAYCHAOS_ERR_JUDGE_NO_VARIANT',
      present.length === 0 ? `${source} has no variants to judge` : `${source} has no "${role}" variant (it has ${present.join(', ')})`,
      { source, role, present },
    );
  }
  return toVariantData(chosen);
}

export async function readVariant(path: string, role: VariantRole): Promise<VariantData> {
  return variantFromResults(await readResults(path), role, path);
}

function toVariantData(v: ResultsVariant): VariantData {
  const slice = (s: Omit<ResultsVariant, 'byProvider' | 'latencyHistogram'>): VariantSlice => ({
    requests: s.requests,
    succeeded: s.succeeded,
    failed: s.failed,
    pending: s.pending,
    errorCodes: s.errorCodes,
  });
  // An empty histogram string means "not recorded": leave latency out so the metric is nodata.
  const latency = v.latencyHistogram ? weightedSample(LatencyHistogram.decode(v.latencyHistogram).weightedValues()) : undefined;
  return {
    ...slice(v),
    ...(latency && latency.total > 0 ? { latency } : {}),
    byProvider: Object.fromEntries(Object.entries(v.byProvider).map(([name, s]) => [name, slice(s)])),
  };
}
