import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection on demand, without starting the test process with --expose-gc: memory tests
// share a worker with other files (the unit project does not isolate them), so a figure taken
// without a collection counts their garbage too, and flaked on a loaded machine.
setFlagsFromString('--expose-gc');
export const forceGc = runInNewContext('gc') as () => void;

/** Heap in use plus array buffers after two full collections. */
export function usedAfterGc(): number {
  forceGc();
  forceGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
