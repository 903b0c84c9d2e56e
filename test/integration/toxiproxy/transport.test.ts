import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';
import {
  connectTo,
  portOf,
  readAll,
  roundTrip,
  sleep,
  startEcho,
  startSender,
  startTcpServer,
  tryConnect,
  type TcpServer,
} from './support.js';

/**
 * Transport behaviour over real loopback sockets. Timing tolerances are stated in each test and
 * kept generous: this runs on 2 shared cores next to other test suites.
 */
let server: StartedToxiproxyServer;
let client: Toxiproxy;
let echo: TcpServer;
let counter = 0;

beforeAll(async () => {
  server = await startToxiproxyServer();
  client = new Toxiproxy(server.url);
  echo = await startEcho();
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

async function proxyTo(upstream: string): Promise<Proxy> {
  return client.createProxy({ name: `t${++counter}`, listen: '127.0.0.1:0', upstream });
}

type ToxicBody = Parameters<Proxy['addToxic']>[0];
const toxic = (type: string, attributes: Record<string, number>, stream: 'upstream' | 'downstream' = 'downstream', toxicity = 1): ToxicBody =>
  ({ name: `${type}_${stream}`, type, stream, toxicity, attributes }) as ToxicBody;

/** The median of a few echo round trips on a fresh connection. */
async function medianRtt(port: number, n = 5): Promise<number> {
  const socket = await connectTo(port);
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await roundTrip(socket));
  socket.destroy();
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

describe('latency', () => {
  it('adds 100 ms (-15/+40 ms: the upper side allows for a busy machine) to a round trip with a 100 ms downstream latency', async () => {
    const proxy = await proxyTo(echo.address);
    const base = await medianRtt(portOf(proxy.listen));
    await proxy.addToxic(toxic('latency', { latency: 100, jitter: 0 }));
    const slow = await medianRtt(portOf(proxy.listen), 5);
    expect(slow - base).toBeGreaterThanOrEqual(85);
    expect(slow - base).toBeLessThanOrEqual(140);
  });

  it('adds upstream and downstream latencies (50 + 100 ms, -2/+65 ms)', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('latency', { latency: 100, jitter: 0 }));
    await proxy.addToxic(toxic('latency', { latency: 50, jitter: 0 }, 'upstream'));
    const rtt = await medianRtt(portOf(proxy.listen), 3);
    expect(rtt).toBeGreaterThanOrEqual(148);
    expect(rtt).toBeLessThanOrEqual(215);
  });

  it('composes two latency toxics in the same direction (40 + 40 ms, -1/+65 ms)', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic({ ...toxic('latency', { latency: 40, jitter: 0 }), name: 'a' });
    await proxy.addToxic({ ...toxic('latency', { latency: 40, jitter: 0 }), name: 'b' });
    const rtt = await medianRtt(portOf(proxy.listen), 3);
    expect(rtt).toBeGreaterThanOrEqual(79);
    expect(rtt).toBeLessThanOrEqual(145);
  });

  it('keeps every round trip within latency ± jitter (100 ± 50 ms, plus 1 ms below and 80 ms above for scheduling on a busy 2-core machine)', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('latency', { latency: 100, jitter: 50 }));
    const socket = await connectTo(portOf(proxy.listen));
    for (let i = 0; i < 6; i++) {
      const rtt = await roundTrip(socket);
      expect(rtt).toBeGreaterThanOrEqual(49);
      expect(rtt).toBeLessThanOrEqual(230);
    }
    socket.destroy();
  });

  it('applies to an open connection at once when added, and stops at once when removed (150 ms; -1/+80 ms, and under 100 ms without it)', async () => {
    const proxy = await proxyTo(echo.address);
    const socket = await connectTo(portOf(proxy.listen));
    expect(await roundTrip(socket)).toBeLessThan(100);
    const added = await proxy.addToxic(toxic('latency', { latency: 150, jitter: 0 }));
    const slow = await roundTrip(socket);
    expect(slow).toBeGreaterThanOrEqual(149);
    expect(slow).toBeLessThan(230);
    await added.remove();
    expect(await roundTrip(socket)).toBeLessThan(100);
    socket.destroy();
  });
});

describe('live updates', () => {
  it('applies a toxic update to an open connection (latency 40 → 140 ms, -1/+80 ms for a busy machine)', async () => {
    const proxy = await proxyTo(echo.address);
    const socket = await connectTo(portOf(proxy.listen));
    const lat = await proxy.addToxic(toxic('latency', { latency: 40, jitter: 0 }));
    const before = await roundTrip(socket);
    expect(before).toBeGreaterThanOrEqual(39);
    expect(before).toBeLessThan(120);
    await lat.update({ ...lat.toJson(), attributes: { latency: 140, jitter: 0 } });
    const after = await roundTrip(socket);
    expect(after).toBeGreaterThanOrEqual(139);
    expect(after).toBeLessThan(220);
    socket.destroy();
  });

  it('drops open connections and forwards new ones to the new upstream when the upstream changes', async () => {
    const other = await startSender(Buffer.from('other'));
    try {
      const proxy = await proxyTo(echo.address);
      const socket = await connectTo(portOf(proxy.listen));
      const reading = readAll(socket);
      const moved = await proxy.update({ enabled: true, listen: proxy.listen, upstream: other.address });
      expect((await reading).how).toBe('end');
      const got = await readAll(await connectTo(portOf(moved.listen)));
      expect(got.data.toString()).toBe('other');
    } finally {
      await other.close();
    }
  });
});

describe('bandwidth', () => {
  it('carries 50,000 bytes at 100 KB/s in about 0.5 s (0.45–0.9 s)', async () => {
    const sender = await startSender(randomBytes(50_000));
    try {
      const proxy = await proxyTo(sender.address);
      await proxy.addToxic(toxic('bandwidth', { rate: 100 }));
      const got = await readAll(await connectTo(portOf(proxy.listen)));
      expect(got.data.length).toBe(50_000);
      expect(got.ms).toBeGreaterThanOrEqual(450);
      expect(got.ms).toBeLessThanOrEqual(900);
    } finally {
      await sender.close();
    }
  });
});

describe('limit_data', () => {
  it('cuts a response at exactly the byte limit, then closes with a FIN', async () => {
    const payload = randomBytes(5000);
    const sender = await startSender(payload);
    try {
      const proxy = await proxyTo(sender.address);
      await proxy.addToxic(toxic('limit_data', { bytes: 1000 }));
      const got = await readAll(await connectTo(portOf(proxy.listen)));
      expect(got.how).toBe('end');
      expect(got.data.equals(payload.subarray(0, 1000))).toBe(true);
    } finally {
      await sender.close();
    }
  });

  it('with bytes 0, closes on the first data without passing any', async () => {
    const sender = await startSender(Buffer.from('hello'));
    try {
      const proxy = await proxyTo(sender.address);
      await proxy.addToxic(toxic('limit_data', { bytes: 0 }));
      const got = await readAll(await connectTo(portOf(proxy.listen)));
      expect(got).toMatchObject({ how: 'end', data: Buffer.alloc(0) });
    } finally {
      await sender.close();
    }
  });
});

describe('reset_peer', () => {
  it('resets the connection (ECONNRESET) on the first downstream data when timeout is 0', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('reset_peer', { timeout: 0 }));
    const socket = await connectTo(portOf(proxy.listen));
    socket.write('ping');
    const got = await readAll(socket);
    expect(got.how).toBe('ECONNRESET');
    expect(got.data.length).toBe(0);
  });

  it('resets an upstream stream after its timeout (200 ms, at least 190 ms later)', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('reset_peer', { timeout: 200 }, 'upstream'));
    const socket = await connectTo(portOf(proxy.listen));
    socket.write('ping');
    const got = await readAll(socket);
    expect(got.how).toBe('ECONNRESET');
    expect(got.ms).toBeGreaterThanOrEqual(190);
    expect(got.ms).toBeLessThan(600);
  });

  it('closes with a plain FIN, not a reset, when added to an already open connection', async () => {
    const proxy = await proxyTo(echo.address);
    const socket = await connectTo(portOf(proxy.listen));
    await roundTrip(socket);
    await proxy.addToxic(toxic('reset_peer', { timeout: 0 }));
    socket.write('ping');
    const got = await readAll(socket);
    expect(got.how).toBe('end');
  });
});

describe('timeout', () => {
  it('stalls all data, then closes with a FIN after the timeout (300 ms, 290–600 ms)', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('timeout', { timeout: 300 }));
    const socket = await connectTo(portOf(proxy.listen));
    socket.write('ping');
    const got = await readAll(socket);
    expect(got.how).toBe('end');
    expect(got.data.length).toBe(0);
    expect(got.ms).toBeGreaterThanOrEqual(290);
    expect(got.ms).toBeLessThan(600);
  });

  it('with timeout 0 holds the connection open with no data until the toxic is removed, which closes it', async () => {
    const proxy = await proxyTo(echo.address);
    const added = await proxy.addToxic(toxic('timeout', { timeout: 0 }));
    const socket = await connectTo(portOf(proxy.listen));
    const reading = readAll(socket, 3000);
    socket.write('ping');
    await sleep(300);
    await added.remove();
    const got = await reading;
    expect(got.how).toBe('end');
    expect(got.data.length).toBe(0);
    expect(got.ms).toBeLessThan(1500);
  });

  it('closes at once when the upstream closes first', async () => {
    const closer = await startTcpServer((s) => s.end());
    try {
      const proxy = await proxyTo(closer.address);
      await proxy.addToxic(toxic('timeout', { timeout: 5000 }));
      const got = await readAll(await connectTo(portOf(proxy.listen)));
      expect(got.how).toBe('end');
      expect(got.ms).toBeLessThan(500);
    } finally {
      await closer.close();
    }
  });
});

describe('slow_close', () => {
  it('delays the close by the delay after the upstream closed (300 ms, 290–700 ms)', async () => {
    const sender = await startSender(Buffer.from('bye'));
    try {
      const proxy = await proxyTo(sender.address);
      await proxy.addToxic(toxic('slow_close', { delay: 300 }));
      const got = await readAll(await connectTo(portOf(proxy.listen)));
      expect(got.data.toString()).toBe('bye');
      expect(got.how).toBe('end');
      expect(got.ms).toBeGreaterThanOrEqual(290);
      expect(got.ms).toBeLessThan(700);
    } finally {
      await sender.close();
    }
  });
});

describe('slicer', () => {
  it('delivers 50 KB intact in many small reads', async () => {
    const payload = randomBytes(50_000);
    const sender = await startSender(payload);
    try {
      const proxy = await proxyTo(sender.address);
      await proxy.addToxic(toxic('slicer', { average_size: 1000, size_variation: 100, delay: 1000 }));
      const socket = await connectTo(portOf(proxy.listen));
      let reads = 0;
      socket.on('data', () => reads++);
      const got = await readAll(socket);
      expect(got.data.equals(payload)).toBe(true);
      expect(reads).toBeGreaterThanOrEqual(20);
    } finally {
      await sender.close();
    }
  });
});

describe('slicer below a millisecond', () => {
  // Toxiproxy 2.12 on this machine (issue #17): 64 ± 32 bytes, 10 µs, 100 KB → 892 ms over
  // 767 reads (its client took about two pieces a read). Stated tolerance: time within 0.5×–2×,
  // reads within a third to 2.5× (a loaded machine coalesces reads; the ~1,640 pieces cap them).
  it('paces and fragments 100 KB at 64 ± 32 bytes, 10 µs as Toxiproxy does', async () => {
    const payload = randomBytes(100 * 1024);
    const sender = await startSender(payload);
    try {
      const proxy = await proxyTo(sender.address);
      await proxy.addToxic(toxic('slicer', { average_size: 64, size_variation: 32, delay: 10 }));
      const socket = await connectTo(portOf(proxy.listen));
      let reads = 0;
      socket.on('data', () => reads++);
      const got = await readAll(socket, 10_000);
      expect(got.data.equals(payload)).toBe(true);
      expect(got.ms).toBeGreaterThan(892 * 0.5);
      expect(got.ms).toBeLessThan(892 * 2);
      expect(reads).toBeGreaterThan(767 / 3);
      expect(reads).toBeLessThan(767 * 2.5);
    } finally {
      await sender.close();
    }
  }, 15_000);
});

describe('toxicity', () => {
  /** How many of `n` fresh connections see an added 150 ms latency (a round trip of 140 ms or more). */
  async function affected(proxy: Proxy, n: number): Promise<number> {
    const rtts = await Promise.all(Array.from({ length: n }, () => medianRtt(portOf(proxy.listen), 1)));
    return rtts.filter((ms) => ms >= 140).length;
  }

  it('never applies a toxic of toxicity 0 and always one of toxicity 1', async () => {
    const never = await proxyTo(echo.address);
    await never.addToxic(toxic('latency', { latency: 150, jitter: 0 }, 'downstream', 0));
    expect(await affected(never, 15)).toBe(0);
    const always = await proxyTo(echo.address);
    await always.addToxic(toxic('latency', { latency: 150, jitter: 0 }, 'downstream', 1));
    expect(await affected(always, 15)).toBe(15);
  });

  it('draws per connection: toxicity 0.5 affects some but not all of 40 connections (8–32)', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('latency', { latency: 150, jitter: 0 }, 'downstream', 0.5));
    const n = await affected(proxy, 40);
    expect(n).toBeGreaterThanOrEqual(8);
    expect(n).toBeLessThanOrEqual(32);
  });
});

describe('enable, disable and delete', () => {
  it('closes open connections and refuses new ones when disabled; comes back on the same port with its toxics', async () => {
    const proxy = await proxyTo(echo.address);
    await proxy.addToxic(toxic('latency', { latency: 50, jitter: 0 }));
    const port = portOf(proxy.listen);
    const socket = await connectTo(port);
    const reading = readAll(socket);
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect((await reading).how).toBe('end');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    const enabled = await disabled.update({ enabled: true, listen: disabled.listen, upstream: disabled.upstream });
    expect(portOf(enabled.listen)).toBe(port);
    expect(await medianRtt(port, 1)).toBeGreaterThanOrEqual(49);
  });

  it('closes open connections and the listener when deleted', async () => {
    const proxy = await proxyTo(echo.address);
    const port = portOf(proxy.listen);
    const socket = await connectTo(port);
    const reading = readAll(socket);
    await proxy.remove();
    expect((await reading).how).toBe('end');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('closes the client at once when the upstream cannot be reached (under 2 s; the read gives up at 5 s)', async () => {
    const gone = await startEcho();
    await gone.close();
    const proxy = await proxyTo(gone.address);
    const got = await readAll(await connectTo(portOf(proxy.listen)));
    expect(got.how).not.toBe('timeout');
    expect(got.ms).toBeLessThan(2000);
    expect(got.data.length).toBe(0);
  });
});

describe('data integrity', () => {
  it('loses and reorders no byte while toxics are added, updated and removed mid-stream', async () => {
    const proxy = await proxyTo(echo.address);
    const socket = await connectTo(portOf(proxy.listen));
    const payload = randomBytes(2 << 20);
    const parts: Buffer[] = [];
    let got = 0;
    const received = new Promise<void>((resolve) =>
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        got += d.length;
        if (got >= payload.length) resolve();
      }),
    );
    const writing = (async () => {
      for (let off = 0; off < payload.length; off += 64 << 10) {
        if (!socket.write(payload.subarray(off, off + (64 << 10)))) await new Promise((r) => socket.once('drain', r));
      }
    })();
    const churn = (async () => {
      for (let i = 0; i < 8; i++) {
        const stream = i % 2 ? 'upstream' : 'downstream';
        const a = await proxy.addToxic({ ...toxic('latency', { latency: 2, jitter: 1 }, stream), name: `lat${i}` });
        const b = await proxy.addToxic({ ...toxic('slicer', { average_size: 4096, size_variation: 1024, delay: 0 }, stream), name: `sl${i}` });
        const c = await proxy.addToxic({ ...toxic('bandwidth', { rate: 100_000 }, stream), name: `bw${i}` });
        await sleep(5);
        await a.update({ ...a.toJson(), attributes: { latency: 1, jitter: 0 } });
        await b.remove();
        await sleep(5);
        await a.remove();
        await c.remove();
      }
    })();
    await Promise.all([writing, churn, received]);
    socket.destroy();
    expect(Buffer.concat(parts).equals(payload)).toBe(true);
  });
});

describe('closing the server', () => {
  it('closes at once while a toxic change waits on an open link (behind a 60 s reset_peer wait; under 2 s)', async () => {
    const own = await startToxiproxyServer();
    const proxy = await new Toxiproxy(own.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address });
    await proxy.addToxic(toxic('reset_peer', { timeout: 60_000 }, 'upstream'));
    const socket = await connectTo(portOf(proxy.listen));
    const reading = readAll(socket);
    socket.write('x'); // reset_peer takes it and waits, and not even a toxic change cuts that wait short
    await sleep(100);
    // Appending a toxic restarts the one before it on every link, so this waits for reset_peer.
    const adding = proxy.addToxic({ ...toxic('noop', {}, 'upstream'), name: 'after' }).catch(() => undefined);
    await sleep(100);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(2000);
    await adding;
    expect((await reading).how).not.toBe('timeout');
  });

  it('leaves no listener behind: API and proxy ports refuse connections afterwards', async () => {
    const own = await startToxiproxyServer();
    const proxy = await new Toxiproxy(own.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address });
    const socket = await connectTo(portOf(proxy.listen));
    const reading = readAll(socket);
    await own.close();
    expect((await reading).how).toBe('end');
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED');
    expect(await tryConnect(own.port)).toBe('ECONNREFUSED');
  });
});
