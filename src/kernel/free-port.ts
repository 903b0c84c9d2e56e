import { createServer } from 'node:net';
import { paychaosError } from './errors.js';

/**
 * Ask the kernel for a free TCP port on `host`. For parts that must be told their port up front
 * (child processes, Toxiproxy listen addresses); in-process servers just listen on port 0.
 * There is a window between this closing and the caller binding; callers retry on EADDRINUSE.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err) => reject(paychaosError('PAYCHAOS_ERR_STACK_PORT_UNAVAILABLE', `no free port on ${host}: ${err.message}`, { host }, { cause: err })));
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
