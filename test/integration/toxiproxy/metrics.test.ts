import { afterEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';
import { connectTo, portOf, raw, readAll, sleep, startTcpServer, type TcpServer } from './support.js';

/**
 * GET /metrics as toxiproxy-server 2.12 serves it with -proxy-metrics / -runtime-metrics
 * (TOXIPROXY.md §2.5, Toxiproxy's collectors/ and link.go, scripts/test-e2e).
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(flags: { proxyMetrics?: boolean; runtimeMetrics?: boolean }): Promise<StartedToxiproxyServer> {
  const s = await startToxiproxyServer(flags);
  cleanups.push(() => s.close());
  return s;
}

/** Reads 10 bytes from each client, answers 30, then closes: TOXIPROXY.md's measured exchange. */
async function answerer(): Promise<TcpServer> {
  const upstream = await startTcpServer((socket) => {
    let got = 0;
    socket.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= 10) socket.end(Buffer.alloc(30, 1));
    });
  });
  cleanups.push(() => upstream.close());
  return upstream;
}

const metrics = async (s: StartedToxiproxyServer) => {
  const res = await fetch(`${s.url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('GET /metrics', () => {
  it('is 404 page not found without a metrics flag, as in Toxiproxy', async () => {
    const s = await server({});
    expect(await raw(s.url, 'GET', '/metrics')).toMatchObject({ status: 404, text: '404 page not found\n' });
  });

  it('counts bytes per direction with Toxiproxy\'s names and labels, once the connection has closed', async () => {
    const s = await server({ proxyMetrics: true });
    const upstream = await answerer();
    const proxy = await new Toxiproxy(s.url).createProxy({ name: 'shop', listen: '127.0.0.1:0', upstream: upstream.address });
    const socket = await connectTo(portOf(proxy.listen));
    socket.write(Buffer.alloc(5, 2));
    // Open connections do not show yet: Toxiproxy adds when a link finishes.
    await sleep(50);
    expect((await metrics(s)).text).not.toContain('toxiproxy_proxy');
    socket.write(Buffer.alloc(5, 2));
    expect((await readAll(socket)).data.length).toBe(30);
    await sleep(50);
    const m = await metrics(s);
    expect(m.status).toBe(200);
    expect(m.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const labels = (direction: string) => `{direction="${direction}",listener="${proxy.listen}",proxy="shop",upstream="${upstream.address}"}`;
    expect(m.text).toContain(`# TYPE toxiproxy_proxy_received_bytes_total counter\n`);
    expect(m.text).toContain(`toxiproxy_proxy_received_bytes_total${labels('upstream')} 10\n`);
    expect(m.text).toContain(`toxiproxy_proxy_received_bytes_total${labels('downstream')} 30\n`);
    expect(m.text).toContain(`toxiproxy_proxy_sent_bytes_total${labels('upstream')} 10\n`);
    expect(m.text).toContain(`toxiproxy_proxy_sent_bytes_total${labels('downstream')} 30\n`);
    // -proxy-metrics alone: no runtime series.
    expect(m.text).not.toMatch(/^go_/m);
  });

  it('adds up connections of the same proxy into one series, also through toxics', async () => {
    const s = await server({ proxyMetrics: true });
    const upstream = await answerer();
    const proxy = await new Toxiproxy(s.url).createProxy({ name: 'shop', listen: '127.0.0.1:0', upstream: upstream.address });
    await proxy.addToxic({ name: 'sl', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 4, size_variation: 2, delay: 0 } });
    for (let i = 0; i < 3; i++) {
      const socket = await connectTo(portOf(proxy.listen));
      socket.write(Buffer.alloc(10, 2));
      expect((await readAll(socket)).data.length).toBe(30);
    }
    await sleep(50);
    const text = (await metrics(s)).text;
    expect(text.match(/^toxiproxy_proxy_sent_bytes_total\{direction="downstream"[^}]*\} (\d+)$/m)?.[1]).toBe('90');
  });

  it('serves go_info, go_goroutines and process_* with -runtime-metrics, the lines Toxiproxy\'s e2e script greps', async () => {
    const s = await server({ runtimeMetrics: true });
    const text = (await metrics(s)).text;
    expect(text).toMatch(/^go_info\{version="node\d+\.\d+\.\d+"\} 1$/m);
    expect(text).toMatch(/^go_goroutines \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d(\.\d+)?(e\+\d\d)?$/m);
    expect(text).toMatch(/^process_start_time_seconds \d\.\d+e\+09$/m);
    expect(text).not.toContain('toxiproxy_proxy');
  });
});
