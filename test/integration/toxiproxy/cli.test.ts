import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { sleep, startEcho, tryConnect } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-proxy-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function waitFor<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(10);
  }
}

describe('paychaos proxy', () => {
  it('serves the Toxiproxy API with the proxies of --config until interrupted, then closes everything and exits 0', async () => {
    const config = file('ok.json', JSON.stringify([{ name: 'redis', listen: '127.0.0.1:0', upstream: '127.0.0.1:6379' }, { name: 'off', listen: '127.0.0.1:0', upstream: 'a:1', enabled: false }]));
    const io = fakeIo();
    const exit = runCli(['proxy', '--port', '0', '--config', config], io);
    const url = await waitFor(() => /API on (http:\/\/\S+)/.exec(io.out())?.[1]);
    const all = await new Toxiproxy(url).getAll();
    expect(Object.keys(all).sort()).toEqual(['off', 'redis']);
    expect(all.redis!.enabled).toBe(true);
    expect(all.off!.enabled).toBe(false);
    io.interrupt('SIGTERM');
    expect(await exit).toBe(0);
    expect(await tryConnect(Number(new URL(url).port))).toBe('ECONNREFUSED');
    expect(await tryConnect(Number(all.redis!.listen.split(':')[1]))).toBe('ECONNREFUSED');
  });

  it.each([
    ['not JSON', '{nope'],
    ['not an array', '{"name":"x"}'],
    ['a proxy without upstream', '[{"name":"x","listen":"127.0.0.1:0"}]'],
    ['a proxy without listen', '[{"name":"x","upstream":"a:1"}]'],
  ])('refuses a config that is %s with PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG and exit 2', async (_what, text) => {
    const io = fakeIo();
    expect(await runCli(['proxy', '--port', '0', '--config', file('bad.json', text)], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG');
    expect(io.err()).toContain('bad.json');
  });

  it('refuses a missing config file with exit 2', async () => {
    const io = fakeIo();
    expect(await runCli(['proxy', '--port', '0', '--config', join(dir, 'missing.json')], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG');
  });

  it('fails with PAYCHAOS_ERR_TOXIPROXY_LISTEN_FAILED and exit 3 when the API port is taken', async () => {
    const taken = await startEcho();
    try {
      const io = fakeIo();
      expect(await runCli(['proxy', '--port', String(taken.port)], io)).toBe(3);
      expect(io.err()).toContain('PAYCHAOS_ERR_TOXIPROXY_LISTEN_FAILED');
    } finally {
      await taken.close();
    }
  });

  it('refuses a bad --port with exit 2', async () => {
    const io = fakeIo();
    expect(await runCli(['proxy', '--port', 'eighty'], io)).toBe(2);
    expect(io.err()).toContain('--port');
  });
});
