import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { paychaosError } from '../kernel/index.js';
import { ensureDir } from './ensure-dir.js';

/**
 * Make sure a single output file (`judge --out`, a report) can be written before the work that
 * produces it runs: its directory exists (created) and is writable, and the path is not a
 * directory. A bad path is then bad input (exit 2) up front, never a verdict printed and then
 * exit 3 because the file could not be written.
 */
export async function prepareOutFile(path: string, flag = '--out'): Promise<void> {
  const target = resolve(path);
  try {
    await ensureDir(dirname(target));
    await access(dirname(target), constants.W_OK);
    const info = await stat(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (info?.isDirectory()) throw new Error(`${target} is a directory; name a file`);
    if (info) await access(target, constants.W_OK);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_REPORT_OUT_DIR', `${flag} ${path}: ${(err as Error).message}`, { flag, value: path });
  }
}
