import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { paychaosError } from '../../kernel/index.js';

/**
 * The k6 executable: `k6` (k6.exe on Windows) in the first PATH directory holding an executable
 * file of that name, as a shell would find it. Absent → PAYCHAOS_ERR_K6_NOT_FOUND, whose hint
 * says how to install k6 or fall back to the built-in driver.
 */
export async function findK6(env: NodeJS.ProcessEnv = process.env, explicit?: string): Promise<string> {
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw paychaosError('PAYCHAOS_ERR_K6_NOT_FOUND', `k6 not found at ${explicit}`, { path: explicit });
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d));
  const names = process.platform === 'win32' ? ['k6.exe', 'k6'] : ['k6'];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  throw paychaosError('PAYCHAOS_ERR_K6_NOT_FOUND', `no k6 executable on PATH (searched ${dirs.length} directories)`, { searched: dirs });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
