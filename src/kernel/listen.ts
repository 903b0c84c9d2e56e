import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

/** A server that is listening: where to reach it and how to stop it. */
export interface Listening {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ListenOptions {
  /** Defaults to 127.0.0.1: paychaos never listens on every interface unless told to. */
  host?: string;
  /** Defaults to 0: the kernel picks a free port, so parallel runs never collide. */
  port?: number;
}

/**
 * Start a fastify app on host:port (127.0.0.1:0 by default) and return `{ url, close }`.
 * `close()` is idempotent and also destroys keep-alive sockets, so a port is really free after it.
 */
export async function listenFastify(app: FastifyInstance, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      app.server.closeAllConnections?.();
      await app.close();
    })();
    return closing;
  };
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close,
    [Symbol.asyncDispose]: close,
  };
}
