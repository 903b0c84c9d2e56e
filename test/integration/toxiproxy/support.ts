import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1:0 whose `close()` also destroys every socket it accepted. */
export interface TcpServer {
  readonly port: number;
  readonly address: string;
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

export async function startTcpServer(onSocket: (socket: Socket) => void): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Echoes every byte back; closes its side when the client ends. */
export const startEcho = (): Promise<TcpServer> =>
  startTcpServer((socket) => {
    socket.pipe(socket);
  });

/** Sends `payload` to every client on connect, then closes its side. */
export const startSender = (payload: Buffer): Promise<TcpServer> =>
  startTcpServer((socket) => {
    socket.end(payload);
  });

export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export interface Received {
  readonly data: Buffer;
  /** 'end' for a FIN, or the error code (ECONNRESET), or 'timeout' when `ms` passed first. */
  readonly how: string;
  readonly ms: number;
}

/** Collect everything until the socket ends, errors, or `ms` pass (then the socket is destroyed). */
export function readAll(socket: Socket, ms = 5000): Promise<Received> {
  const started = performance.now();
  const parts: Buffer[] = [];
  return new Promise((resolve) => {
    let settled = false;
    const done = (how: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(parts), how, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done('timeout'), ms);
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.once('end', () => done('end'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.once('close', () => done('end'));
  });
}

/** Write `data` and wait until `data.length` bytes came back; returns the elapsed ms. */
export function roundTrip(socket: Socket, data: Buffer = Buffer.from('ping'), ms = 5000): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let got = 0;
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got >= data.length) finish();
    };
    const finish = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(performance.now() - started);
    };
    const timer = setTimeout(() => {
      socket.off('data', onData);
      reject(new Error(`no echo within ${ms} ms`));
    }, ms);
    socket.on('data', onData);
    socket.write(data);
  });
}

/** Resolves with the connect error code, or 'connected'. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Raw HTTP against the API, keeping status, headers and body text exactly. */
export async function raw(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method, body, headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

export const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));
