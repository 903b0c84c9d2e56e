import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** performance.now() at arrival. */
  readonly at: number;
}

/**
 * A webhook receiver on 127.0.0.1:0 that records every request and answers with what `answer`
 * decides (status and body), like a merchant's endpoint would.
 */
export async function startReceiver(answer: (req: Received, n: number) => { status: number; body?: string }) {
  const received: Received[] = [];
  const waiters: Array<{ done: () => boolean; resolve: () => void }> = [];
  const wait = (done: () => boolean) => (done() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ done, resolve })));
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r: Received = { body, headers: req.headers, at: performance.now() };
      received.push(r);
      const { status, body: out } = answer(r, received.length);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(out ?? '');
      for (const w of [...waiters]) if (w.done()) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    received,
    /** Resolves once `count` requests have arrived. */
    waitFor: (count: number) => wait(() => received.length >= count),
    /** Resolves with the first request `match` accepts, once it has arrived (earlier tests' notices may share the receiver). */
    waitForOne: async (match: (r: Received) => boolean): Promise<Received> => {
      await wait(() => received.some(match));
      return received.find(match)!;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
