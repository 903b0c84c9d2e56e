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
    ['a proxy whose listen has no host', '[{"name":"x","listen":":8080","upstream":"a:1"}]'],
  ])('refuses a config that is %s with PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG and exit 2', async (_what, text) => {
    const io = fakeIo();
    expect(await runCli(['proxy', '--port', '0', '--config', file('bad.json', text)], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG');
    expect(io.err()).toContain('bad.json');
  });

  it.each([
    [['-host', '127.0.0.1', '-port', '0', '-config', '<config>']],
    [['-host=127.0.0.1', '-port=0', '-config=<config>']],
    [['--host=127.0.0.1', '--port=0', '--config=<config>']],
    [['--port', '0', '-config', '<config>', '-proxy-metrics=false', '-runtime-metrics=false']],
  ])('takes toxiproxy-server\'s Go-style flags: %j', async (flags) => {
    const config = file('go.json', JSON.stringify([{ name: 'redis', listen: '127.0.0.1:0', upstream: '127.0.0.1:6379' }]));
    const io = fakeIo();
    const exit = runCli(['proxy', ...flags.map((f) => f.replace('<config>', config))], io);
    const url = await waitFor(() => /API on (http:\/\/\S+)/.exec(io.out())?.[1]);
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new URL(url).port).not.toBe('8474');
    expect(Object.keys(await new Toxiproxy(url).getAll())).toEqual(['redis']);
    io.interrupt('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('prints the Toxiproxy version it implements for -version, as toxiproxy-server does, and starts nothing', async () => {
    const io = fakeIo();
    expect(await runCli(['proxy', '-version'], io)).toBe(0);
    expect(io.out()).toMatch(/^toxiproxy-server version 2\.12\.0 \(paychaos proxy \S+\)\n$/);
  });

  it('shows its help, Go-style flags included, for -help', async () => {
    const io = fakeIo();
    expect(await runCli(['proxy', '-help'], io)).toBe(0);
    expect(io.out()).toContain('--port <port>');
    expect(io.out()).toContain('-proxy-metrics, -runtime-metrics, -version and -help. -seed is refused');
  });

  it.each([
    [['-seed', '42'], "'-seed'", 'toxicity'],
    [['--seed=42'], "'--seed=42'", 'toxicity'],
  ])('refuses toxiproxy-server\'s %j with exit 2, naming the flag and why', async (flags, named, why) => {
    const io = fakeIo();
    expect(await runCli(['proxy', '--port', '0', ...flags], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(io.err()).toContain(`option ${named} of toxiproxy-server is not supported`);
    expect(io.err()).toContain(why);
    expect(io.out()).not.toContain('API on');
  });

  it('serves GET /metrics with toxiproxy-server\'s -proxy-metrics -runtime-metrics, as its own e2e script runs it', async () => {
    const io = fakeIo();
    const exit = runCli(['proxy', '--port', '0', '-proxy-metrics', '-runtime-metrics'], io);
    const url = await waitFor(() => /API on (http:\/\/\S+)/.exec(io.out())?.[1]);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^go_info\{/m);
    expect(text).toMatch(/^go_goroutines \d+$/m);
    io.interrupt('SIGTERM');
    expect(await exit).toBe(0);
  });

  it.each([
    [['-port', 'eighty'], '--port'],
    [['-port=eighty'], '--port'],
    [['-proxy-metrics=maybe'], 'invalid boolean value'],
    [['-bogus'], "unknown option '-bogus'"],
  ])('refuses a bad Go-style flag %j with exit 2', async (flags, named) => {
    const io = fakeIo();
    expect(await runCli(['proxy', ...flags], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(io.err()).toContain(named);
  });

  it('refuses a missing config file with exit 2', async () => {
    const io = fakeIo();
    expect(await runCli(['proxy', '--port', '0', '--config', join(dir, 'missing.json')], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG');
  });

  it('refuses a taken API port as bad input (exit 2, PAYCHAOS_ERR_LISTEN_IN_USE naming --port), not a harness failure', async () => {
    const taken = await startEcho();
    try {
      const io = fakeIo();
      expect(await runCli(['proxy', '--port', String(taken.port)], io)).toBe(2);
      expect(io.err()).toContain('PAYCHAOS_ERR_LISTEN_IN_USE');
      expect(io.err()).toContain(`--port ${taken.port} is already in use`);
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
