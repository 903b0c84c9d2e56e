import { freePort, isPaychaosError } from '../kernel/index.js';

/**
 * Start a child that must be told its port up front (a simulator, the proxy, a gateway that comes
 * back at the same URL after a restart) on a free one, and again on another if the port was
 * taken between freePort closing it and the child binding it: another process on the machine —
 * another test worker, another run — can be handed the same port in that window. The child then
 * exits with PAYCHAOS_ERR_LISTEN_IN_USE before it is ready, and only that is retried.
 */
export async function onFreePort<T>(host: string, start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(host);
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= attempts || !portTaken(err)) throw err;
    }
  }
}

/** The start failed because the child found its port in use (its last output says so). */
export function portTaken(err: unknown): boolean {
  return isPaychaosError(err) && err.code === 'PAYCHAOS_ERR_STACK_CHILD_CRASHED' && /PAYCHAOS_ERR_LISTEN_IN_USE|EADDRINUSE/.test(err.message);
}
