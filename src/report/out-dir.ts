import { access, constants, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { paychaosError } from '../kernel/index.js';
import { ensureDir } from './ensure-dir.js';

/** What a run writes into its `--out` directory, and a previous run there may have left. */
const RUN_FILES = ['results.json', 'events.jsonl', 'stack.json', 'report.html', 'summary.md', 'reconciliation.csv'];

/**
 * Make sure a run's `--out` directory exists and is writable before anything starts, so a bad
 * path is bad input (exit 2) rather than a run whose results cannot be written. A previous run's
 * files there are kept as `<name>.previous` (one generation): left in place, a run killed before
 * it writes its own results.json would leave the old one looking like its result.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await ensureDir(outDir);
    await access(outDir, constants.W_OK);
    for (const name of RUN_FILES) await retire(join(outDir, name));
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_REPORT_OUT_DIR', `--out ${outDir}: ${(err as Error).message}`, { flag: '--out', value: outDir });
  }
}

async function retire(path: string): Promise<void> {
  try {
    await rename(path, `${path}.previous`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
