import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTarget, type PlannedRequest } from '../../../src/load/index.js';
import { freePort } from '../../../src/kernel/index.js';

const pay: PlannedRequest = { method: 'POST', path: '/payments', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: '{"orderId":"o1"}', name: 'POST /payments' };
const servers: Server[] = [];
const targets: HttpTarget[] = [];
afterEach(async () => {
  for (const t of targets.splice(0)) await t.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function target(url: string, options: ConstructorParameters<typeof HttpTarget>[1] = {}): HttpTarget {
  const t = new HttpTarget(url, options);
  targets.push(t);
  return t;
}

describe('HttpTarget', () => {
  it('sends the planned request and returns the whole answer', async () => {
    let seen = '';
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen = `${req.method} ${req.url} ${req.headers['idempotency-key']} ${body}`;
        res.writeHead(402, { 'content-type': 'application/json' });
        res.write('{"status":"failed",');
        setTimeout(() => res.end('"errorCode":"card_declined"}'), 20); // two chunks
      });
    });
    const result = await target(url).send(pay);
    expect(seen).toBe('POST /payments k1 {"orderId":"o1"}');
    expect(result).toEqual({ kind: 'answer', status: 402, text: '{"status":"failed","errorCode":"card_declined"}' });
  });

  it('tells a refused connection (nothing sent) from a timeout (the charge may exist)', async () => {
    const closedPort = await freePort();
    expect(await target(`http://127.0.0.1:${closedPort}`).send(pay)).toEqual({ kind: 'connect' });
    const silent = await serve(() => {}); // accepts, never answers
    expect(await target(silent, { timeoutMs: 200 }).send(pay)).toEqual({ kind: 'timeout' });
  });

  it('reports requests cut by the harness as aborted, at once, and refuses new ones', async () => {
    const silent = await serve(() => {});
    const cut = new AbortController();
    const t = target(silent, { cut: cut.signal, timeoutMs: 30_000 });
    const inFlight = t.send(pay);
    setTimeout(() => cut.abort(), 50);
    const started = performance.now();
    expect(await inFlight).toEqual({ kind: 'aborted' });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await t.send(pay)).toEqual({ kind: 'aborted' });
  });
});
