import { INTERRUPTED } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

interface LimitState {
  transmitted: number;
}

/**
 * `limit_data`: forward at most `bytes` bytes on this link (one connection, one direction),
 * then close. The count lives in the link's state, so it survives updates of the toxic.
 * `bytes: 0` closes on the first data.
 */
export const limitData = defineToxic<{ bytes: number }>({
  type: 'limit_data',
  goStruct: 'LimitDataToxic',
  attributes: { bytes: 'int64' },
  validate: (a) => notNegative('bytes', a.bytes, 'bytes'),
  newState: (): LimitState => ({ transmitted: 0 }),
  async pipe(stub, a) {
    const state = stub.state as LimitState;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      const remaining = Math.max(0, a.bytes - state.transmitted);
      const data = chunk.data.length > remaining ? chunk.data.subarray(0, remaining) : chunk.data;
      if (data.length > 0) {
        stub.write({ data, time: chunk.time });
        state.transmitted += data.length;
      }
      if (state.transmitted >= a.bytes) return stub.close();
    }
  },
});
