import { INTERRUPTED } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

/**
 * `latency`: every chunk leaves `latency ± jitter` ms after it was *read* (not after the
 * previous chunk left), so pipelined data is not delayed cumulatively. The chunk's time moves
 * forward by the delay, so a second latency toxic adds its own delay on top.
 */
export const latency = defineToxic<{ latency: number; jitter: number }>({
  type: 'latency',
  goStruct: 'LatencyToxic',
  attributes: { latency: 'int64', jitter: 'int64' },
  validate: (a) => notNegative('latency', a.latency, 'milliseconds') ?? notNegative('jitter', a.jitter, 'milliseconds'),
  async pipe(stub, a) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      // Uniform in [latency - jitter, latency + jitter), as Toxiproxy draws it.
      const delay = a.jitter > 0 ? a.latency + Math.floor(Math.random() * 2 * a.jitter) - a.jitter : a.latency;
      const due = chunk.time + delay;
      // Timers may fire a fraction of a millisecond early; sleep again until the chunk is due.
      for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) {
        if (!(await stub.sleep(Math.ceil(wait)))) {
          // Interrupted: let the held chunk go at once rather than drop it.
          stub.write(chunk);
          return;
        }
      }
      if (due > chunk.time) chunk.time = due;
      stub.write(chunk);
    }
  },
});
