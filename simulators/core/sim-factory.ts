import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { createLogger, listenFastify, randomSeed, scaledClock, systemClock, type Clock, type ListenOptions, type Listening, type Logger } from '../../src/kernel/index.js';
import { traceIdOf } from './trace.js';

/**
 * One start-up for every simulator (issue #10 item 5): what each `server.ts` used to wire by
 * hand. A provider supplies `build(options) → { app, … }` (its routes on `buildSimApp`, for
 * `inject()` tests); the factory adds the rest:
 *
 *   options ─► seed (random when absent, so it can be printed), clock (clockScale → scaledClock)
 *          ─► build ─► logger (redacting, runId + provider + trace id) and request logging
 *          ─► listen (127.0.0.1, port 0) ─► afterListen (e.g. PayPal's links need the URL)
 *          ─► { url, close, …what build returned but the app }
 */
export interface SimLogOptions {
  /** A pino level; default PAYCHAOS_LOG_LEVEL, else `info` when a file or level is given. */
  level?: string;
  /** Bound on every line, so a run's logs can be joined. */
  runId?: string;
  /** NDJSON goes to this file (the stack puts it in the run's output directory); else stderr. */
  file?: string;
}

export interface SimStartOptions extends ListenOptions {
  seed?: number;
  /** Simulated time per real time for webhook ladders (60: a minute per second); ignored when `clock` is given. */
  clockScale?: number;
  clock?: Clock;
  /**
   * Logging. Absent, a simulator started from code logs only when PAYCHAOS_LOG_LEVEL is set: a
   * library used in tests stays quiet unless asked.
   */
  log?: SimLogOptions;
}

export interface SimDefinition<O, B extends { app: FastifyInstance }> {
  /** `stripe`, `adyen` … (the provider descriptor's name). */
  readonly provider: string;
  build(options: O & { seed: number; clock: Clock }): B;
  /** Runs once the app listens, with its URL. */
  afterListen?(built: B, url: string): void;
}

export type StartedSim<B> = Listening & Omit<B, 'app'> & { readonly logger: Logger };

/** A `start<P>Sim(options)` for one provider. */
export function simulatorStarter<O extends object, B extends { app: FastifyInstance }>(definition: SimDefinition<O, B>): (options?: O & SimStartOptions) => Promise<StartedSim<B>> {
  return async (options = {} as O & SimStartOptions) => {
    const seed = options.seed ?? randomSeed();
    const clock = options.clock ?? (options.clockScale && options.clockScale !== 1 ? scaledClock(options.clockScale) : systemClock);
    const { logger, closeLog } = simLogger(definition.provider, options.log);
    const built = definition.build({ ...options, seed, clock });
    logRequests(built.app, logger);
    let listening: Listening;
    try {
      listening = await listenFastify(built.app, { what: `the ${definition.provider} simulator`, ...options });
    } catch (err) {
      await closeLog();
      throw err;
    }
    definition.afterListen?.(built, listening.url);
    logger.info({ url: listening.url, seed }, 'simulator listening');
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await listening.close();
        logger.info('simulator closed');
        await closeLog();
      })());
    const { app: _app, ...rest } = built;
    return { ...rest, url: listening.url, host: listening.host, port: listening.port, logger, close, [Symbol.asyncDispose]: close };
  };
}

function simLogger(provider: string, log: SimLogOptions | undefined): { logger: Logger; closeLog: () => Promise<void> } {
  const level = log?.level ?? process.env.PAYCHAOS_LOG_LEVEL ?? (log ? 'info' : 'silent');
  const bindings = { service: 'paychaos-sim', provider, ...(log?.runId !== undefined ? { runId: log.runId } : {}) };
  if (!log?.file) {
    const logger = createLogger({ level, bindings });
    return { logger, closeLog: () => new Promise<void>((resolve) => logger.flush(() => resolve())) };
  }
  const destination = pino.destination({ dest: log.file, mkdir: true, sync: false });
  const logger = createLogger({ level, bindings, destination });
  return {
    logger,
    // Every buffered line reaches the file before close() resolves (the run scans it next).
    closeLog: () =>
      new Promise<void>((resolve) => {
        destination.once('close', () => resolve());
        destination.once('error', () => resolve());
        destination.end();
      }),
  };
}

const started = new WeakMap<FastifyRequest, number>();

/**
 * debug: one line per answered request (method, path, status, ms, trace id from traceparent);
 * trace: also what came in and what went out — through the redacting logger, like every line.
 * warn: every error the provider's error handler turned into an answer. Control routes
 * (`/__sim/…`) log at trace only: the stack polls them.
 */
function logRequests(app: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('warn')) return;
  const traceOf = (req: FastifyRequest) => traceIdOf(req.headers);
  app.addHook('onError', (req, _reply, err, done) => {
    logger.warn({ traceId: traceOf(req), method: req.method, url: req.url, err }, 'request failed');
    done();
  });
  if (!logger.isLevelEnabled('debug')) return;
  const tracing = logger.isLevelEnabled('trace');
  app.addHook('onRequest', (req, _reply, done) => {
    started.set(req, performance.now());
    // Headers as they arrived: an auth hook may answer before any body is read.
    if (tracing) logger.trace({ traceId: traceOf(req), method: req.method, url: req.url, headers: req.headers }, 'request received');
    done();
  });
  if (tracing) {
    app.addHook('preHandler', (req, _reply, done) => {
      logger.trace({ traceId: traceOf(req), body: req.body }, 'request body');
      done();
    });
    app.addHook('onSend', (req, reply, payload, done) => {
      logger.trace({ traceId: traceOf(req), status: reply.statusCode, headers: reply.getHeaders(), body: typeof payload === 'string' ? payload : undefined }, 'response');
      done(null, payload);
    });
  }
  app.addHook('onResponse', (req, reply, done) => {
    const line = { traceId: traceOf(req), method: req.method, url: req.url, status: reply.statusCode, ms: Math.round((performance.now() - (started.get(req) ?? performance.now())) * 10) / 10 };
    if (req.url.startsWith('/__sim/')) logger.trace(line, 'control request');
    else logger.debug(line, 'request');
    done();
  });
}
