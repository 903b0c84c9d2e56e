import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ERRORS, listenFastify, type ListenOptions, type Listening } from '../../src/kernel/index.js';
import type { Behaviour, GateDecision } from './behaviour.js';
import { parseDisputeRequest, type DisputeOpened, type DisputeRequest } from './disputes.js';
import { maskCardNumbersOnArrival } from './card-numbers.js';
import { parseForm } from './form.js';
import type { Ledger } from './ledger.js';
import type { WebhookDispatcher } from './webhooks.js';

/** One error answer: status, body in the provider's shape, and any headers it adds. */
export interface ErrorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** How a provider shapes an error body: the simulator answers in the provider's own shape. */
export interface ProviderErrorShape {
  notFound(req: FastifyRequest): ErrorResponse;
  malformed(req: FastifyRequest, message: string): ErrorResponse;
  internal(req: FastifyRequest): ErrorResponse;
  /** A maintenance window (503). Defaults to `serverError(req, 503)`. */
  unavailable?(req: FastifyRequest): ErrorResponse;
  /** 429; the factory adds `Retry-After`. */
  rateLimited?(req: FastifyRequest, retryAfterS: number): ErrorResponse;
  /** An injected 5xx of the given status. Defaults to `internal` with that status. */
  serverError?(req: FastifyRequest, status: number): ErrorResponse;
}

export interface SimServerOptions {
  ledger: Ledger;
  errors: ProviderErrorShape;
  /** Registers the provider's own routes. */
  routes(app: FastifyInstance): void;
  /** The live behaviour profile: gates requests and is served at `/__sim/behaviour`. */
  behaviour?: Behaviour;
  /** The ledger as the provider's settlement report (CSV), served at `/__sim/settlement.csv`. */
  settlementCsv?: () => string;
  /**
   * The provider's settlement report with fees, settlement days and settlement faults
   * (settlement-report.ts), served at `/__sim/settlement.csv?version=2[&asOf=ISO time][&pending=true]`:
   * the file as of `asOf` on the provider's clock (default: its now), or with `pending`, the
   * movements not yet due then, in the same format, each at the day it is scheduled for.
   * Version 1 (the default, `settlementCsv`) stays the ledger as listed, without fees or faults.
   */
  settlementReport?: (asOf: number | undefined, pending: boolean) => { csv: string; asOf: number };
  /** Webhook delivery log, served at `/__sim/webhooks`. */
  webhooks?: WebhookDispatcher;
  /**
   * Gate after the body is parsed (`preHandler`) instead of on arrival: for providers whose error
   * envelope depends on the request (Alipay names the method in `alipay_trade_pay_response`).
   */
  gateAfterBody?: boolean;
  /** Opens a dispute on a captured payment (disputes.ts): `POST /__sim/disputes`, for providers that have them. */
  openDispute?: (request: DisputeRequest) => DisputeOpened;
  /** What a merchant configures (test credentials, platform keys), served at `/__sim/keys`. */
  keys?: () => unknown;
  /**
   * Card numbers written into merchant fields are masked on arrival (card-numbers.ts). `keep`:
   * fields the provider refuses a card number in with its own error; `onArrival: false`: the
   * provider masks after verifying a signature over the fields (Alipay's form).
   */
  cardNumbers?: { keep?: readonly string[]; onArrival?: boolean };
}

/**
 * A fastify app with what every simulator shares: form and JSON bodies, the control routes under
 * `/__sim/` (ledger, settlement, behaviour, webhook log), the behaviour gate in front of the
 * provider's routes, and errors in the provider's shape — never a stack trace.
 */
export function buildSimApp(options: SimServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });
  registerControlRoutes(app, options);

  const { behaviour, errors } = options;
  if (behaviour) {
    // Callback style, not async: this runs on every request and a promise per hook shows up under load.
    const gate = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      const decision = req.url.startsWith('/__sim/') ? undefined : behaviour.gate();
      if (decision) send(reply, answerGate(req, decision, errors));
      else done();
    };
    if (options.gateAfterBody) app.addHook('preHandler', gate);
    else app.addHook('onRequest', gate);
  }
  options.routes(app);
  // After the provider's hooks, so a signature over the body is checked on what was sent.
  if (options.cardNumbers?.onArrival !== false) maskCardNumbersOnArrival(app, options.cardNumbers?.keep);
  app.setNotFoundHandler((req, reply) => send(reply, errors.notFound(req)));
  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, errors.malformed(req, err.message ?? 'malformed request'));
    return send(reply, errors.internal(req));
  });
  return app;
}

function registerControlRoutes(app: FastifyInstance, options: SimServerOptions): void {
  const { ledger, behaviour, settlementCsv, settlementReport, webhooks, keys } = options;
  app.get('/__sim/health', async () => ({ ok: true, provider: ledger.provider }));
  if (keys) app.get('/__sim/keys', async () => keys());
  // `?format=ndjson` streams one entry per line, read from the ledger a page at a time: the
  // harness reads ledgers of millions of entries without either side holding them all. The
  // default answer stays the one JSON document existing callers (and WireMock-shaped ledgers) read.
  app.get('/__sim/ledger', async (req, reply) => {
    const format = (req.query as { format?: string }).format ?? 'json';
    if (format === 'json') return ledger.toJSON();
    if (format !== 'ndjson') {
      const code = 'PAYCHAOS_ERR_SIM_BAD_LEDGER_QUERY';
      return reply.code(ERRORS[code].status).send({ error: { code, message: `format: expected json or ndjson, got "${format}"`, hint: ERRORS[code].hint, field: 'format' } });
    }
    return reply.header('content-type', 'application/x-ndjson').send(Readable.from(ndjsonPages(ledger)));
  });
  if (settlementCsv) {
    app.get('/__sim/settlement.csv', async (req, reply) => {
      const query = req.query as { version?: string; asOf?: string; pending?: string };
      const version = query.version ?? '1';
      const bad = (field: string, message: string) => {
        const code = 'PAYCHAOS_ERR_SIM_BAD_SETTLEMENT_QUERY';
        return reply.code(ERRORS[code].status).send({ error: { code, message: `${field}: ${message}`, hint: ERRORS[code].hint, field } });
      };
      if (version !== '1' && !(version === '2' && settlementReport)) return bad('version', `expected ${settlementReport ? '1 or 2' : '1'}, got "${version}"`);
      const asOf = query.asOf === undefined ? undefined : Date.parse(query.asOf);
      if (asOf !== undefined && Number.isNaN(asOf)) return bad('asOf', `expected an ISO-8601 time like 2026-11-13T00:00:00Z, got "${query.asOf}"`);
      if (asOf !== undefined && version !== '2') return bad('asOf', 'only version=2 has a cut-off');
      if (query.pending !== undefined && query.pending !== 'true' && query.pending !== 'false') return bad('pending', `expected true or false, got "${query.pending}"`);
      const pending = query.pending === 'true';
      if (pending && version !== '2') return bad('pending', 'only version=2 has a schedule');
      const csvHeaders = { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${ledger.provider}-settlement${version === '2' ? '-v2' : ''}${pending ? '-pending' : ''}.csv"` };
      if (version === '1') return reply.headers(csvHeaders).send(settlementCsv());
      const report = settlementReport!(asOf, pending);
      // The cut-off on the provider's clock: a reader waiting for a cycle compares it with the days pending.
      return reply.headers(csvHeaders).header('paychaos-settlement-as-of', new Date(report.asOf).toISOString()).send(report.csv);
    });
  }
  const { openDispute } = options;
  if (openDispute) {
    app.post('/__sim/disputes', async (req, reply) => {
      const code = 'PAYCHAOS_ERR_SIM_BAD_DISPUTE';
      const bad = (status: number, field: string, message: string) => reply.code(status).send({ error: { code, message, hint: ERRORS[code].hint, field } });
      const parsed = parseDisputeRequest(req.body);
      if (!parsed.ok) return bad(400, parsed.problems[0]!.path, parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
      const opened = openDispute(parsed.request);
      return opened.ok ? reply.code(201).send(opened.dispute) : bad(opened.status, opened.field, `${opened.field}: ${opened.message}`);
    });
  }
  if (webhooks) app.get('/__sim/webhooks', async () => ({ totals: webhooks.totals(), attempts: webhooks.attempts(), dropped: webhooks.dropped() }));
  if (behaviour) {
    // `fired`: the fault decisions taken so far (Behaviour.fired), so a fault step can say what it did.
    app.get('/__sim/behaviour', async () => ({ profile: behaviour.profile, outcomeCodes: behaviour.outcomeCodes, fired: behaviour.fired() }));
    app.put('/__sim/behaviour', async (req, reply) => {
      const result = behaviour.apply(req.body ?? {});
      if (result.ok) return { profile: result.profile, fired: behaviour.fired() };
      const code = 'PAYCHAOS_ERR_SIM_BAD_PROFILE';
      return reply.code(ERRORS[code].status).send({
        error: { code, message: result.problems.map((p) => `${p.path}: ${p.message}`).join('; '), hint: ERRORS[code].hint, problems: result.problems },
      });
    });
  }
}

/** The ledger as NDJSON, a page of lines per chunk. */
function* ndjsonPages(ledger: Ledger): Generator<string> {
  const size = 1000;
  for (let after = 0; ; after += size) {
    const page = ledger.page(after, size);
    if (page.length > 0) yield page.map((e) => JSON.stringify(e)).join('\n') + '\n';
    if (page.length < size) return;
  }
}

function answerGate(req: FastifyRequest, decision: GateDecision, errors: ProviderErrorShape): ErrorResponse {
  const serverError = (status: number): ErrorResponse => errors.serverError?.(req, status) ?? { ...errors.internal(req), status };
  switch (decision.kind) {
    case 'maintenance':
      return errors.unavailable?.(req) ?? serverError(503);
    case 'rate_limited': {
      const r = errors.rateLimited?.(req, decision.retryAfterS) ?? { status: 429, body: { error: 'rate limited' } };
      return { ...r, headers: { ...r.headers, 'retry-after': String(decision.retryAfterS) } };
    }
    case 'server_error':
      return serverError(decision.status);
  }
}

export function send(reply: FastifyReply, response: ErrorResponse): FastifyReply {
  if (response.headers) reply.headers(response.headers);
  return reply.code(response.status).send(response.body);
}

export async function startSimServer(options: SimServerOptions, listen: ListenOptions = {}): Promise<Listening> {
  return listenFastify(buildSimApp(options), listen);
}
