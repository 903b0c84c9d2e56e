import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listenError, paychaosError, traceIdOf, type Logger } from '../kernel/index.js';
import { ApiError } from './api/api-error.js';
import { listenProblem, TOXIPROXY_VERSION } from './api/proxy-handlers.js';
import type { Reply } from './api/reply.js';
import { matchRoute, type Route } from './api/router.js';
import { ROUTES, type Handler } from './api/routes.js';
import { EXPOSITION_CONTENT_TYPE, ProxyByteCounters, renderFamilies, runtimeFamilies } from './metrics/index.js';
import { errorJson } from './api/serialize.js';
import { ProxyCollection, type ProxyInput } from './proxy-collection.js';
import { newRequestId } from './request-id.js';

export interface ToxiproxyServerOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0 (a free port). `paychaos proxy` passes 8474, Toxiproxy's port. */
  port?: number;
  /** Proxies to create before the API answers, as toxiproxy-server's -config file. */
  proxies?: readonly ProxyInput[];
  /** Told about unexpected failures inside a proxy (never thrown: a proxy must not crash the server). */
  onError?: (err: unknown) => void;
  /** toxiproxy-server -proxy-metrics: GET /metrics serves per-proxy byte counters. */
  proxyMetrics?: boolean;
  /** toxiproxy-server -runtime-metrics: GET /metrics serves go_* and process_* metrics. */
  runtimeMetrics?: boolean;
  /**
   * The kernel's redacting logger: start and stop at info, each API request at debug (method,
   * path, status, ms, trace id), proxy failures at warn.
   */
  logger?: Logger;
}

export interface StartedToxiproxyServer {
  /** The API base URL, e.g. http://127.0.0.1:8474 (no trailing slash, as toxiproxy-node-client wants). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stop the API and every proxy, closing every connection. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Toxiproxy's http.TimeoutHandler: a handler still running after 25 s gets a 503. */
const HANDLER_TIMEOUT_MS = 25_000;
/** Toxiproxy reads bodies without a limit; we stop at 10 MiB rather than buffer without bound. */
const MAX_BODY_BYTES = 10 << 20;

/**
 * Start the embedded Toxiproxy-compatible server: the Toxiproxy 2.12 HTTP API on host:port,
 * and TCP proxies as the API creates them.
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<StartedToxiproxyServer> {
  // The same listen rule as the API and --config: nothing binds every interface unasked.
  options.proxies?.forEach((input, i) => {
    const problem = listenProblem(input.listen, ` at proxy ${i + 1}`);
    if (problem) throw paychaosError('PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN', problem.message, { proxy: input.name, listen: input.listen });
  });
  const counters = options.proxyMetrics ? new ProxyByteCounters() : undefined;
  const log = options.logger;
  const onError = log
    ? (err: unknown) => {
        log.warn({ err }, 'proxy failure');
        options.onError?.(err);
      }
    : options.onError;
  const proxies = new ProxyCollection(onError, counters);
  const routes = metricsRoutes(counters, options.runtimeMetrics === true);
  if (options.proxies?.length) {
    const { error } = await proxies.populate(options.proxies);
    if (error) {
      await proxies.closeAll();
      // The addresses came from the user's config file: a bad one is bad input, not our failure.
      throw paychaosError('PAYCHAOS_ERR_TOXIPROXY_CONFIG_LISTEN', `a proxy of the config could not listen: ${error.message}`, {
        status: error.status,
        proxies: options.proxies.map((p) => ({ name: p.name, listen: p.listen })),
      });
    }
  }
  let lock: Promise<unknown> = Promise.resolve();
  const serialise = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = lock.then(fn, fn);
    lock = next.catch(() => {});
    return next;
  };

  const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 15_000 }, (req, res) => {
    if (log?.isLevelEnabled('debug')) {
      const started = performance.now();
      res.once('finish', () => log.debug({ traceId: traceIdOf(req.headers.traceparent), method: req.method, url: req.url, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request'));
    }
    void handle(req, res, routes, proxies, serialise).catch((err: unknown) => {
      onError?.(err);
      if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: options.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await proxies.closeAll();
    const e = err as NodeJS.ErrnoException;
    const chosen = listenError(err, { what: 'the Toxiproxy API', host, port: options.port ?? 0, hostFlag: '--host', portFlag: '--port' });
    if (chosen) throw chosen;
    throw paychaosError('PAYCHAOS_ERR_TOXIPROXY_LISTEN_FAILED', `the Toxiproxy API could not listen on ${host}:${options.port ?? 0}: ${e.code ?? e.message}`, { host, port: options.port }, { cause: err });
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      // At once, not behind the API lock: closing every connection is what ends a toxic change
      // waiting on a link (reset_peer's wait). Then let the changes under way finish: closeAll
      // makes any start among them undo itself, and refuses later ones, so no listener survives.
      await proxies.closeAll();
      await serialise(async () => {});
      await closed;
      if (log) {
        log.info('toxiproxy API closed');
        await new Promise<void>((resolve) => log.flush(() => resolve()));
      }
    })();
    return closing;
  };
  log?.info({ url: `http://${urlHost}:${address.port}`, proxies: options.proxies?.length ?? 0 }, 'toxiproxy API listening');
  return { url: `http://${urlHost}:${address.port}`, host: address.address, port: address.port, close, [Symbol.asyncDispose]: close };
}

/**
 * Toxiproxy registers GET /metrics only when a metrics flag is on; without one the path is an
 * unknown route (404 page not found), and so it is here.
 */
function metricsRoutes(counters: ProxyByteCounters | undefined, runtime: boolean): readonly Route<Handler>[] {
  if (!counters && !runtime) return ROUTES;
  const render = (): Reply => ({
    status: 200,
    json: renderFamilies([...(counters?.families() ?? []), ...(runtime ? runtimeFamilies(`v${TOXIPROXY_VERSION}`) : [])]),
    contentType: EXPOSITION_CONTENT_TYPE,
  });
  return [...ROUTES, { pattern: ['metrics'], methods: { GET: { mutates: false, run: render } } }];
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly Route<Handler>[],
  proxies: ProxyCollection,
  serialise: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<void> {
  // Middleware order as in Toxiproxy: request id, then the browser block, then the router.
  res.setHeader('X-Toxiproxy-Request-Id', newRequestId());
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    // Browsers are refused so a web page cannot drive the proxy (DNS rebinding, CSRF).
    req.resume();
    return sendText(res, 403, 'User agent not allowed\n');
  }
  const match = matchRoute(routes, req.method ?? 'GET', req.url ?? '/');
  if (match.kind !== 'handler') {
    req.resume();
    switch (match.kind) {
      case 'redirect':
        res.setHeader('Location', match.location);
        return sendEmpty(res, 301);
      case 'bad-request':
        return sendText(res, 400, '400 Bad Request');
      case 'not-found':
        return sendText(res, 404, '404 page not found\n');
      case 'method-not-allowed':
        return sendEmpty(res, 405);
    }
  }
  const body = await readBody(req);
  if (body === undefined) return sendError(res, 400, 'bad request body: http: request body too large');
  const run = async (): Promise<Reply> => match.handler.run({ proxies, params: match.params, body });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), HANDLER_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const reply = await Promise.race([match.handler.mutates ? serialise(run) : run(), timedOut]);
    if (reply === 'timeout') return sendEmpty(res, 503);
    sendReply(res, reply);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    sendError(res, err.status, err.message, err.code);
  } finally {
    clearTimeout(timer);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size <= MAX_BODY_BYTES) parts.push(part);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function sendReply(res: ServerResponse, reply: Reply): void {
  if (!('json' in reply)) return sendEmpty(res, reply.status);
  const body = Buffer.from(reply.json);
  res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': body.length });
  res.end(body);
}

/** Go's http.Error: the JSON error body goes out as text/plain with nosniff, plus a newline. */
function sendError(res: ServerResponse, status: number, message: string, code?: string): void {
  sendText(res, status, `${errorJson(message, status, code)}\n`);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': body.length });
  res.end(body);
}

function sendEmpty(res: ServerResponse, status: number): void {
  if (status === 204) res.writeHead(204);
  else res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}
