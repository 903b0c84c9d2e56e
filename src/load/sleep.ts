/** Sleep `ms`, or less if `signal` aborts first (Ctrl-C must not wait out a long delay). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Sleep until `performance.now()` (or `now`) reaches `deadline`. A timer can fire up to a
 * millisecond before that clock says it is due (libuv keeps its own millisecond loop time), and
 * a step sent early and answered fast would record a negative latency: wait again instead.
 */
export async function sleepUntil(deadline: number, signal?: AbortSignal, now: () => number = () => performance.now()): Promise<void> {
  for (let wait = deadline - now(); wait > 0 && !signal?.aborted; wait = deadline - now()) await abortableSleep(wait, signal);
}
