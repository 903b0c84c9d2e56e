import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerEndpoints, dockerUnavailableReason, parseProperties, pingDocker, type DockerProbeOptions } from './docker-probe.js';

// Short paths: a unix socket path must stay under ~100 bytes.
const dir = mkdtempSync(join(tmpdir(), 'pc-dk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;
const path = (name: string): string => join(dir, `${serial++}-${name}`);

/** A fake Docker engine on a unix socket (or TCP when `at` is undefined) answering GET /_ping. */
async function fakeEngine(answer: (res: import('node:http').ServerResponse) => void, at?: string): Promise<{ uri: string; socketPath?: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/_ping') answer(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => (at ? server.listen(at, resolve) : server.listen(0, '127.0.0.1', resolve)));
  const address = server.address();
  const uri = at ? `unix://${at}` : `tcp://127.0.0.1:${(address as { port: number }).port}`;
  return {
    uri,
    socketPath: at,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
const answerOk = (res: import('node:http').ServerResponse): void => void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');

/**
 * A socket file nobody listens on, as a crashed or stopped engine leaves it: a child process
 * binds it and is killed with SIGKILL, so it cannot unlink it (a closing Node server would).
 */
async function staleSocket(): Promise<string> {
  const at = path('stale.sock');
  const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", at], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`socket child exited early (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  expect(existsSync(at)).toBe(true);
  return at;
}

/** Options that see only this test's directory: no real ~/.testcontainers.properties or /var/run/docker.sock. */
function isolated(env: NodeJS.ProcessEnv, extra: Partial<DockerProbeOptions> = {}): DockerProbeOptions {
  const home = path('home');
  mkdirSync(home);
  return { env, home, platform: 'linux', uid: 4242, exists: (p) => p.startsWith(dir) && existsSync(p), timeoutMs: 300, ...extra };
}

describe('the Docker engine probe behind the real-Toxiproxy contract run', () => {
  it('reports an engine that answers GET /_ping with 200 OK on a unix socket as available', async () => {
    const engine = await fakeEngine(answerOk, path('ok.sock'));
    try {
      expect(await dockerUnavailableReason(isolated({ DOCKER_HOST: engine.uri }))).toBeUndefined();
    } finally {
      await engine.close();
    }
  });

  it('skips, saying why, when the socket file exists but nobody listens on it', async () => {
    const at = await staleSocket();
    const reason = await dockerUnavailableReason(isolated({ DOCKER_HOST: `unix://${at}` }));
    expect(reason).toContain('no Docker engine answered GET /_ping');
    expect(reason).toContain(`unix://${at} (DOCKER_HOST): ECONNREFUSED`);
  });

  it('skips when the engine answers /_ping with something other than 200 OK', async () => {
    const engine = await fakeEngine((res) => void res.writeHead(500).end('Internal Server Error'), path('500.sock'));
    try {
      expect(await dockerUnavailableReason(isolated({ DOCKER_HOST: engine.uri }))).toContain('GET /_ping answered 500 "Internal Server Error"');
    } finally {
      await engine.close();
    }
  });

  it('skips within the timeout (stated: 300 ms, allowed up to 2 s) when the engine accepts but never answers', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = createTcpServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = performance.now();
      const reason = await dockerUnavailableReason(isolated({ DOCKER_HOST: `tcp://127.0.0.1:${(silent.address() as { port: number }).port}` }));
      expect(reason).toContain('no answer within 300 ms');
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('probes a tcp:// DOCKER_HOST over HTTP', async () => {
    const engine = await fakeEngine(answerOk);
    try {
      expect(await dockerUnavailableReason(isolated({ DOCKER_HOST: engine.uri }))).toBeUndefined();
    } finally {
      await engine.close();
    }
  });

  it('uses docker.host from ~/.testcontainers.properties when DOCKER_HOST is unset', async () => {
    const engine = await fakeEngine(answerOk, path('props.sock'));
    const options = isolated({});
    writeFileSync(join(options.home!, '.testcontainers.properties'), `# testcontainers\ndocker.host=${engine.uri}\n`);
    try {
      expect(dockerEndpoints(options).map((e) => e.source)).toEqual(['docker.host in ~/.testcontainers.properties']);
      expect(await dockerUnavailableReason(options)).toBeUndefined();
    } finally {
      await engine.close();
    }
  });

  it('tries tc.host first, and lets DOCKER_HOST override docker.host key by key', async () => {
    const options = isolated({ DOCKER_HOST: 'tcp://127.0.0.1:1' });
    writeFileSync(join(options.home!, '.testcontainers.properties'), 'tc.host=tcp://127.0.0.1:2\ndocker.host=tcp://127.0.0.1:3\ndocker.tls.verify=1\ndocker.cert.path=/certs\n');
    expect(dockerEndpoints(options).map((e) => [e.source, e.uri, e.certPath])).toEqual([
      ['tc.host in ~/.testcontainers.properties', 'tcp://127.0.0.1:2', undefined],
      ['DOCKER_HOST', 'tcp://127.0.0.1:1', '/certs'],
    ]);
  });

  it('falls through to the next place, as testcontainers does, when the configured engine is dead', async () => {
    const xdg = path('xdg');
    mkdirSync(xdg);
    const engine = await fakeEngine(answerOk, join(xdg, 'docker.sock'));
    const stale = await staleSocket();
    try {
      const options = isolated({ DOCKER_HOST: `unix://${stale}`, XDG_RUNTIME_DIR: xdg });
      expect(dockerEndpoints(options).map((e) => e.source)).toEqual(['DOCKER_HOST', join(xdg, 'docker.sock')]);
      expect(await dockerUnavailableReason(options)).toBeUndefined();
    } finally {
      await engine.close();
    }
  });

  it('skips at once when nothing is configured and no socket file exists', async () => {
    expect(await dockerUnavailableReason(isolated({}))).toMatch(/^no Docker engine configured/);
  });

  it('skips when PAYCHAOS_SKIP_DOCKER is set, without probing', async () => {
    expect(await dockerUnavailableReason(isolated({ PAYCHAOS_SKIP_DOCKER: '1', DOCKER_HOST: 'tcp://127.0.0.1:1' }))).toBe('PAYCHAOS_SKIP_DOCKER is set');
  });

  it('says so when TLS is configured but its files cannot be read', async () => {
    const reason = await pingDocker({ source: 'DOCKER_HOST', uri: 'tcp://127.0.0.1:2376', host: '127.0.0.1', port: 2376, certPath: join(dir, 'no-certs') }, 300);
    expect(reason).toContain('TLS files unreadable (ENOENT)');
  });
});

describe('where testcontainers looks for an engine, in its order', () => {
  const exists = (paths: string[]) => (p: string) => paths.includes(p);
  const base = { home: '/h', platform: 'linux' as const, uid: 1000 };

  it.each([
    ['nothing', {}, [], []],
    ['DOCKER_HOST unix', { DOCKER_HOST: 'unix:///x/d.sock' }, [], [['DOCKER_HOST', 'unix:///x/d.sock', '/x/d.sock']]],
    ['DOCKER_HOST tcp, default port', { DOCKER_HOST: 'tcp://docker.internal' }, [], [['DOCKER_HOST', 'tcp://docker.internal', 'docker.internal:2375']]],
    ['DOCKER_HOST tcp with TLS', { DOCKER_HOST: 'tcp://10.0.0.2', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, [], [['DOCKER_HOST', 'tcp://10.0.0.2', '10.0.0.2:2376 tls /certs']]],
    ['the system socket, then the first rootless one', { XDG_RUNTIME_DIR: '/run/u' }, ['/var/run/docker.sock', '/h/.docker/run/docker.sock', '/run/user/1000/docker.sock'], [
      ['/var/run/docker.sock', 'unix:///var/run/docker.sock', '/var/run/docker.sock'],
      ['/h/.docker/run/docker.sock', 'unix:///h/.docker/run/docker.sock', '/h/.docker/run/docker.sock'],
    ]],
    ['XDG_RUNTIME_DIR first among rootless ones', { XDG_RUNTIME_DIR: '/run/u' }, ['/run/u/docker.sock', '/h/.docker/desktop/docker.sock'], [['/run/u/docker.sock', 'unix:///run/u/docker.sock', '/run/u/docker.sock']]],
  ])('%s', (_what, env, files, expected) => {
    const found = dockerEndpoints({ ...base, env, exists: exists(files) }).map((e) => [
      e.source,
      e.uri,
      e.socketPath ?? `${e.host}:${e.port}${e.certPath ? ` tls ${e.certPath}` : ''}`,
    ]);
    expect(found).toEqual(expected);
  });

  it('reads the named pipe on Windows', () => {
    expect(dockerEndpoints({ ...base, platform: 'win32', env: {}, exists: () => false }).map((e) => e.socketPath)).toEqual(['//./pipe/docker_engine']);
  });

  it('parses ~/.testcontainers.properties as Java properties', () => {
    const props = parseProperties('# comment\n! also a comment\ntc.host = tcp://127.0.0.1:41111\ndocker.host: unix:///a.sock\r\ndocker.tls.verify 1\n\n');
    expect([...props]).toEqual([
      ['tc.host', 'tcp://127.0.0.1:41111'],
      ['docker.host', 'unix:///a.sock'],
      ['docker.tls.verify', '1'],
    ]);
  });
});
