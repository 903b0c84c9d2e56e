import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { paychaosError } from '../kernel/index.js';
import { ensureDir } from './ensure-dir.js';

/**
 * Write a file so that a reader never sees half of it: write beside it, then rename (atomic
 * within one filesystem). A crash mid-write leaves the old file or none, never a torn one.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await ensureDir(dirname(path));
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_REPORT_WRITE_FAILED', `could not write ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
}
