import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paychaosError } from '../../src/kernel/index.js';

/**
 * Where a WireMock provider's stubs live. `wiremock:<name>` names a folder of
 * `simulators/wiremock/` in the paychaos package (found from this file whether it runs from
 * source or from dist/); `wiremock:./dir` or `wiremock:/abs/dir` names any folder.
 */
export const WIREMOCK_PREFIX = 'wiremock:';

export function wiremockStubsRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'paychaos') return join(dir, 'simulators', 'wiremock');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('paychaos package root not found');
    dir = parent;
  }
}

/** The bundled providers: every folder of simulators/wiremock/ that holds stub files. */
export function bundledWireMockProviders(): string[] {
  const root = wiremockStubsRoot();
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory() && readdirSync(join(root, name)).some((f) => f.endsWith('.json')))
    .sort();
}

export function resolveStubsDir(provider: string, cwd = process.cwd()): string {
  if (provider.includes('/') || provider.startsWith('.')) return isAbsolute(provider) ? provider : resolve(cwd, provider);
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(provider)) {
    throw paychaosError('PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER', `"${provider}" is not a WireMock provider name (letters, digits, - and _) or a folder path`, { provider });
  }
  const dir = join(wiremockStubsRoot(), provider);
  if (!existsSync(dir)) {
    throw paychaosError('PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER', `no WireMock provider "${provider}": ${dir} does not exist; bundled: ${bundledWireMockProviders().join(', ')}`, { provider, expected: bundledWireMockProviders() });
  }
  return dir;
}
