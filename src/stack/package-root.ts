import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The paychaos package's own directory (where package.json, load/ and simulators/wiremock/
 * live), found by walking up from this file — the same answer from src/ under a test runner and
 * from dist/src/ when built.
 */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'paychaos') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('paychaos: cannot find the package root (package.json named "paychaos")');
    dir = up;
  }
})();
