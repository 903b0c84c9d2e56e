import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { isPaychaosError, paychaosError, listenFastify, logRequests, type Listening, type ListenOptions, type Logger } from '../../kernel/index.js';
import { type JudgeConfig, judge, verdictExitCode, isPrometheusDuration, renderPrometheus, type JudgeReport } from '../../analysis/index.js';
import type { JudgeRequest, JudgeSource } from '../sources/judge-source.js';

export interface JudgeServerOptions {
  readonly config: JudgeConfig;
  readonly source: JudgeSource;
  /** Constant labels on every exported series (e.g. the rollout's name). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The kernel's redacting logger: requests at debug, failed judgements at warn, verdicts at info. */
  readonly logger?: Logger;
}

/**
 * The judge over HTTP:
 *
 *   GET|POST /judge     200 + the report (Argo Rollouts `web` provider: jsonPath "{$.verdict}")
 *   POST     /flagger   Flagger webhook: 200 on pass, 412 + the report otherwise (non-2xx halts)
 *   GET      /metrics   the last judgement as Prometheus text, for Grafana
 *   GET      /healthz
 *
 * Per-request parameters (query string, JSON body, or Flagger's `metadata`): window, baseline,
 * canary. A judgement that could not be made (Prometheus down, bad PromQL, a canary that would
 * be judged against itself) answers with the coded error and its HTTP status (400, 502) —
 * never a verdict.
 */
export function buildJudgeApp(options: JudgeServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  let last: JudgeReport | undefined;
  const counts = { pass: 0, marginal: 0, fail: 0, inconclusive: 0 };

  const run = async (req: JudgeRequest): Promise<JudgeReport> => {
    const report = judge(options.config, await options.source(options.config, req));
    last = report;
    counts[report.verdict]++;
    options.logger?.info({ verdict: report.verdict, window: req.window }, 'judgement');
    return report;
  };

  if (options.logger) logRequests(app, options.logger, '/healthz');
  app.setErrorHandler((err, _req, reply) => sendError(reply, err));

  app.get('/healthz', async () => ({ ok: true }));

  const judgeHandler = async (params: unknown): Promise<Record<string, unknown>> => {
    const report = await run(judgeRequest(params));
    return { ...report, pass: report.verdict === 'pass', exitCode: verdictExitCode(report.verdict) };
  };
  app.get('/judge', async (req) => judgeHandler(req.query));
  app.post('/judge', async (req) => judgeHandler({ ...(req.query as object), ...(isObject(req.body) ? req.body : {}) }));

  app.post('/flagger', async (req, reply) => {
    // Flagger sends {name, namespace, phase, checksum, metadata: {…}}; our parameters ride in metadata.
    const body = isObject(req.body) ? req.body : {};
    const metadata = isObject(body.metadata) ? body.metadata : {};
    const report = await run(judgeRequest({ ...(req.query as object), ...metadata }));
    const rollout = typeof body.name === 'string' ? `${String(body.namespace ?? 'default')}/${body.name}` : undefined;
    return reply.code(report.verdict === 'pass' ? 200 : 412).send({ ...report, pass: report.verdict === 'pass', ...(rollout ? { rollout } : {}) });
  });

  app.get('/metrics', async (_req, reply) => {
    const lines = ['# HELP paychaos_canary_judgements_total Judgements made since start, by verdict.', '# TYPE paychaos_canary_judgements_total counter'];
    for (const [verdict, n] of Object.entries(counts)) lines.push(`paychaos_canary_judgements_total{verdict="${verdict}"} ${n}`);
    const body = `${lines.join('\n')}\n${last ? renderPrometheus(last, options.labels) : ''}`;
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(body);
  });

  return app;
}

/** Build and listen (127.0.0.1:0 unless told otherwise); returns `{ url, close }`. */
export async function startJudgeServer(options: JudgeServerOptions & ListenOptions): Promise<Listening> {
  const app = buildJudgeApp(options);
  const listening = await listenFastify(app, { ...(options.host ? { host: options.host } : {}), ...(options.port !== undefined ? { port: options.port } : {}) });
  const log = options.logger;
  if (!log) return listening;
  log.info({ url: listening.url }, 'judge server listening');
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await listening.close();
      log.info('judge server closed');
      await new Promise<void>((resolve) => log.flush(() => resolve()));
    })());
  return { ...listening, close, [Symbol.asyncDispose]: close };
}

const PARAMS = new Set(['window', 'baseline', 'canary']);

/** Validate per-request parameters; unknown ones are rejected, like every other input. */
export function judgeRequest(params: unknown): JudgeRequest {
  const p = isObject(params) ? params : {};
  const problems: string[] = [];
  for (const key of Object.keys(p)) if (!PARAMS.has(key)) problems.push(`${key}: unknown parameter (expected window, baseline, canary)`);
  const out: { window?: string; baseline?: string; canary?: string } = {};
  for (const key of PARAMS) {
    const v = p[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0) problems.push(`${key}: expected a non-empty string`);
    else if (key === 'window' && !isPrometheusDuration(v)) problems.push(`window: expected a Prometheus duration like 10m, got "${v}"`);
    else out[key as keyof JudgeRequest] = v;
  }
  // Label values are escaped where queries are built (promql.ts); only sameness is refused here.
  // One side given and equal to the config's other is caught by the Prometheus source.
  if (out.baseline !== undefined && out.baseline === out.canary) {
    problems.push(`baseline, canary: both are "${out.baseline}"; a canary judged against itself always passes`);
  }
  if (problems.length > 0) throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_REQUEST', `bad judge request:\n  ${problems.join('\n  ')}`, { problems });
  return out;
}

function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (isPaychaosError(err)) return reply.code(err.status ?? (err.exitCode === 2 ? 400 : 500)).send({ error: err.toJSON() });
  const e = err as { statusCode?: number; message?: string };
  // Fastify's own errors (malformed JSON body, …) carry a 4xx statusCode.
  if (typeof e.statusCode === 'number' && e.statusCode < 500) return reply.code(e.statusCode).send({ error: { code: 'PAYCHAOS_ERR_JUDGE_BAD_REQUEST', message: e.message } });
  const internal = paychaosError('PAYCHAOS_ERR_HARNESS_BUG', e.message ?? String(err));
  return reply.code(500).send({ error: internal.toJSON() });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
