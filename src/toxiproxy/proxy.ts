import { createServer, type Server, type Socket } from 'node:net';
import { AddressError, bindErrorText, formatHostPort, resolveHost, splitHostPort } from './address.js';
import { ProxyConnection, type ConnectionHost } from './connection.js';
import type { LinkLabels, ProxyByteCounters } from './metrics/index.js';
import { ToxicCollection } from './toxic-collection.js';

/** A start that failed; the API answers it with a 500 and this text (Toxiproxy's Go wording). */
export class ProxyStartError extends Error {}

/**
 * One proxy: a TCP listener that forwards each client to `upstream` through the toxics.
 * `listen` is rewritten to the bound address on start (`127.0.0.1:0` → `127.0.0.1:39375`), so a
 * disable/enable cycle comes back on the same port. Toxics survive disable/enable.
 */
export class Proxy implements ConnectionHost {
  readonly toxics = new ToxicCollection();
  listen: string;
  upstream: string;
  private server: Server | undefined;
  private readonly connections = new Set<ProxyConnection>();

  constructor(
    readonly name: string,
    listen: string,
    upstream: string,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly counters?: ProxyByteCounters,
  ) {
    this.listen = listen;
    this.upstream = upstream;
  }

  get enabled(): boolean {
    return this.server !== undefined;
  }

  /** Bind the listener. Throws ProxyStartError with Go's message when the address is bad or taken. */
  async start(): Promise<void> {
    if (this.server) return;
    const address = await resolveListen(this.listen);
    const server: Server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket, server));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(new ProxyStartError(bindErrorText(formatHostPort(address.host, address.port), err))));
      server.listen({ host: address.host === '' ? undefined : address.host, port: address.port, exclusive: true }, resolve);
    });
    server.on('error', (err) => this.onError(err));
    const bound = server.address();
    if (bound && typeof bound === 'object') this.listen = formatHostPort(address.host === '' ? bound.address : address.host, bound.port);
    this.server = server;
  }

  /** Close the listener and every open connection: clients see EOF, new connects are refused. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const conn of [...this.connections]) conn.destroy();
    if (!server) return Promise.resolve();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Whether `listen` (after resolving) and `upstream` are what this proxy already uses. */
  async sameAddresses(listen: string, upstream: string): Promise<boolean> {
    if (upstream !== this.upstream) return false;
    const wanted = await resolveListen(listen);
    return formatHostPort(wanted.host, wanted.port) === this.listen;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  connectionClosed(conn: ProxyConnection): void {
    this.connections.delete(conn);
  }

  onToxicError(err: unknown): void {
    this.onError(err);
  }

  linkBytes(labels: LinkLabels, received: number, sent: number): void {
    this.counters?.linkFinished(labels, received, sent);
  }

  private accept(socket: Socket, from: Server): void {
    // A connection that raced with stop() must not outlive the disabled proxy.
    if (this.server !== from) {
      socket.destroy();
      return;
    }
    const conn = new ProxyConnection(this, socket);
    this.connections.add(conn);
    let target: { host: string; port: number };
    try {
      target = splitHostPort(this.upstream);
    } catch {
      conn.destroy();
      return;
    }
    conn.start(target.host === '' ? '127.0.0.1' : target.host, target.port);
  }
}

async function resolveListen(listen: string): Promise<{ host: string; port: number }> {
  try {
    const { host, port } = splitHostPort(listen);
    return { host: await resolveHost(host), port };
  } catch (err) {
    if (err instanceof AddressError) throw new ProxyStartError(`listen tcp: ${err.message}`);
    throw err;
  }
}
