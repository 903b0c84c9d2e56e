import { forgetDir, guardDir } from './guardian.js';
import { recordOwned } from './orphans.js';

/**
 * Declare a temporary directory the harness owns (WireMock's root, say): removed by the guardian
 * if the harness dies without teardown, or by the next start's sweep. Call the returned function
 * once the directory has been removed normally.
 */
export function ownTempDir(path: string): () => void {
  guardDir(path);
  const unrecord = recordOwned({ dir: path });
  return () => {
    forgetDir(path);
    unrecord();
  };
}
