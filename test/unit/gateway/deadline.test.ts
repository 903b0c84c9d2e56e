import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, Pool } from 'undici';
import { preciseDeadline } from '../../../gateway/clients/deadline.js';
import { transportFailure } from '../../../gateway/clients/provider-client.js';

/**
 * A provider timeout below a second must fire when it says: undici's own headersTimeout ticks on
 * half-second "fast timers", so alone it lets a 100 ms timeout run past a 300 ms answer (the
 * control). With the interceptor every provider pool carries, the same request times out at
 * 100 ms, with undici's own error classes, so a timeout after sending stays an unknown outcome.
 */
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const wait = Number(url.searchParams.get('wait') ?? 0);
    if (url.pathname === '/slow-headers') setTimeout(() => res.end('late'), wait);
    else if (url.pathname === '/slow-body') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      setTimeout(() => res.end('rest'), wait);
    } else res.end('now');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

const get = (pool: Pool | ReturnType<Pool['compose']>, path: string, timeoutMs: number) => async () => {
  const res = await pool.request({ method: 'GET', path, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return { status: res.statusCode, text: await res.body.text() };
};

describe('preciseDeadline', () => {
  it('the control: undici alone lets a 100 ms headers timeout run past an answer at 300 ms', async () => {
    const pool = new Pool(origin);
    const r = await timed(get(pool, '/slow-headers?wait=300', 100));
    await pool.close();
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual({ status: 200, text: 'late' });
  });

  it('times out waiting for the answer at the timeout, with HeadersTimeoutError — an unknown outcome', async () => {
    const pool = new Pool(origin).compose(preciseDeadline);
    const r = await timed(get(pool, '/slow-headers?wait=300', 100));
    expect(r.error).toBeInstanceOf(errors.HeadersTimeoutError);
    expect(r.ms).toBeGreaterThanOrEqual(99);
    expect(r.ms).toBeLessThan(280);
    expect(transportFailure(r.error)).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'timeout' });
  });

  it('times out a body that stalls after the headers with BodyTimeoutError', async () => {
    const pool = new Pool(origin).compose(preciseDeadline);
    const r = await timed(get(pool, '/slow-body?wait=300', 100));
    expect(r.error).toBeInstanceOf(errors.BodyTimeoutError);
    expect(r.ms).toBeLessThan(280);
    expect(transportFailure(r.error)).toMatchObject({ outcome: 'pending', providerCode: 'timeout' });
  });

  it('counts the wait for a connection: a request queued behind a slow one fails by its own deadline, and is never sent', async () => {
    let fastSeen = 0;
    const counting = (req: import('node:http').IncomingMessage) => void (req.url === '/fast' && fastSeen++);
    server.on('request', counting);
    const pool = new Pool(origin, { connections: 1 }).compose(preciseDeadline);
    const first = timed(get(pool, '/slow-headers?wait=400', 2000));
    const second = await timed(get(pool, '/fast', 100));
    expect(second.error).toBeInstanceOf(errors.HeadersTimeoutError);
    expect(second.ms).toBeLessThan(300);
    expect((await first).value).toEqual({ status: 200, text: 'late' });
    // The connection came free after the deadline: the queued request was aborted, not written.
    await new Promise((r) => setTimeout(r, 100));
    server.off('request', counting);
    expect(fastSeen).toBe(0);
  });

  it('leaves a request that answers in time alone, however many go through', async () => {
    const pool = new Pool(origin).compose(preciseDeadline);
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(pool, '/fast', 1000)()));
    expect(answers.every((a) => a.status === 200 && a.text === 'now')).toBe(true);
  });
});
