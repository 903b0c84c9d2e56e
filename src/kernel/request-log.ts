import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from './logger.js';
import { parseTraceparent } from './traceparent.js';

/**
 * The trace id of a request, from its W3C `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`),
 * so a log line (or a ledger entry) can be joined to the span that caused it.
 */
export function traceIdOf(traceparent: string | string[] | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}

const started = new WeakMap<FastifyRequest, number>();

/**
 * Request logging for a fastify server (the simulators, the judge server), through a logger from
 * createLogger so every line is redacted:
 *   debug: one line per answered request (method, path, status, ms, trace id from traceparent);
 *   trace: also the headers as they arrived, the parsed body, and what went out;
 *   warn:  every error the error handler turned into an answer.
 * Paths under `quietPrefix` (control routes the stack polls) log at trace only. Call it before
 * the app listens.
 */
export function logRequests(app: FastifyInstance, logger: Logger, quietPrefix = '/__sim/'): void {
  if (!logger.isLevelEnabled('warn')) return;
  const traceOf = (req: FastifyRequest) => traceIdOf(req.headers.traceparent);
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
    if (req.url.startsWith(quietPrefix)) logger.trace(line, 'control request');
    else logger.debug(line, 'request');
    done();
  });
}
