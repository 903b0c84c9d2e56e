import { access, constants } from 'node:fs/promises';
import { paychaosError } from '../errors.js';
import { ensureDir } from './ensure-dir.js';

/**
 * Make sure a run's `--out` directory exists and is writable before anything starts, so a bad
 * path is bad input (exit 2) rather than a run whose results cannot be written.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await ensureDir(outDir);
    await access(outDir, constants.W_OK);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_REPORT_OUT_DIR', `--out ${outDir}: ${(err as Error).message}`, { flag: '--out', value: outDir });
  }
}
