import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/analysis/index.js';
import { rampingSchedule, runArrivals, runConstantArrivalRate } from '../../../src/load/index.js';

/** A loopback server that holds every request arriving in [stallFrom, stallTo) ms until stallTo. */
async function stallingServer(stallFromMs: number, stallToMs: number): Promise<{ url: string; server: Server; started: number }> {
  const started = performance.now();
  const server = createServer((_req, res) => {
    const t = performance.now() - started;
    const wait = t >= stallFromMs && t < stallToMs ? stallToMs - t : 0;
    setTimeout(() => res.end('ok'), wait);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, started };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('open-model measurement over a real loopback server', () => {
  it('shows a 1 s server stall in the tail, where a closed-model loop hides it', async () => {
    // Open model: 50 shoppers/s for 2.5 s, latency from each one's scheduled arrival.
    const open = await stallingServer(500, 1500);
    const openPool = new Pool(open.url, { connections: 200 });
    cleanups.push(async () => {
      await openPool.close();
      open.server.close();
    });
    const openLatency = new LatencyHistogram();
    await runConstantArrivalRate({ rate: 50, durationMs: 2500, maxInFlight: 500 }, async (_i, scheduledAt) => {
      const res = await openPool.request({ path: '/', method: 'GET' });
      await res.body.dump();
      openLatency.record(performance.now() - scheduledAt);
    });

    // Closed model: one virtual user, 20 ms think time, latency from its own send — while it
    // waits on the stalled request it sends nothing, so the stall is one sample among ~100.
    const closed = await stallingServer(500, 1500);
    const closedPool = new Pool(closed.url, { connections: 1 });
    cleanups.push(async () => {
      await closedPool.close();
      closed.server.close();
    });
    const closedLatency = new LatencyHistogram();
    const until = performance.now() + 2500;
    while (performance.now() < until) {
      const sent = performance.now();
      const res = await closedPool.request({ path: '/', method: 'GET' });
      await res.body.dump();
      closedLatency.record(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 20));
    }

    // Requests due during the stall (≈ 40% of the run) waited up to 1 s: p90 sits deep in it.
    expect(openLatency.percentile(90)).toBeGreaterThan(400);
    expect(openLatency.percentile(99)).toBeGreaterThan(800);
    // The closed loop saw one slow request out of ~70: its p90 stays at loopback speed.
    expect(closedLatency.percentile(90)).toBeLessThan(100);
    expect(openLatency.percentile(90)).toBeGreaterThan(4 * closedLatency.percentile(90));
  });

  it('achieves the target rate (−10%/+1%) against a fast server, dropping nothing', async () => {
    const srv = await stallingServer(-1, -1);
    const pool = new Pool(srv.url, { connections: 64 });
    cleanups.push(async () => {
      await pool.close();
      srv.server.close();
    });
    let answered = 0;
    const stats = await runConstantArrivalRate({ rate: 300, durationMs: 2000, maxInFlight: 200 }, async () => {
      const res = await pool.request({ path: '/', method: 'GET' });
      await res.body.dump();
      answered++;
    });
    expect(stats.scheduled).toBe(600);
    expect(stats.dropped).toBe(0);
    expect(answered).toBe(600);
    // elapsedMs is the real scheduling window: never more than 1% above target (the schedule's
    // own length bounds it), and up to 10% below when a busy CI loop releases the last arrivals late.
    const achieved = stats.started / (stats.elapsedMs / 1000);
    expect(achieved).toBeLessThanOrEqual(300 * 1.01);
    expect(achieved).toBeGreaterThan(300 * 0.9);
  });

  it('follows a ramping stage shape against a real server: 0→200/s over 1 s, then 200/s for 1 s', async () => {
    const srv = await stallingServer(-1, -1);
    const pool = new Pool(srv.url, { connections: 64 });
    cleanups.push(async () => {
      await pool.close();
      srv.server.close();
    });
    const sentAt: number[] = [];
    const schedule = rampingSchedule(0, [{ target: 200, durationMs: 1000 }, { target: 200, durationMs: 1000 }]);
    // Times from the driver's own start (what its schedule counts from), not from before the call:
    // on a loaded machine the call itself can start tens of ms late, which shifted whole seconds' counts.
    const stats = await runArrivals(schedule, { maxInFlight: 200 }, async (i, scheduledAt) => {
      sentAt.push(performance.now() - (scheduledAt - schedule.at(i)));
      const res = await pool.request({ path: '/', method: 'GET' });
      await res.body.dump();
    });
    expect(stats).toMatchObject({ scheduled: 300, dropped: 0 });
    // 100 in the ramp's second, 200 in the flat one; a late timer may shift a few across the edge.
    const first = sentAt.filter((t) => t < 1000).length;
    expect(Math.abs(first - 100)).toBeLessThanOrEqual(6);
    expect(Math.abs(sentAt.length - first - 200)).toBeLessThanOrEqual(6);
    // The ramp's quarter point: ∫0..0.5 s of 200t = 25 iterations.
    expect(Math.abs(sentAt.filter((t) => t < 500).length - 25)).toBeLessThanOrEqual(4);
  });
});
