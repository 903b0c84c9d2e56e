import { INTERRUPTED } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

/** `slow_close`: data passes untouched; when the source ends, wait `delay` ms before closing. */
export const slowClose = defineToxic<{ delay: number }>({
  type: 'slow_close',
  goStruct: 'SlowCloserToxic',
  attributes: { delay: 'int64' },
  validate: (a) => notNegative('delay', a.delay, 'milliseconds'),
  async pipe(stub, a) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) {
        // The end has been consumed, so the stream must close here even if interrupted.
        await stub.sleep(a.delay);
        return stub.close();
      }
      stub.write(chunk);
    }
  },
});
