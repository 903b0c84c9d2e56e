import { INTERRUPTED } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

/**
 * `reset_peer`: waits for the first chunk in its direction (and drops it), waits `timeout` ms,
 * then closes. The connection closes with a TCP RST only if a reset_peer toxic existed when the
 * connection was accepted (Toxiproxy sets SO_LINGER 0 at accept time); otherwise a plain FIN.
 * If no data ever flows in its direction it never fires.
 */
export const resetPeer = defineToxic<{ timeout: number }>({
  type: 'reset_peer',
  goStruct: 'ResetToxic',
  attributes: { timeout: 'int64' },
  validate: (a) => notNegative('timeout', a.timeout, 'milliseconds'),
  async pipe(stub, a) {
    const first = await stub.read();
    if (first === INTERRUPTED) return;
    // Like Toxiproxy, the wait is not cut short by an update; only a teardown ends it.
    await stub.sleep(a.timeout, true);
    stub.close();
  },
});
