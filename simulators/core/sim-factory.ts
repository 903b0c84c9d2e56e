import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createLogger, listenFastify, logRequests, randomSeed, scaledClock, systemClock, type Clock, type ListenOptions, type Listening, type Logger } from '../../src/kernel/index.js';

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
    const close = closeOnceLogged(() => listening.close(), logger, 'simulator closed', closeLog);
    const { app: _app, ...rest } = built;
    return { ...rest, url: listening.url, host: listening.host, port: listening.port, logger, close, [Symbol.asyncDispose]: close };
  };
}

/**
 * A simulator's close, once however often it is called: the server first, then a line saying so,
 * then the log flushed — so the last line reaches its file before the process may exit.
 */
export function closeOnceLogged(closeServer: () => Promise<void>, logger: Logger, line: string, closeLog: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      await closeServer();
      logger.info(line);
      await closeLog();
    })());
}

/** The redacting logger of one simulator (or the WireMock wrapper), and how to flush and close it. */
export function simLogger(provider: string, log: SimLogOptions | undefined): { logger: Logger; closeLog: () => Promise<void> } {
  const level = log?.level ?? process.env.PAYCHAOS_LOG_LEVEL ?? (log ? 'info' : 'silent');
  const bindings = { service: 'paychaos-sim', provider, ...(log?.runId !== undefined ? { runId: log.runId } : {}) };
  if (!log?.file) {
    // A silent simulator (tests start hundreds) opens no stream at all.
    const logger = createLogger({ level, bindings, ...(level === 'silent' ? { destination: { write: () => {} } } : {}) });
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
