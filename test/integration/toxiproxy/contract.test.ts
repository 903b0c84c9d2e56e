import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import { connectTo, portOf, raw, readAll, startSender, type TcpServer } from './support.js';
import { containerTarget, dockerUnavailableReason, embeddedTarget, type ContractTarget } from './targets.js';

/**
 * The Toxiproxy API contract (TOXIPROXY.md §1–2, §8), driven through toxiproxy-node-client and
 * raw HTTP. It runs against the embedded server, and against a real Toxiproxy 2.12 in Docker
 * when a Docker engine is reachable.
 */
function contract(label: string, start: () => Promise<ContractTarget>): void {
  describe(`Toxiproxy API contract: ${label}`, () => {
    let target: ContractTarget;
    let client: Toxiproxy;
    const http = (method: string, path: string, body?: string, headers?: Record<string, string>) => raw(target.url, method, path, body, headers);

    beforeAll(async () => {
      target = await start();
      client = new Toxiproxy(target.url);
    }, 180_000);
    afterAll(() => target?.close());
    beforeEach(async () => {
      for (const proxy of Object.values(await client.getAll())) await proxy.remove();
    });

    const create = (name: string, extra: Record<string, unknown> = {}) =>
      client.createProxy({ name, listen: '127.0.0.1:0', upstream: '127.0.0.1:1', ...extra } as never);

    it('reports version 2.12.0 as raw JSON text through the 4.1 client', async () => {
      expect(await client.getVersion()).toBe('{"version": "2.12.0"}\n');
    });

    it('creates a proxy on a resolved port and lists it by name', async () => {
      const proxy = await create('a');
      expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(proxy.listen).not.toBe('127.0.0.1:0');
      expect(proxy.toJson()).toEqual({ enabled: true, listen: proxy.listen, name: 'a', upstream: '127.0.0.1:1' });
      const all = await client.getAll();
      expect(Object.keys(all)).toEqual(['a']);
      expect((await client.get('a')).listen).toBe(proxy.listen);
    });

    it('keeps listen exactly as given for a proxy created disabled', async () => {
      const proxy = await create('off', { enabled: false });
      expect(proxy.enabled).toBe(false);
      expect(proxy.listen).toBe('127.0.0.1:0');
    });

    it('rejects a duplicate proxy with a 409 the client reports by status only', async () => {
      await create('dup');
      const err = await create('dup').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ToxiproxyError);
      expect((err as Error).message).toBe('Request failed with status code 409');
      const res = await http('POST', '/proxies', JSON.stringify({ name: 'dup', listen: '127.0.0.1:0', upstream: 'x:1' }));
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe('{"error":"proxy already exists","status":409}\n');
    });

    it('fills toxic defaults: stream downstream, toxicity 1, name <type>_<stream>, zeroed attributes, answered with 200', async () => {
      await create('d');
      const res = await http('POST', '/proxies/d/toxics', '{"type":"latency"}');
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"attributes":{"latency":0,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}');
    });

    it('matches JSON keys case-insensitively and ignores unknown keys', async () => {
      const res = await http('POST', '/proxies', '{"NAME":"ci","Listen":"127.0.0.1:0","UPSTREAM":"127.0.0.1:1","extra":true}');
      expect(res.status).toBe(201);
      expect(JSON.parse(res.text)).toMatchObject({ name: 'ci', upstream: '127.0.0.1:1', enabled: true, Logger: {}, toxics: [] });
    });

    it('accepts any case of stream and echoes it back as given', async () => {
      await create('s');
      const res = await http('POST', '/proxies/s/toxics', '{"type":"noop","stream":"UPSTREAM"}');
      expect(JSON.parse(res.text)).toMatchObject({ name: 'noop_UPSTREAM', stream: 'UPSTREAM' });
    });

    it('rejects "down" as a toxic type: it is a disabled proxy, not a toxic', async () => {
      const proxy = await create('down');
      const err = await proxy.addToxic({ name: 'x', type: 'down', stream: 'downstream', toxicity: 1, attributes: {} }).catch((e: unknown) => e);
      expect((err as Error).message).toBe('Request failed with status code 400');
      const res = await http('POST', '/proxies/down/toxics', '{"type":"down"}');
      expect(res.text).toBe('{"error":"invalid toxic type","status":400}\n');
    });

    it('lists upstream toxics first, then downstream, each in creation order', async () => {
      const proxy = await create('order');
      for (const [name, stream] of [['d1', 'downstream'], ['u1', 'upstream'], ['d2', 'downstream'], ['u2', 'upstream']] as const) {
        await proxy.addToxic({ name, type: 'noop' as never, stream, toxicity: 1, attributes: {} });
      }
      const res = await http('GET', '/proxies/order/toxics');
      expect((JSON.parse(res.text) as Array<{ name: string }>).map((t) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
    });

    it('merges attribute updates, keeps toxicity when absent, and ignores name, type and stream', async () => {
      const proxy = await create('upd');
      const toxic = await proxy.addToxic({ name: 'lat', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 5, jitter: 0 } });
      await http('PATCH', '/proxies/upd/toxics/lat', '{"attributes":{"jitter":3},"name":"zzz","type":"bandwidth","stream":"downstream"}');
      const updated = await toxic.update({ ...toxic.toJson(), attributes: { latency: 7 } } as never);
      expect(updated.toJson()).toEqual({ name: 'lat', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 7, jitter: 3 } });
    });

    it('finds the proxy before the toxic: 404 proxy not found, then 404 toxic not found', async () => {
      await create('nf');
      expect((await http('GET', '/proxies/nope/toxics/x')).text).toBe('{"error":"proxy not found","status":404}\n');
      expect((await http('GET', '/proxies/nf/toxics/x')).text).toBe('{"error":"toxic not found","status":404}\n');
      expect((await http('DELETE', '/proxies/nf/toxics/x')).status).toBe(404);
    });

    it('removes toxics with 204 and the client resolves', async () => {
      const proxy = await create('rm');
      const toxic = await proxy.addToxic({ name: 'n', type: 'noop' as never, stream: 'downstream', toxicity: 1, attributes: {} });
      await toxic.remove();
      expect(JSON.parse((await http('GET', '/proxies/rm/toxics')).text)).toEqual([]);
    });

    it('keeps toxics across disable and enable, through the client (POST) and PATCH', async () => {
      const proxy = await create('keep');
      await proxy.addToxic({ name: 'n', type: 'noop' as never, stream: 'downstream', toxicity: 1, attributes: {} });
      const off = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
      expect(off.enabled).toBe(false);
      const on = await http('PATCH', '/proxies/keep', '{"enabled":true}');
      expect(JSON.parse(on.text)).toMatchObject({ enabled: true, listen: proxy.listen, toxics: [{ name: 'n' }] });
    });

    it('resets: re-enables every proxy and removes every toxic, keeping the proxies', async () => {
      const a = await create('ra');
      await a.addToxic({ name: 'n', type: 'noop' as never, stream: 'downstream', toxicity: 1, attributes: {} });
      await a.update({ enabled: false, listen: a.listen, upstream: a.upstream });
      await client.reset();
      const after = JSON.parse((await http('GET', '/proxies')).text) as Record<string, { enabled: boolean; toxics: unknown[] }>;
      expect(after.ra).toMatchObject({ enabled: true, toxics: [] });
      expect((await http('POST', '/reset')).status).toBe(204);
    });

    it('populates: creates, leaves identical ones untouched, replaces differing ones (dropping their toxics)', async () => {
      const same = await create('same');
      const other = await create('other');
      await other.addToxic({ name: 'n', type: 'noop' as never, stream: 'downstream', toxicity: 1, attributes: {} });
      const result = await client.populate([
        { name: 'same', listen: same.listen, upstream: same.upstream },
        { name: 'other', listen: '127.0.0.1:0', upstream: '127.0.0.1:2' },
        { name: 'fresh', listen: '127.0.0.1:0', upstream: '127.0.0.1:3', enabled: false },
      ]);
      expect(Object.keys(result).sort()).toEqual(['fresh', 'other', 'same']);
      expect(result.same!.listen).toBe(same.listen);
      expect(result.fresh!.enabled).toBe(false);
      const listed = JSON.parse((await http('GET', '/proxies/other')).text) as { upstream: string; toxics: unknown[] };
      expect(listed).toMatchObject({ upstream: '127.0.0.1:2', toxics: [] });
    });

    it('populates by resolved listen: localhost:<port> is the proxy stored as 127.0.0.1:<port>, kept with its toxics', async () => {
      const kept = await create('kept');
      await kept.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } });
      const result = await client.populate([{ name: 'kept', listen: `localhost:${portOf(kept.listen)}`, upstream: kept.upstream }]);
      expect(result.kept!.listen).toBe(kept.listen);
      const listed = JSON.parse((await http('GET', '/proxies/kept')).text) as { listen: string; toxics: { name: string }[] };
      expect(listed.listen).toBe(kept.listen);
      expect(listed.toxics.map((t) => t.name)).toEqual(['slow']);
    });

    it('answers an out-of-range port with Go\'s text, naming only the port', async () => {
      const res = await http('POST', '/proxies', JSON.stringify({ name: 'badport', listen: '127.0.0.1:99999', upstream: '127.0.0.1:1' }));
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"error":"listen tcp: address 99999: invalid port","status":500}\n');
    });

    it('accepts a slicer whose size_variation equals average_size (toxiproxy-node-client\'s own case) and passes every byte', async () => {
      const payload = Buffer.alloc(20_000, 7);
      let sender: TcpServer | undefined;
      try {
        sender = await startSender(payload);
        const proxy = await create('sl', { upstream: sender.address });
        const toxic = await proxy.addToxic({ name: 'sl', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 1000, size_variation: 1000, delay: 0 } });
        expect(toxic.toJson()).toMatchObject({ attributes: { average_size: 1000, size_variation: 1000, delay: 0 } });
        const got = await readAll(await connectTo(portOf(proxy.listen)));
        expect(got.data.equals(payload)).toBe(true);
      } finally {
        await sender?.close();
      }
    });

    it('populates nothing when any item lacks a required field, and answers [] with proxies null', async () => {
      const bad = await http('POST', '/populate', JSON.stringify([{ name: 'ok', listen: '127.0.0.1:0', upstream: 'a:1' }, { name: '', upstream: 'a:1' }]));
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toBe('application/json');
      expect(bad.text).toBe('{"error":"missing required field: name at proxy 2","status":400,"proxies":null}');
      expect(JSON.parse((await http('GET', '/proxies')).text)).toEqual({});
      expect((await http('POST', '/populate', '[]')).text).toBe('{"proxies":null}');
    });

    it('answers mux-style 404 and 405 for unknown paths and methods, even for encoded slashes', async () => {
      await create('x');
      expect(await http('GET', '/nope')).toMatchObject({ status: 404, text: '404 page not found\n' });
      expect(await http('PUT', '/proxies')).toMatchObject({ status: 405, text: '' });
      expect(await http('GET', '/metrics')).toMatchObject({ status: 404 });
      expect(await http('GET', '/proxies/x%2Fy')).toMatchObject({ status: 404, text: '404 page not found\n' });
    });

    it('refuses browser user agents with 403', async () => {
      const res = await http('GET', '/version', undefined, { 'User-Agent': 'Mozilla/5.0' });
      expect(res).toMatchObject({ status: 403, text: 'User agent not allowed\n' });
    });

    it('reports JSON type errors in Go words', async () => {
      const res = await http('POST', '/proxies', '{"name":7,"upstream":"a:1"}');
      expect(res.text).toBe('{"error":"bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string","status":400}\n');
      await create('t');
      const attr = await http('POST', '/proxies/t/toxics', '{"name":"x","type":"latency","attributes":{"latency":"slow"}}');
      expect(attr.text).toContain('cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64');
    });

    it('tags every response with an X-Toxiproxy-Request-Id', async () => {
      const res = await http('GET', '/proxies');
      expect(res.headers.get('x-toxiproxy-request-id')).toMatch(/^[0-9a-v]{20}$/);
    });
  });
}

contract('embedded server', embeddedTarget);

// Asks the engine (GET /_ping) rather than trusting a socket file, so a dead engine skips instead of failing.
const noDocker = await dockerUnavailableReason();
if (noDocker) {
  console.info(`[toxiproxy contract] real Toxiproxy 2.12 run skipped: ${noDocker}`);
  describe.skip(`Toxiproxy API contract: real Toxiproxy 2.12 in Docker (skipped: ${noDocker})`, () => {
    it('needs a Docker engine', () => {});
  });
} else {
  contract('real Toxiproxy 2.12 in Docker', containerTarget);
}
