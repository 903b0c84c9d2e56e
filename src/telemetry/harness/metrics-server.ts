import Fastify from 'fastify';
import { EXPOSITION_CONTENT_TYPE, listenFastify, type Listening, type ListenOptions } from '../../kernel/index.js';
import type { HarnessMetrics } from './harness-metrics.js';

/**
 * The harness's GET /metrics while a run goes on, for a Prometheus to scrape (compose/prometheus*.yml):
 * 127.0.0.1 and a free port unless told otherwise. `url` is the server's base; the metrics are at
 * `${url}/metrics`.
 */
export async function serveHarnessMetrics(harness: HarnessMetrics, options: ListenOptions = {}): Promise<Listening> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => reply.type(EXPOSITION_CONTENT_TYPE).send(await harness.text()));
  return listenFastify(app, { what: 'the harness metrics endpoint', ...options });
}
