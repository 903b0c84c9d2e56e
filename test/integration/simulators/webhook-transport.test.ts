import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookConnections, undiciTransport, type Transport } from '../../../simulators/core/index.js';

/** What a receiver saw of one request: the parts a webhook's meaning and signature depend on. */
interface Wire {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

/** A receiver on 127.0.0.1:0 recording each request; `answer` writes the response (or never does). */
async function receiver(answer: (res: ServerResponse, req: IncomingMessage) => void = (res) => res.writeHead(200).end('ok')) {
  const seen: Wire[] = [];
  const sockets = new Set<Socket>();
  let closedSockets = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(res, req);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => closedSockets++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { origin, seen, connections: () => sockets.size, closedSockets: () => closedSockets };
}

/** The request a transport puts on the wire (connection-specific headers aside). */
async function wireOf(transport: Transport, body: string): Promise<{ wire: Wire; answer: { status: number; body: string } }> {
  const r = await receiver((res) => res.writeHead(202, { 'content-type': 'text/plain' }).end('[accepted]'));
  const answer = await transport(`${r.origin}/webhooks/stripe?variant=baseline`, body, { 'stripe-signature': 't=1,v1=ab', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, 5000, new AbortController().signal);
  // Each call has its own receiver (port): the host header names it, so it is checked apart.
  const { connection: _c, host, ...headers } = r.seen[0]!.headers;
  expect(host).toBe(new URL(r.origin).host);
  return { wire: { ...r.seen[0]!, headers }, answer };
}

function connections(): WebhookConnections {
  const c = new WebhookConnections();
  closers.push(() => c.close());
  return c;
}

describe('WebhookConnections (the dispatcher\'s default transport)', () => {
  it('puts the same request on the wire as undici request() did, and reads the same answer', async () => {
    const body = JSON.stringify({ id: 'evt_1', object: 'event', data: { object: { note: 'café ✓' } } }, null, 2);
    const before = await wireOf(undiciTransport, body);
    const now = await wireOf(connections().send, body);
    expect(now).toEqual(before);
    expect(now.wire).toMatchObject({ method: 'POST', url: '/webhooks/stripe?variant=baseline', body, headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'paychaos-simulator', 'stripe-signature': 't=1,v1=ab' } });
    expect(now.answer).toEqual({ status: 202, body: '[accepted]' });

    // Negative control: the same comparison tells a transport that drops the query string apart.
    const pathOnly: Transport = (url, b, h, t, s) => connections().send(url.replace(/\?.*$/, ''), b, h, t, s);
    expect(await wireOf(pathOnly, body)).not.toEqual(before);
  });

  it('reads an answer that arrives in several chunks as one UTF-8 text, without a leading BOM, as body.text() does', async () => {
    const text = `[accepted] ${'ü'.repeat(40_000)}`;
    const answer = (res: ServerResponse) => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      // Split inside a two-byte character: the halves must be joined before decoding.
      res.write(bytes.subarray(0, 1001));
      setTimeout(() => res.end(bytes.subarray(1001)), 20);
    };
    const r = await receiver(answer);
    const url = `${r.origin}/hook`;
    const signal = new AbortController().signal;
    const viaRequest = await undiciTransport(url, '{}', {}, 5000, signal);
    const viaConnections = await connections().send(url, '{}', {}, 5000, signal);
    expect(viaConnections).toEqual(viaRequest);
    expect(viaConnections.body).toBe(text);
  });

  it('keeps its connections alive across attempts, and close() ends them', async () => {
    const r = await receiver();
    const c = new WebhookConnections();
    const signal = new AbortController().signal;
    for (let i = 0; i < 10; i++) expect((await c.send(`${r.origin}/hook`, `{"n":${i}}`, {}, 5000, signal)).status).toBe(200);
    // Reused, not one per attempt (the agent may open a second while the first finishes reading).
    expect(r.connections()).toBeLessThanOrEqual(2);
    expect(r.closedSockets()).toBe(0);
    await c.close();
    for (let i = 0; i < 50 && r.closedSockets() < r.connections(); i++) await new Promise((res) => setTimeout(res, 10));
    expect(r.closedSockets()).toBe(r.connections());
  });

  it('rejects as request() did: a refused connection, a receiver that never answers within the timeout, an abort', async () => {
    const refused = await receiver();
    const port = new URL(refused.origin).port;
    await closers.pop()!();
    const signal = new AbortController().signal;
    const errorOf = (t: Transport, url: string, timeoutMs: number, s: AbortSignal) => t(url, '{}', {}, timeoutMs, s).then(() => undefined, (err: Error & { code?: string }) => ({ name: err.name, code: err.code, message: err.message }));
    const send = connections().send;
    expect(await errorOf(send, `http://127.0.0.1:${port}/hook`, 5000, signal)).toEqual(await errorOf(undiciTransport, `http://127.0.0.1:${port}/hook`, 5000, signal));
    expect((await errorOf(send, `http://127.0.0.1:${port}/hook`, 5000, signal))?.code).toBe('ECONNREFUSED');

    const silent = await receiver(() => {});
    const timedOut = await errorOf(send, `${silent.origin}/hook`, 200, signal);
    expect(timedOut).toEqual(await errorOf(undiciTransport, `${silent.origin}/hook`, 200, signal));
    expect(timedOut?.code).toBe('UND_ERR_HEADERS_TIMEOUT');

    const aborts = async (t: Transport) => {
      const controller = new AbortController();
      const pending = errorOf(t, `${silent.origin}/hook`, 10_000, controller.signal);
      setTimeout(() => controller.abort(), 50);
      return pending;
    };
    const aborted = await aborts(send);
    expect(aborted).toEqual(await aborts(undiciTransport));
    expect(aborted?.name).toBe('AbortError');
  });

  it('sends a URL that is not plain http(s) through request(), so it fails as before', async () => {
    const signal = new AbortController().signal;
    const viaRequest = await undiciTransport('ftp://127.0.0.1/hook', '{}', {}, 1000, signal).catch((err: Error) => err.message);
    const viaConnections = await connections().send('ftp://127.0.0.1/hook', '{}', {}, 1000, signal).catch((err: Error) => err.message);
    expect(viaConnections).toBe(viaRequest);
    expect(viaConnections).toMatch(/protocol/i);
  });
});
