import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';
import { connectTo, portOf, raw, readAll, roundTrip, startEcho, type TcpServer } from './support.js';

/**
 * Where Toxiproxy has a foot-gun, the embedded server answers a clear 400 naming the attribute
 * (with a paychaos error code in the body) instead of crashing, hanging or binding everywhere.
 * Each case is listed in src/toxiproxy/README.md.
 */
let server: StartedToxiproxyServer;
let echo: TcpServer;
beforeAll(async () => {
  server = await startToxiproxyServer();
  echo = await startEcho();
  await raw(server.url, 'POST', '/proxies', JSON.stringify({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address }));
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

async function addToxic(body: unknown) {
  const res = await raw(server.url, 'POST', '/proxies/p/toxics', JSON.stringify(body));
  return { status: res.status, body: JSON.parse(res.text) as { error: string; status: number; code?: string } };
}

describe('deliberate improvements over Toxiproxy', () => {
  it.each([
    [{ type: 'slicer' }, 'average_size'],
    [{ type: 'slicer', attributes: { average_size: 0, size_variation: 0 } }, 'average_size'],
    [{ type: 'slicer', attributes: { average_size: 10, size_variation: 11 } }, 'size_variation'],
    [{ type: 'slicer', attributes: { average_size: 10, size_variation: -1 } }, 'size_variation'],
    [{ type: 'slicer', attributes: { average_size: 10, delay: -1 } }, 'delay'],
    [{ type: 'bandwidth' }, 'rate'],
    [{ type: 'bandwidth', attributes: { rate: 0 } }, 'rate'],
    [{ type: 'latency', attributes: { latency: -5 } }, 'latency'],
    [{ type: 'latency', attributes: { latency: 5, jitter: -1 } }, 'jitter'],
    [{ type: 'timeout', attributes: { timeout: -1 } }, 'timeout'],
    [{ type: 'slow_close', attributes: { delay: -1 } }, 'delay'],
    [{ type: 'reset_peer', attributes: { timeout: -1 } }, 'timeout'],
    [{ type: 'limit_data', attributes: { bytes: -1 } }, 'bytes'],
  ])('refuses %j with a 400 naming attributes.%s', async (body, attribute) => {
    const res = await addToxic(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PAYCHAOS_ERR_TOXIPROXY_BAD_ATTRIBUTE');
    expect(res.body.error).toContain(`attributes.${attribute}`);
  });

  it('refuses an update that would make an attribute unusable, and keeps the old values', async () => {
    await addToxic({ name: 'bw', type: 'bandwidth', attributes: { rate: 100 } });
    const res = await raw(server.url, 'PATCH', '/proxies/p/toxics/bw', '{"attributes":{"rate":0}}');
    expect(res.status).toBe(400);
    expect(res.text).toContain('attributes.rate');
    const now = await raw(server.url, 'GET', '/proxies/p/toxics/bw');
    expect(JSON.parse(now.text)).toMatchObject({ attributes: { rate: 100 } });
    await raw(server.url, 'DELETE', '/proxies/p/toxics/bw');
  });

  it('refuses a proxy without listen instead of binding every interface', async () => {
    for (const body of [{ name: 'x', upstream: 'a:1' }, { name: 'x', listen: '', upstream: 'a:1' }]) {
      const res = await raw(server.url, 'POST', '/proxies', JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN' });
      expect(res.text).toContain('listen');
    }
    const update = await raw(server.url, 'PATCH', '/proxies/p', '{"listen":""}');
    expect(update.status).toBe(400);
    const populate = await raw(server.url, 'POST', '/populate', '[{"name":"y","upstream":"a:1"}]');
    expect(populate.status).toBe(400);
    expect(populate.text).toContain('listen at proxy 1');
  });

  it.each([':0', ':8080', '[]:0', ':'])('refuses listen %j (no host: every interface) with a 400 naming listen, on create, update and /populate', async (listen) => {
    const create = await raw(server.url, 'POST', '/proxies', JSON.stringify({ name: 'hostless', listen, upstream: echo.address }));
    expect(create.status).toBe(400);
    expect(create.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const body = JSON.parse(create.text) as { error: string; status: number; code: string };
    expect(body).toMatchObject({ status: 400, code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN' });
    expect(body.error).toContain(`listen ${JSON.stringify(listen)} has no host`);
    expect(Object.keys(body)).toEqual(['error', 'status', 'code']);
    // A disabled proxy is refused too: enabling it later would bind every interface.
    expect((await raw(server.url, 'POST', '/proxies', JSON.stringify({ name: 'hostless', listen, upstream: echo.address, enabled: false }))).status).toBe(400);
    expect((await raw(server.url, 'GET', '/proxies/hostless')).status).toBe(404);

    const before = JSON.parse((await raw(server.url, 'GET', '/proxies/p')).text) as { listen: string };
    const update = await raw(server.url, 'PATCH', '/proxies/p', JSON.stringify({ listen }));
    expect(update.status).toBe(400);
    expect(JSON.parse(update.text)).toMatchObject({ code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN' });
    const after = JSON.parse((await raw(server.url, 'GET', '/proxies/p')).text) as { listen: string; enabled: boolean };
    expect(after).toMatchObject({ listen: before.listen, enabled: true });

    // /populate checks every item before creating any: the good first item is not created either.
    const populate = await raw(server.url, 'POST', '/populate', JSON.stringify([{ name: 'good', listen: '127.0.0.1:0', upstream: echo.address }, { name: 'hostless', listen, upstream: echo.address }]));
    expect(populate.status).toBe(400);
    expect(populate.headers.get('content-type')).toBe('application/json');
    const populated = JSON.parse(populate.text) as { error: string; code: string; proxies: unknown };
    expect(populated).toMatchObject({ status: 400, code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN', proxies: null });
    expect(populated.error).toContain(`listen ${JSON.stringify(listen)} at proxy 2 has no host`);
    expect((await raw(server.url, 'GET', '/proxies/good')).status).toBe(404);
  });

  it.each([
    ['0.0.0.0:0', /^0\.0\.0\.0:\d+$/],
    ['[::]:0', /^\[::\]:\d+$/],
  ])('binds every interface when asked by name (%s), on create and /populate', async (listen, bound) => {
    const create = await raw(server.url, 'POST', '/proxies', JSON.stringify({ name: 'everywhere', listen, upstream: echo.address }));
    expect(create.status).toBe(201);
    const proxy = JSON.parse(create.text) as { listen: string };
    expect(proxy.listen).toMatch(bound);
    const socket = await connectTo(portOf(proxy.listen));
    try {
      await roundTrip(socket, Buffer.from('hello'));
    } finally {
      socket.destroy();
    }
    expect((await raw(server.url, 'DELETE', '/proxies/everywhere')).status).toBe(204);

    const populate = await raw(server.url, 'POST', '/populate', JSON.stringify([{ name: 'everywhere', listen, upstream: echo.address }]));
    expect(populate.status).toBe(201);
    expect((JSON.parse(populate.text) as { proxies: { listen: string }[] }).proxies[0]!.listen).toMatch(bound);
    expect((await raw(server.url, 'DELETE', '/proxies/everywhere')).status).toBe(204);
  });

  it('refuses host-less proxies given to startToxiproxyServer directly, before binding anything', async () => {
    const err = await startToxiproxyServer({ proxies: [{ name: 'a', listen: '127.0.0.1:0', upstream: 'a:1', enabled: true }, { name: 'b', listen: ':0', upstream: 'a:1', enabled: true }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN' });
    expect((err as Error).message).toContain('listen ":0" at proxy 2 has no host');
  });

  it('keeps serving after data flows through a slicer with small sizes (Toxiproxy overflows its stack at size 0)', async () => {
    const res = await addToxic({ name: 'sl', type: 'slicer', attributes: { average_size: 1, size_variation: 0 } });
    expect(res.status).toBe(200);
    const proxy = await new Toxiproxy(server.url).get('p');
    const socket = await connectTo(portOf(proxy.listen));
    const reading = readAll(socket, 3000);
    socket.end('x'.repeat(2000));
    await reading;
    expect((await raw(server.url, 'GET', '/version')).status).toBe(200);
    await raw(server.url, 'DELETE', '/proxies/p/toxics/sl');
  });
});
