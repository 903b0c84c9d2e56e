import { stat } from 'node:fs/promises';
import type { JudgeConfig } from '../../analysis/index.js';
import { readVariantPair, resultsFilesSource, type JudgeSource } from '../../judge/index.js';
import { paychaosError } from '../../kernel/index.js';

/**
 * Choosing the judge's data source from flags, shared by `paychaos judge` (asked once) and
 * `paychaos serve judge` (asked per request), so both refuse the same inputs the same way.
 */

/** A results file as given on the command line: the flag that named it and its path. */
export interface ResultsFileFlag {
  readonly flag: string;
  readonly path: string;
}

/**
 * Results files as a source, after checking what can be checked before any judgement: each
 * file exists (a missing one is named with its flag), and — with `check: 'read'` — the pair
 * can be judged at all (readable, with a baseline and a canary that are not the same variant).
 */
export async function resultsFilesFromFlags(baseline: ResultsFileFlag, canary: ResultsFileFlag, check: 'exists' | 'read'): Promise<JudgeSource> {
  for (const f of baseline.path === canary.path ? [baseline] : [baseline, canary]) await mustExist(f);
  if (check === 'read') await readVariantPair(baseline.path, canary.path);
  return resultsFilesSource(baseline.path, canary.path);
}

/**
 * Refuse variant label values that would judge the canary against itself: both flags equal, or
 * one flag equal to the config's value for the other side.
 */
export function checkVariantLabels(config: JudgeConfig, flags: { baselineLabel?: string; canaryLabel?: string }): void {
  const baseline = flags.baselineLabel ?? config.prometheus.variants.baseline;
  const canary = flags.canaryLabel ?? config.prometheus.variants.canary;
  if (baseline !== canary) return;
  const named = [
    flags.baselineLabel !== undefined ? '--baseline-label' : 'prometheus.variants.baseline',
    flags.canaryLabel !== undefined ? '--canary-label' : 'prometheus.variants.canary',
  ];
  throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `${named.join(' and ')} are both "${baseline}": a canary judged against itself always passes; give each side its own label value`, {
    baseline,
    canary,
  });
}

async function mustExist({ flag, path }: ResultsFileFlag): Promise<void> {
  try {
    await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return; // unreadable: reported when read, with its reason
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `${flag}: ${path} not found`, { flag, path }, { cause: err });
  }
}
