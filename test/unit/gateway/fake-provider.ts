import { createServer, type IncomingHttpHeaders } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

/** One request a fake provider was sent. */
export interface FakeCall {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeAnswer {
  readonly status: number;
  /** Sent as it is (already JSON text, or deliberately not). */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeProvider {
  readonly url: string;
  /** Every request, in arrival order: what the provider may have acted on. */
  readonly calls: FakeCall[];
  close(): Promise<void>;
}

/**
 * A stand-in provider on 127.0.0.1, port 0, that answers each request as `answer` says and keeps
 * what it was sent: for answers no simulator gives (a 200 whose body is `null`), and for counting
 * how often the gateway reached the provider.
 */
export async function fakeProvider(answer: (call: FakeCall) => FakeAnswer): Promise<FakeProvider> {
  const calls: FakeCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call: FakeCall = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      calls.push(call);
      const a = answer(call);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A fresh RSA key pair as PEM text, as a provider's dashboard hands keys out. */
export function rsaPemPair(): { privateKey: string; publicKey: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
