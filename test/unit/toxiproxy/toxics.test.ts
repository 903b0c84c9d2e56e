import { describe, expect, it, vi } from 'vitest';
import { ChunkQueue, type Chunk, type StreamItem } from '../../../src/toxiproxy/chunk-queue.js';
import { longTimeout, ToxicStub } from '../../../src/toxiproxy/stub.js';
import { TOXICS } from '../../../src/toxiproxy/toxics/registry.js';
import { sliceSizes } from '../../../src/toxiproxy/toxics/slicer.js';
import type { Attributes } from '../../../src/toxiproxy/toxics/toxic.js';

const flow = { added: () => {}, removed: () => {} };

/** Run one toxic over `chunks` (then the end of stream) in memory; returns what it wrote. */
async function runToxic(type: string, attrs: Attributes, chunks: string[]): Promise<{ out: string[]; closed: boolean }> {
  const def = TOXICS.get(type)!;
  const out: StreamItem[] = [];
  const stub = new ToxicStub(new ChunkQueue(flow), { push: (item) => out.push(item) });
  stub.state = def.newState?.();
  for (const c of chunks) stub.input.push({ data: Buffer.from(c), time: performance.now() });
  stub.input.push(null);
  await def.pipe(stub, attrs);
  return { out: out.filter((i): i is Chunk => i !== null).map((c) => c.data.toString()), closed: out.at(-1) === null };
}

describe('toxics in isolation', () => {
  it('registers every Toxiproxy 2.12 toxic type', () => {
    expect([...TOXICS.keys()].sort()).toEqual(['bandwidth', 'latency', 'limit_data', 'noop', 'reset_peer', 'slicer', 'slow_close', 'timeout']);
  });

  it('limit_data passes exactly the limit across chunks, then closes', async () => {
    expect(await runToxic('limit_data', { bytes: 5 }, ['abc', 'defg', 'h'])).toEqual({ out: ['abc', 'de'], closed: true });
  });

  it('timeout drops everything and closes at the end of the stream', async () => {
    expect(await runToxic('timeout', { timeout: 0 }, ['abc'])).toEqual({ out: [], closed: true });
  });

  it('slicer keeps every byte in order', async () => {
    const { out } = await runToxic('slicer', { average_size: 3, size_variation: 1, delay: 0 }, ['abcdefghijklmnopqrstuvwxyz']);
    expect(out.join('')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(out.length).toBeGreaterThan(5);
  });

  it('cuts slices of at most average + variation bytes that add up to the whole', () => {
    for (let n = 0; n < 50; n++) {
      const sizes = sliceSizes(10_000, 100, 20);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
      for (const s of sizes) expect(s).toBeLessThanOrEqual(120);
    }
  });

  it('cuts as Toxiproxy does: halves around the middle until a piece is small enough', () => {
    // A draw of 0.5 puts every cut exactly in the middle: 32768 bytes → 512 pieces of 64 (≤ 96).
    expect(sliceSizes(32_768, 64, 32, () => 0.5)).toEqual(Array.from({ length: 512 }, () => 64));
    // No variation: plain halving, left half first (Go's integer division).
    expect(sliceSizes(25, 7, 0)).toEqual([6, 6, 6, 7]);
    // The lowest draw moves each cut `variation` bytes left of the middle.
    expect(sliceSizes(300, 100, 20, () => 0)).toEqual([45, 85, 65, 105]);
  });

  it('keeps the piece count of Toxiproxy on 100 KB read in 32 KB chunks at 64 ± 32 (about 1,640)', () => {
    const pieces = [32_768, 32_768, 32_768, 4_096].flatMap((n) => sliceSizes(n, 64, 32)).length;
    expect(pieces).toBeGreaterThan(1_500);
    expect(pieces).toBeLessThan(1_800);
  });

  it('may cut an empty piece when variation equals average, as Toxiproxy can, and never a negative one', () => {
    for (let n = 0; n < 200; n++) {
      const sizes = sliceSizes(5_000, 1_000, 1_000);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(5_000);
      for (const s of sizes) expect(s).toBeGreaterThanOrEqual(0);
    }
  });

  it('latency forwards a held chunk at once when interrupted, never dropping it', async () => {
    const def = TOXICS.get('latency')!;
    const out: StreamItem[] = [];
    const stub = new ToxicStub(new ChunkQueue(flow), { push: (item) => out.push(item) });
    stub.input.push({ data: Buffer.from('held'), time: performance.now() });
    const running = def.pipe(stub, { latency: 10_000, jitter: 0 });
    await new Promise((r) => setTimeout(r, 20));
    stub.requestInterrupt();
    await running;
    expect(out.map((c) => c?.data.toString())).toEqual(['held']);
  });

  it('waits the whole of a wait longer than a Node timer can hold (2^31 ms and more), instead of 1 ms', async () => {
    const stub = new ToxicStub(new ChunkQueue(flow), { push: () => {} });
    let slept: boolean | undefined;
    const sleeping = stub.sleep(2 ** 31 + 5).then((done) => (slept = done));
    await new Promise((r) => setTimeout(r, 50));
    expect(slept).toBeUndefined();
    stub.abort();
    await sleeping;
    expect(slept).toBe(false);
  });

  it('does not close a timeout toxic of 2^31 ms or more at once', async () => {
    const out: StreamItem[] = [];
    const stub = new ToxicStub(new ChunkQueue(flow), { push: (item) => out.push(item) });
    const running = TOXICS.get('timeout')!.pipe(stub, { timeout: 3_000_000_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.closed).toBe(false);
    stub.requestInterrupt();
    await running;
    expect(out).toEqual([]);
  });

  it('chains timers for long timeouts and fires exactly once, at the end', () => {
    vi.useFakeTimers();
    try {
      let fired = 0;
      longTimeout(() => fired++, 2 ** 31 + 1000);
      vi.advanceTimersByTime(2 ** 31 - 1);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(1000);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(1);
      const cancel = longTimeout(() => fired++, 10);
      cancel();
      vi.advanceTimersByTime(20);
      expect(fired).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses the foot-gun attributes with the attribute named', () => {
    expect(TOXICS.get('slicer')!.validate!({ average_size: 0, size_variation: 0, delay: 0 })?.attribute).toBe('average_size');
    expect(TOXICS.get('bandwidth')!.validate!({ rate: 0 })?.attribute).toBe('rate');
    expect(TOXICS.get('latency')!.validate!({ latency: 1, jitter: -1 })?.attribute).toBe('jitter');
    expect(TOXICS.get('latency')!.validate!({ latency: 1, jitter: 0 })).toBeUndefined();
  });
});
