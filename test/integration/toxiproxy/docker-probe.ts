import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Is a Docker engine there for testcontainers? Found the way testcontainers-node 12 finds one
 * (container-runtime/clients/client.js), then asked: `GET /_ping` must answer 200 `OK` within a
 * short timeout. A socket file alone proves nothing (a stopped Docker Desktop leaves one behind),
 * and a contract run that fails because no engine answered says nothing about the contract.
 *
 *   tc.host (~/.testcontainers.properties)
 *   DOCKER_HOST, else docker.host (~/.testcontainers.properties); TLS from DOCKER_TLS_VERIFY/DOCKER_CERT_PATH
 *     or docker.tls.verify/docker.cert.path, the environment winning key by key
 *   /var/run/docker.sock, if the file exists
 *   the first existing of $XDG_RUNTIME_DIR/docker.sock, ~/.docker/run/docker.sock,
 *     ~/.docker/desktop/docker.sock, /run/user/<uid>/docker.sock (rootless)
 *   //./pipe/docker_engine on Windows
 *
 * testcontainers takes the first of these that works, so the engine counts as reachable when
 * any of them answers. TESTCONTAINERS_HOST_OVERRIDE is not an engine address (it names the host
 * where mapped ports are reached, which container.getHost() already honours), so it is not probed.
 */
export interface DockerEndpoint {
  /** Where it came from, for the skip reason: "DOCKER_HOST", "docker.host in ~/.testcontainers.properties", a path. */
  readonly source: string;
  /** unix:///…, tcp://host:port, npipe:… as configured. */
  readonly uri: string;
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
  /** Set when TLS is on: the directory holding ca.pem, cert.pem and key.pem. */
  readonly certPath?: string;
}

export interface DockerProbeOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where ~/.testcontainers.properties and ~/.docker live. */
  readonly home?: string;
  readonly platform?: NodeJS.Platform;
  readonly uid?: number;
  /** Whether a socket path exists; tests pass one that sees only their own directory. */
  readonly exists?: (path: string) => boolean;
  /** Per endpoint. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 1500;
const PROPERTIES = '~/.testcontainers.properties';

/** The `key=value` (or `key: value`, `key value`) lines of a Java properties file; `#`/`!` comment lines skipped. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) out.set(match[1]!, match[2]!.trim());
  }
  return out;
}

function endpointFromUri(uri: string, source: string, certPath: string | undefined): DockerEndpoint {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { source, uri };
  }
  // As testcontainers: a URI with a host name is TCP, one without is a socket path (unix://, npipe://).
  if (url.hostname === '') return { source, uri, socketPath: decodeURIComponent(url.pathname) };
  const port = url.port === '' ? (certPath ? 2376 : 2375) : Number(url.port);
  return { source, uri, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, certPath };
}

/** Every place testcontainers would try, in its order (pure but for reading the properties file). */
export function dockerEndpoints(options: DockerProbeOptions = {}): DockerEndpoint[] {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const platform = options.platform ?? process.platform;
  const exists = options.exists ?? existsSync;
  let properties = new Map<string, string>();
  const file = join(home, '.testcontainers.properties');
  if (exists(file)) properties = parseProperties(readFileSync(file, 'utf8'));

  const endpoints: DockerEndpoint[] = [];
  const tcHost = properties.get('tc.host');
  if (tcHost) endpoints.push(endpointFromUri(tcHost, `tc.host in ${PROPERTIES}`, undefined));
  const dockerHost = env.DOCKER_HOST ?? properties.get('docker.host');
  if (dockerHost) {
    const tlsVerify = env.DOCKER_TLS_VERIFY ?? properties.get('docker.tls.verify');
    const certPath = env.DOCKER_CERT_PATH ?? properties.get('docker.cert.path');
    const tls = tlsVerify === '1' && certPath !== undefined ? resolve(certPath) : undefined;
    endpoints.push(endpointFromUri(dockerHost, env.DOCKER_HOST !== undefined ? 'DOCKER_HOST' : `docker.host in ${PROPERTIES}`, tls));
  }
  if (platform === 'linux' || platform === 'darwin') {
    const system = '/var/run/docker.sock';
    if (exists(system)) endpoints.push({ source: system, uri: `unix://${system}`, socketPath: system });
    const uid = options.uid ?? userInfo().uid;
    const rootless = [
      env.XDG_RUNTIME_DIR === undefined ? undefined : join(env.XDG_RUNTIME_DIR, 'docker.sock'),
      join(home, '.docker', 'run', 'docker.sock'),
      join(home, '.docker', 'desktop', 'docker.sock'),
      join('/run', 'user', String(uid), 'docker.sock'),
    ].find((path) => path !== undefined && exists(path));
    if (rootless) endpoints.push({ source: rootless, uri: `unix://${rootless}`, socketPath: rootless });
  }
  if (platform === 'win32') endpoints.push({ source: 'Docker Desktop named pipe', uri: 'npipe:////./pipe/docker_engine', socketPath: '//./pipe/docker_engine' });
  return endpoints;
}

/** `GET /_ping` on one endpoint: undefined when it answered 200 OK, else why not. */
export function pingDocker(endpoint: DockerEndpoint, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string | undefined> {
  const where = `${endpoint.uri} (${endpoint.source})`;
  if (endpoint.socketPath === undefined && endpoint.host === undefined) return Promise.resolve(`${where}: not a URI testcontainers can use`);
  const options: RequestOptions = { method: 'GET', path: '/_ping', timeout: timeoutMs, headers: { 'User-Agent': 'paychaos-docker-probe' } };
  if (endpoint.socketPath !== undefined) options.socketPath = endpoint.socketPath;
  else Object.assign(options, { host: endpoint.host, port: endpoint.port });
  let request = httpRequest;
  if (endpoint.certPath !== undefined) {
    try {
      const read = (name: string) => readFileSync(join(endpoint.certPath!, name));
      Object.assign(options, { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
    } catch (err) {
      return Promise.resolve(`${where}: TLS files unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    request = httpsRequest;
  }
  return new Promise((done) => {
    // `timeout` above covers an idle socket; this covers the whole exchange.
    const timer = setTimeout(() => {
      req.destroy();
      done(`${where}: no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    const finish = (reason: string | undefined): void => {
      clearTimeout(timer);
      done(reason);
    };
    const req = request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => {
        if (body.length < 200) body += part;
      });
      res.on('end', () => finish(res.statusCode === 200 && body.trim() === 'OK' ? undefined : `${where}: GET /_ping answered ${res.statusCode} ${JSON.stringify(body.trim().slice(0, 80))}`));
      res.on('error', (err) => finish(`${where}: ${err.message}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => finish(`${where}: ${err.code ?? err.message}`));
    req.end();
  });
}

/**
 * Why the real-Toxiproxy run is skipped, or undefined when an engine answered. Each endpoint is
 * asked in turn (at most `timeoutMs` each), so a machine without Docker skips at once.
 */
export async function dockerUnavailableReason(options: DockerProbeOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  if (env.PAYCHAOS_SKIP_DOCKER) return 'PAYCHAOS_SKIP_DOCKER is set';
  const endpoints = dockerEndpoints(options);
  if (endpoints.length === 0) {
    return `no Docker engine configured: DOCKER_HOST is unset, ${PROPERTIES} names no docker.host or tc.host, and no Docker socket file exists`;
  }
  const failures: string[] = [];
  for (const endpoint of endpoints) {
    const failure = await pingDocker(endpoint, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (failure === undefined) return undefined;
    failures.push(failure);
  }
  return `no Docker engine answered GET /_ping: ${failures.join('; ')}`;
}
