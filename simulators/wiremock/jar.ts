import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { paychaosError } from '../../src/kernel/index.js';

/**
 * The standalone WireMock jar that the npm package `wiremock` ships in its `build/` folder
 * (nothing is downloaded: the jar is in the tarball).
 */
export function wiremockJar(): string {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('wiremock/package.json')), 'build');
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_WIREMOCK_JAR_MISSING', 'the npm package `wiremock` is not installed', {}, { cause: err });
  }
  let jar: string | undefined;
  try {
    jar = readdirSync(dir).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
  } catch {
    jar = undefined;
  }
  if (!jar) throw paychaosError('PAYCHAOS_ERR_WIREMOCK_JAR_MISSING', `no wiremock-standalone-*.jar in ${dir}`, { dir });
  return join(dir, jar);
}
