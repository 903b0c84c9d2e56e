import { INTERRUPTED, longTimeout, type ToxicStub } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

/**
 * `timeout`: a black hole. Every chunk is dropped; `timeout` ms after the toxic started on this
 * link the stream closes (0 = never). If the source ends first it closes at once. Removing the
 * toxic closes the connections it was active on (Toxiproxy's Cleanup does the same).
 */
export const timeout = defineToxic<{ timeout: number }>({
  type: 'timeout',
  goStruct: 'TimeoutToxic',
  attributes: { timeout: 'int64' },
  validate: (a) => notNegative('timeout', a.timeout, 'milliseconds'),
  async pipe(stub, a) {
    // A timer beside the reads (not stub.sleep): the data must keep being dropped meanwhile.
    const cancel = a.timeout > 0 ? longTimeout(() => stub.close(), a.timeout) : undefined;
    try {
      for (;;) {
        const chunk = await stub.read();
        if (chunk === INTERRUPTED || stub.closed) return;
        if (chunk === null) return stub.close();
        // Dropped on purpose: that is this toxic's whole effect.
      }
    } finally {
      cancel?.();
    }
  },
  cleanup: (stub: ToxicStub) => stub.close(),
});
