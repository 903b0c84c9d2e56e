import { describe, expect, it } from 'vitest';
import { BatchedWrites } from '../../../src/kernel/index.js';

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('batched writes', () => {
  it('writes a turn’s items in one batch at the end of the turn when afterMs is 0', async () => {
    const batches: number[][] = [];
    const q = new BatchedWrites<number>((items) => batches.push(items), { maxItems: 100, afterMs: 0 });
    q.push(1);
    q.push(2);
    expect(batches).toEqual([]);
    expect(q.length).toBe(2);
    await turn();
    expect(batches).toEqual([[1, 2]]);
    expect(q.length).toBe(0);
  });

  it('waits afterMs before a timed batch, and writes at once when maxItems are queued', async () => {
    const batches: number[][] = [];
    const q = new BatchedWrites<number>((items) => batches.push(items), { maxItems: 3, afterMs: 40 });
    q.push(1);
    await turn();
    expect(batches).toEqual([]);
    q.push(2);
    q.push(3); // the bound: written in this turn
    expect(batches).toEqual([[1, 2, 3]]);
    q.push(4);
    await sleep(80);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('flush writes what is queued now, nothing when empty; a closed store skips its scheduled write', async () => {
    const batches: number[][] = [];
    let live = true;
    const q = new BatchedWrites<number>((items) => batches.push(items), { maxItems: 100, afterMs: 0, live: () => live });
    q.flush();
    expect(batches).toEqual([]);
    q.push(1);
    q.flush();
    expect(batches).toEqual([[1]]);
    q.push(2);
    live = false;
    await turn();
    expect(batches).toEqual([[1]]);
    expect(q.length).toBe(1);
  });
});
