import { stat } from 'node:fs/promises';
import { paychaosError } from '../../kernel/index.js';
import { readResults, type Results } from '../../report/index.js';
import { LatencyHistogram, weightedSample, type VariantData, type VariantSlice } from '../../analysis/index.js';

export type VariantRole = 'baseline' | 'canary';

type ResultsVariant = NonNullable<Results['variants']['baseline']>;

/**
 * The variant of a results file to judge in a role: the one named for the role, or else the
 * file's only variant. So `--baseline A.json --canary B.json` works with single-variant runs.
 * Choosing both sides of a judgement goes through variantPairFromResults, which never lets
 * that fallback pick one variant for both roles.
 */
export function variantFromResults(results: Results, role: VariantRole, source = 'results'): VariantData {
  return toVariantData(chooseVariant(results, role, source, true).variant);
}

/**
 * Both sides of a judgement. Passing the same Results object twice means "one file holding
 * both": each role then takes only the variant named for it. Invariant: a variant is never
 * compared with itself — not from one file, and not from two copies of the same run (same
 * runId, same variant) — because that comparison always passes.
 */
export function variantPairFromResults(
  baseline: Results,
  canary: Results,
  sources: { readonly baseline: string; readonly canary: string } = { baseline: 'the baseline results', canary: 'the canary results' },
): { baseline: VariantData; canary: VariantData } {
  const oneFile = baseline === canary;
  const b = chooseVariant(baseline, 'baseline', sources.baseline, !oneFile);
  const c = chooseVariant(canary, 'canary', sources.canary, !oneFile);
  if (b.key === c.key && baseline.runId === canary.runId) {
    throw paychaosError(
      'PAYCHAOS_ERR_JUDGE_NO_VARIANT',
      `${sources.baseline} and ${sources.canary} hold the same "${b.key}" variant of run ${baseline.runId}: a canary judged against itself always passes. ` +
        'Give the baseline its own results file (another run), or one file holding both variants.',
      { baseline: sources.baseline, canary: sources.canary, runId: baseline.runId, variant: b.key },
    );
  }
  return { baseline: toVariantData(b.variant), canary: toVariantData(c.variant) };
}

export async function readVariant(path: string, role: VariantRole): Promise<VariantData> {
  await statResultsFile(path);
  return variantFromResults(await readResults(path), role, path);
}

/**
 * Read both sides from two paths. Two paths to one file (the same path, a symlink, a hard
 * link) are read once and judged as one file holding both variants.
 */
export async function readVariantPair(baselinePath: string, canaryPath: string): Promise<{ baseline: VariantData; canary: VariantData }> {
  const [b, c] = await Promise.all([statResultsFile(baselinePath), statResultsFile(canaryPath)]);
  if (b.dev === c.dev && b.ino === c.ino) {
    const results = await readResults(baselinePath);
    return variantPairFromResults(results, results, { baseline: baselinePath, canary: canaryPath });
  }
  const [baseline, canary] = await Promise.all([readResults(baselinePath), readResults(canaryPath)]);
  return variantPairFromResults(baseline, canary, { baseline: baselinePath, canary: canaryPath });
}

/**
 * A results file's identity (device and inode), which tells two paths to one file apart from
 * two files. A missing file is reported as not found, not as a file of the wrong schema.
 */
export async function statResultsFile(path: string): Promise<{ dev: bigint; ino: bigint }> {
  try {
    return await stat(path, { bigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      // PAYCHAOS_ERR_RESULTS_INVALID is the closest code today; its hint is about the schema.
      throw paychaosError('PAYCHAOS_ERR_RESULTS_NOT_FOUND', `${path} not found: no such results file`, { path, reason: 'not found' }, { cause: err });
    }
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `cannot read ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
}

function chooseVariant(results: Results, role: VariantRole, source: string, allowOnly: boolean): { key: VariantRole; variant: ResultsVariant } {
  const present = (['baseline', 'canary'] as const).filter((r) => results.variants[r] !== undefined);
  const key = results.variants[role] !== undefined ? role : allowOnly && present.length === 1 ? present[0]! : undefined;
  if (key !== undefined) return { key, variant: results.variants[key]! };
  if (present.length === 0) throw paychaosError('PAYCHAOS_ERR_JUDGE_NO_VARIANT', `${source} has no variants to judge`, { source, role, present });
  const example = role === 'baseline' ? `--baseline BASELINE.json --canary ${source}` : `--baseline ${source} --canary CANARY.json`;
  const message = allowOnly
    ? `${source} has no "${role}" variant (it has ${present.join(', ')})`
    : `${source} has no "${role}" variant, only "${present.join('", "')}": judged as both baseline and canary, that variant would be compared with itself and always pass. ` +
      `Give the ${role} its own results file (${example}), or judge a run that recorded both variants (paychaos demo --canary).`;
  throw paychaosError('PAYCHAOS_ERR_JUDGE_NO_VARIANT', message, { source, role, missing: role, present });
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
