import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { listenError } from './listen-error.js';

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
  /** What listens, for the error when it cannot (default "the server"). */
  what?: string;
  /** The flags that chose host and port, named in that error. */
  hostFlag?: string;
  portFlag?: string;
}

/**
 * Start a fastify app on host:port (127.0.0.1:0 by default) and return `{ url, close }`.
 * `close()` is idempotent and also destroys keep-alive sockets, so a port is really free after it.
 */
export async function listenFastify(app: FastifyInstance, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close().catch(() => {});
    throw listenError(err, { what: options.what ?? 'the server', host, port, ...(options.hostFlag ? { hostFlag: options.hostFlag } : {}), ...(options.portFlag ? { portFlag: options.portFlag } : {}) }) ?? err;
  }
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
