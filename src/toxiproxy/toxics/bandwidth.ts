import { INTERRUPTED } from '../stub.js';
import { defineToxic } from './toxic.js';

/**
 * `bandwidth`: at most `rate` KB/s (KB = 1000 bytes), i.e. `rate` bytes per millisecond. A
 * chunk larger than 100 ms worth of data is sent in 100 ms slices. The sleep owed is carried
 * between chunks so timer granularity does not make the rate drift.
 */
export const bandwidth = defineToxic<{ rate: number }>({
  type: 'bandwidth',
  goStruct: 'BandwidthToxic',
  attributes: { rate: 'int64' },
  validate: (a) =>
    a.rate > 0
      ? undefined
      : { attribute: 'rate', message: `rate must be more than 0 KB/s, got ${a.rate} (Toxiproxy treats 0 as "never deliver", not "unlimited")` },
  async pipe(stub, a) {
    const slice = a.rate * 100;
    let owedMs = 0;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      owedMs += chunk.data.length / a.rate;
      let data = chunk.data;
      while (data.length > slice) {
        if (!(await stub.sleep(100))) {
          stub.write({ data, time: chunk.time });
          return;
        }
        stub.write({ data: data.subarray(0, slice), time: chunk.time });
        data = data.subarray(slice);
        owedMs -= 100;
      }
      const started = performance.now();
      if (owedMs >= 1) {
        if (!(await stub.sleep(owedMs))) {
          stub.write({ data, time: chunk.time });
          return;
        }
        owedMs -= performance.now() - started;
      }
      stub.write({ data, time: chunk.time });
    }
  },
});
