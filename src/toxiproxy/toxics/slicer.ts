import { INTERRUPTED } from '../stub.js';
import { defineToxic, notNegative } from './toxic.js';

type SlicerAttributes = { average_size: number; size_variation: number; delay: number };

/**
 * A Go goroutine parked on a sub-millisecond timer is not woken much sooner than this: in
 * toxiproxy-server 2.12 a slicer with a 10 µs delay paces its pieces at about 0.54 ms each
 * (100 KB at 64±32 bytes: 892 ms, issue #17). The embedded slicer keeps that pace, so a
 * sub-millisecond `delay` behaves as it does under Toxiproxy instead of 20× faster.
 */
export const GO_TIMER_FLOOR_MS = 0.5;

/**
 * Piece sizes for a chunk of `length` bytes, cut as Toxiproxy's `SlicerToxic.chunk` cuts:
 * a piece of at most average + variation bytes is kept, a longer one is split near its middle
 * (± variation, drawn uniformly from [-variation, variation)) and both halves are cut again.
 * Iterative on purpose, with an explicit stack: the same order, without Go's recursion.
 * Empty pieces (possible when variation equals average, as in Toxiproxy) are kept, because
 * Toxiproxy pays a delay for them too.
 */
export function sliceSizes(length: number, averageSize: number, sizeVariation: number, random: () => number = Math.random): number[] {
  const sizes: number[] = [];
  const stack: number[] = [length];
  while (stack.length > 0) {
    const size = stack.pop()!;
    if (size - averageSize <= sizeVariation) {
      sizes.push(size);
      continue;
    }
    let left = Math.floor(size / 2);
    if (sizeVariation > 0) left += Math.floor(random() * 2 * sizeVariation) - sizeVariation;
    stack.push(size - left, left);
  }
  return sizes;
}

/**
 * `slicer`: splits each chunk into pieces of about `average_size ± size_variation` bytes, each
 * written on its own and followed by `delay` MICROseconds. The pause is paced against a
 * deadline (never less than GO_TIMER_FLOOR_MS a piece, as in Toxiproxy): millisecond timers
 * pay what is due, and a piece due within the same millisecond waits one turn of the event
 * loop, so pieces still leave as separate writes.
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
    // Toxiproxy cuts at middle ± variation: past average_size a cut can fall before the start
    // of the chunk, and the slice out of range panics the whole server. Up to it, it works.
    if (a.size_variation < 0 || a.size_variation > a.average_size) {
      return {
        attribute: 'size_variation',
        message: `size_variation must be 0 to average_size (${a.average_size}) bytes, got ${a.size_variation} (a larger one can crash Toxiproxy 2.12)`,
      };
    }
    return notNegative('delay', a.delay, 'microseconds');
  },
  async pipe(stub, a) {
    const pauseMs = a.delay > 0 ? Math.max(a.delay / 1000, GO_TIMER_FLOOR_MS) : 0;
    let due = 0;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      due = Math.max(due, performance.now());
      let offset = 0;
      for (const size of sliceSizes(chunk.data.length, a.average_size, a.size_variation)) {
        if (size > 0) stub.write({ data: chunk.data.subarray(offset, offset + size), time: chunk.time });
        offset += size;
        if (pauseMs === 0) continue;
        due += pauseMs;
        const wait = due - performance.now();
        const waited = wait >= 1 ? await stub.sleep(Math.floor(wait)) : await nextTurn(stub);
        if (!waited) {
          if (offset < chunk.data.length) stub.write({ data: chunk.data.subarray(offset), time: chunk.time });
          return;
        }
      }
    }
  },
});

/** One turn of the event loop; false when the toxic was interrupted meanwhile. */
async function nextTurn(stub: { readonly interrupted: boolean }): Promise<boolean> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return !stub.interrupted;
}
