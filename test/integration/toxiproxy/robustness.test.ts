import fc from 'fast-check';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';
import { raw, startEcho, type TcpServer } from './support.js';

/**
 * Random methods, paths and bodies never crash the server, always get a status Toxiproxy could
 * answer with a Toxiproxy-shaped body, and leave no listener behind once the proxies are gone.
 * Concurrent API calls leave a consistent state.
 */
const listeners = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

let server: StartedToxiproxyServer;
let echo: TcpServer;
/** Failures the server did not expect (a handler's non-API error answers 500 and lands here): there must be none. */
const unexpected: unknown[] = [];
beforeAll(async () => {
  server = await startToxiproxyServer({ onError: (err) => unexpected.push(err) });
  echo = await startEcho();
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

const names = fc.constantFrom('a', 'b', 'p1', 'x y', 'é', 'latency_downstream', 'nope');
const segment = fc.oneof(names, fc.constantFrom('proxies', 'toxics', 'populate', 'reset', 'version', '', '.', '..', '%2F', '%zz'), fc.string({ maxLength: 6 }));
const path = fc.oneof(
  fc.constantFrom('/version', '/proxies', '/populate', '/reset', '/metrics'),
  names.map((n) => `/proxies/${encodeURIComponent(n)}`),
  fc.tuple(names, names).map(([p, t]) => `/proxies/${encodeURIComponent(p)}/toxics/${encodeURIComponent(t)}`),
  names.map((n) => `/proxies/${encodeURIComponent(n)}/toxics`),
  fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`),
);
// Listen addresses are never random: a fuzzer must not bind real ports on a shared machine.
const listen = fc.constantFrom('127.0.0.1:0', 'localhost:0', '', '999.1.1.1:0', '127.0.0.1', '127.0.0.1:99999', '[::1]:0');
const proxyBody = fc.record(
  { name: names, listen, upstream: fc.constantFrom('127.0.0.1:1', 'nohost', ''), enabled: fc.boolean() },
  { requiredKeys: [] },
);
const attributeValue = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.string({ maxLength: 3 }), fc.constant(null));
const toxicBody = fc.record(
  {
    name: names,
    type: fc.constantFrom('latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'noop', 'down', 'bogus'),
    stream: fc.constantFrom('upstream', 'downstream', 'UPSTREAM', '', 'sideways'),
    toxicity: fc.oneof(fc.double({ min: -1, max: 3, noNaN: true }), fc.string({ maxLength: 2 })),
    attributes: fc.dictionary(fc.constantFrom('latency', 'jitter', 'rate', 'delay', 'timeout', 'bytes', 'average_size', 'size_variation', 'Latency'), attributeValue),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  proxyBody.map((b) => JSON.stringify(b)),
  toxicBody.map((b) => JSON.stringify(b)),
  fc.array(proxyBody, { maxLength: 3 }).map((b) => JSON.stringify(b)),
  fc.json(),
  fc.string({ maxLength: 30 }),
  fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')),
);
const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS');

const STATUSES = new Set([200, 201, 204, 301, 400, 404, 405, 409, 500]);

describe('API robustness', () => {
  it('answers random methods, paths and bodies with a Toxiproxy status and body shape, and keeps serving', async () => {
    const before = listeners();
    await fc.assert(
      fc.asyncProperty(method, path, body, async (m, p, b) => {
        const res = await raw(server.url, m, p, m === 'GET' || m === 'HEAD' ? undefined : b);
        expect(STATUSES.has(res.status), `${m} ${p} ${String(b)} → ${res.status}`).toBe(true);
        if (m === 'HEAD' || res.status < 400 || res.status === 405) return;
        if (res.text === '404 page not found\n' || res.text === '400 Bad Request') return;
        const parsed = JSON.parse(res.text) as { error: unknown; status: unknown };
        expect(typeof parsed.error).toBe('string');
        expect(parsed.status).toBe(res.status);
      }),
      { numRuns: 400, interruptAfterTimeLimit: 20_000 },
    );
    expect((await raw(server.url, 'GET', '/version')).status).toBe(200);
    // A 500 is a Toxiproxy status (listen failures), but one from an unexpected throw is a bug.
    expect(unexpected).toEqual([]);
    const all = JSON.parse((await raw(server.url, 'GET', '/proxies')).text) as Record<string, unknown>;
    for (const name of Object.keys(all)) await raw(server.url, 'DELETE', `/proxies/${encodeURIComponent(name)}`);
    expect(listeners()).toBe(before);
  }, 40_000);

  it('creates exactly one of ten concurrent creates of the same proxy, the others get 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => raw(server.url, 'POST', '/proxies', JSON.stringify({ name: 'same', listen: '127.0.0.1:0', upstream: echo.address }))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    await raw(server.url, 'DELETE', '/proxies/same');
  });

  it('keeps proxies and toxics consistent under concurrent creates, updates and deletes', async () => {
    const before = listeners();
    const proxies = Array.from({ length: 8 }, (_, i) => `c${i}`);
    await Promise.all(proxies.map((name) => raw(server.url, 'POST', '/proxies', JSON.stringify({ name, listen: '127.0.0.1:0', upstream: echo.address }))));
    const calls: Promise<unknown>[] = [];
    for (const name of proxies) {
      for (let t = 0; t < 6; t++) {
        const toxicName = `t${t}`;
        calls.push(
          raw(server.url, 'POST', `/proxies/${name}/toxics`, JSON.stringify({ name: toxicName, type: 'latency', stream: t % 2 ? 'upstream' : 'downstream', attributes: { latency: t } })).then(
            async () => {
              if (t % 3 === 0) await raw(server.url, 'DELETE', `/proxies/${name}/toxics/${toxicName}`);
            },
          ),
        );
        calls.push(raw(server.url, 'PATCH', `/proxies/${name}/toxics/${toxicName}`, '{"toxicity":0.5}'));
      }
      calls.push(raw(server.url, 'PATCH', `/proxies/${name}`, '{"enabled":false}').then(() => raw(server.url, 'PATCH', `/proxies/${name}`, '{"enabled":true}')));
    }
    await Promise.all(calls);
    const all = JSON.parse((await raw(server.url, 'GET', '/proxies')).text) as Record<string, { enabled: boolean; toxics: Array<{ name: string; stream: string }> }>;
    for (const name of proxies) {
      const proxy = all[name]!;
      expect(proxy.enabled).toBe(true);
      expect(proxy.toxics.map((t) => t.name).sort()).toEqual(['t1', 't2', 't4', 't5']);
      // Upstream ones first, as always.
      expect(proxy.toxics.map((t) => t.stream)).toEqual(['upstream', 'upstream', 'downstream', 'downstream']);
    }
    await Promise.all(proxies.map((name) => raw(server.url, 'DELETE', `/proxies/${name}`)));
    expect(listeners()).toBe(before);
  });

  it('leaves no listener behind when closed while creates and resets are under way (they finish and are closed, or are refused)', async () => {
    const before = listeners();
    for (let i = 0; i < 40; i++) {
      // Odd rounds: a reset re-enabling a disabled proxy; even rounds: a create.
      const own = await startToxiproxyServer({ proxies: i % 2 ? [{ name: 'off', listen: 'localhost:0', upstream: echo.address, enabled: false }] : [] });
      const [path, body] = i % 2 ? ['/reset', ''] : ['/proxies', JSON.stringify({ name: 'p', listen: 'localhost:0', upstream: echo.address })];
      // node:http rather than fetch: a request cut off mid-flight must settle, whatever its outcome.
      const creating = new Promise<void>((resolve) => {
        const req = request(`${own.url}${path}`, { method: 'POST', agent: false }, (res) => {
          res.resume();
          res.on('end', resolve).on('error', () => resolve());
        });
        req.on('error', () => resolve());
        req.end(body);
      });
      // Close at varying moments: before the request arrives, while it resolves `localhost`, after it answered.
      await new Promise((r) => setTimeout(r, Math.floor(i / 2) % 5));
      await own.close();
      await creating;
      // A closed handle leaves the active list a moment later; a leaked listener never does.
      await vi.waitFor(() => expect(listeners(), `after round ${i}`).toBe(before), { timeout: 2000, interval: 20 });
    }
  });
});

