import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { paychaosError } from '../../src/kernel/index.js';

/**
 * The `java` to run WireMock with: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else the first
 * `java` on PATH. Looked up before anything is spawned, so a machine without Java gets
 * PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING naming what to install, not a child that died of ENOENT.
 */
export function findJava(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const candidates: string[] = [];
  if (env.JAVA_HOME) candidates.push(join(env.JAVA_HOME, 'bin', 'java'));
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'java'));
  for (const path of candidates) if (isExecutable(path)) return path;
  throw paychaosError(
    'PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING',
    `WireMock needs Java 17 or later, and no java was found ${env.JAVA_HOME ? `in JAVA_HOME (${env.JAVA_HOME}) or ` : ''}on PATH; install openjdk-17-jre-headless (or any Java 17+)`,
    { searched: candidates },
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
