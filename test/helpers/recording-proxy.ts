import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { onTestFinished } from 'vitest';

/** One request the forwarder passed on, as the gateway really sent it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * A plain HTTP forwarder in front of a provider that keeps every request it passes on. `drop(seen)`
 * true: the request still reaches the provider, but its answer is replaced by a 502 — the answer
 * lost after the provider acted on it. Closed when the test finishes.
 */
export async function recordingProxy(target: string, drop: (s: SeenRequest) => boolean = () => false): Promise<{ url: string; seen: SeenRequest[]; bodies: string[] }> {
  const seen: SeenRequest[] = [];
  const bodies: string[] = [];
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const s: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: body.toString('utf8') };
      seen.push(s);
      bodies.push(s.body);
      const out = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (answer: IncomingMessage) => {
        if (drop(s)) {
          answer.resume();
          answer.on('end', () => res.writeHead(502).end('bad gateway'));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen, bodies };
}
