import { INTERRUPTED } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

type SlicerAttributes = { average_size: number; size_variation: number; delay: number };

/**
 * Cut `length` bytes into piece sizes of about average ± variation (the last piece takes the
 * rest). Iterative on purpose: Toxiproxy recurses, and with average_size 0 it overflows its
 * stack and kills the whole server.
 */
export function sliceSizes(length: number, averageSize: number, sizeVariation: number, random: () => number = Math.random): number[] {
  const sizes: number[] = [];
  let left = length;
  while (left > averageSize + sizeVariation) {
    const size = Math.max(1, averageSize + Math.floor(random() * (2 * sizeVariation + 1)) - sizeVariation);
    sizes.push(size);
    left -= size;
  }
  if (left > 0) sizes.push(left);
  return sizes;
}

/**
 * `slicer`: splits each chunk into pieces of about `average_size ± size_variation` bytes with
 * `delay` MICROseconds between pieces. Timers only resolve milliseconds, so the delay is owed
 * and paid in whole milliseconds: the average rate is right and the cost stays per chunk.
 */
export const slicer = defineToxic<SlicerAttributes>({
  type: 'slicer',
  goStruct: 'SlicerToxic',
  attributes: { average_size: 'int', size_variation: 'int', delay: 'int' },
  validate: (a) => {
    if (!(a.average_size > 0)) {
      return {
        attribute: 'average_size',
        message: `average_size must be more than 0 bytes, got ${a.average_size} (Toxiproxy 2.12 crashes the whole server on a slicer without sizes)`,
      };
    }
    if (a.size_variation < 0 || a.size_variation >= a.average_size) {
      return { attribute: 'size_variation', message: `size_variation must be 0 or more and less than average_size (${a.average_size}), got ${a.size_variation}` };
    }
    return notNegative('delay', a.delay, 'microseconds');
  },
  async pipe(stub, a) {
    let owedMs = 0;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      let offset = 0;
      for (const size of sliceSizes(chunk.data.length, a.average_size, a.size_variation)) {
        stub.write({ data: chunk.data.subarray(offset, offset + size), time: chunk.time });
        offset += size;
        if (offset >= chunk.data.length) break;
        owedMs += a.delay / 1000;
        if (owedMs >= 1) {
          const whole = Math.floor(owedMs);
          owedMs -= whole;
          if (!(await stub.sleep(whole))) {
            stub.write({ data: chunk.data.subarray(offset), time: chunk.time });
            return;
          }
        } else if (a.delay > 0) {
          // A sub-millisecond pause still ends this write, so the pieces reach the socket apart.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (stub.interrupted) {
            stub.write({ data: chunk.data.subarray(offset), time: chunk.time });
            return;
          }
        }
      }
    }
  },
});
