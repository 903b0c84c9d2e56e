import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one variant did, as Prometheus would have it after increase(…[window]). */
export interface FakeVariantSeries {
  succeeded: number;
  /** Failed requests by payment_error_code. */
  failedByCode: Record<string, number>;
  /** Cumulative payment_duration_seconds buckets: le (seconds, or '+Inf') → count. */
  buckets: Record<string, number>;
}

export interface FakePrometheus {
  readonly url: string;
  /** Every query received, in order. */
  readonly queries: string[];
  close(): Promise<void>;
}

/**
 * A small stand-in for Prometheus' HTTP API (GET /api/v1/query) answering the judge's default
 * queries from per-variant data, in the API's real JSON shapes: `{status, data: {resultType:
 * "vector", result: [{metric, value: [t, "v"]}]}}`, and `{status: "error", errorType:
 * "bad_data", error}` with HTTP 400 for a query it cannot parse — as Prometheus does.
 */
export async function startFakePrometheus(variants: Record<string, FakeVariantSeries>): Promise<FakePrometheus> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/api/v1/query') return send(404, { status: 'error', errorType: 'not_found', error: 'not found' });
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    const t = Number(url.searchParams.get('time') ?? Date.now() / 1000);
    const vector = (result: Array<{ metric: Record<string, string>; v: number }>) =>
      send(200, { status: 'success', data: { resultType: 'vector', result: result.map((r) => ({ metric: r.metric, value: [t, String(r.v)] })) } });

    const variant = /paychaos_variant="([^"]*)"/.exec(query)?.[1];
    const window = /\[(\w+)\]/.exec(query)?.[1];
    if (!variant || !window || !/^sum/.test(query)) {
      return send(400, { status: 'error', errorType: 'bad_data', error: `1:1: parse error: unexpected input in ${JSON.stringify(query)}` });
    }
    const v = variants[variant];
    if (query.includes('payment_duration_seconds_bucket')) {
      return vector(v ? Object.entries(v.buckets).map(([le, count]) => ({ metric: { le }, v: count })) : []);
    }
    if (query.includes('payment_requests_total')) {
      if (!v) return vector([]);
      const failed = Object.values(v.failedByCode).reduce((a, b) => a + b, 0);
      if (query.includes('by (payment_error_code)')) {
        return vector(Object.entries(v.failedByCode).map(([code, n]) => ({ metric: { payment_error_code: code }, v: n })));
      }
      // increase() extrapolates, so real answers are fractional; make ours so too.
      if (query.includes('payment_outcome="failed"')) return vector(failed === 0 ? [] : [{ metric: {}, v: failed + 0.3 }]);
      return vector([{ metric: {}, v: v.succeeded + failed - 0.2 }]);
    }
    return vector([]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cumulative buckets for `n` requests whose latencies are spread by `spread(i/n)` seconds. */
export function bucketsOf(n: number, latencySeconds: (q: number) => number): Record<string, number> {
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5];
  const out: Record<string, number> = {};
  for (const b of bounds) {
    let c = 0;
    for (let i = 0; i < n; i++) if (latencySeconds((i + 0.5) / n) <= b) c++;
    out[String(b)] = c;
  }
  out['+Inf'] = n;
  return out;
}
