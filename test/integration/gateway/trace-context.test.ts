import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { gatewayOptionsOf, parseGatewayConfig, startGateway } from '../../../gateway/index.js';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { parseTraceparent } from '../../../src/kernel/index.js';
import { HttpTarget, planShopper, playShopper, trafficConfig } from '../../../src/load/index.js';
import { providerConnections } from '../../../src/run/provider-connections.js';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { startReceiver } from '../simulators/receiver.js';
import { setBehaviour } from './resilience-helpers.js';

/**
 * One shopper's trace, followed from the load driver to the providers and back: the built-in
 * driver's playShopper sends its W3C traceparent, the reference gateway continues it, every
 * provider attempt (retries and the failover to the backup included) carries it to the real
 * Stripe and Adyen simulators behind the embedded proxy, whose ledgers keep the trace id, and
 * whose webhooks bring it back to a receiver. An in-memory OpenTelemetry SDK (no context manager:
 * the gateway must carry the context itself) shows the span tree: the server span's parent is
 * the driver's request span, each provider request's parent is its attempt's client span.
 *
 * The negative control puts a connection test double between the gateway and Stripe — a
 * forwarding proxy that strips `traceparent` — and shows the same ledger check then fails: the
 * trace id in the ledger comes from that header and nothing else.
 */
const ONLY = (b: string) => ({ pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, [b]: 1 });

interface Seen {
  readonly path: string;
  readonly traceparent: string | undefined;
}

/** A forwarding proxy on 127.0.0.1:0 recording each request's traceparent; `strip` drops the header before forwarding. */
async function connectionDouble(upstream: string, options: { strip: boolean }) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: IncomingHttpHeaders = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      delete headers['content-length'];
      seen.push({ path: req.url ?? '', traceparent: typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined });
      if (options.strip) delete headers.traceparent;
      request(`${upstream}${req.url}`, { method: req.method as 'POST', headers: headers as Record<string, string>, body: chunks.length > 0 ? Buffer.concat(chunks) : null })
        .then(async (up) => {
          const body = Buffer.from(await up.body.arrayBuffer());
          res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') }).end(body);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('trace context from the driver through the gateway to the providers and back', () => {
  let stack: StartedProviderStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });

  beforeAll(async () => {
    trace.setGlobalTracerProvider(provider);
    stack = await startProviderStack({ providers: ['stripe', 'adyen'], seed: 13 });
    receiver = await startReceiver(() => ({ status: 200, body: '[accepted]' }));
    for (const p of ['stripe', 'adyen']) await setBehaviour(stack, p, { webhooks: { url: receiver.url } });
  }, 60_000);
  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
    await provider.shutdown();
    trace.disable();
  });

  /** A gateway routing cards stripe → adyen, Stripe reached at `stripeUrl` (default its proxy). */
  async function gateway(stripeUrl?: string) {
    const connections = await providerConnections(stack.providers);
    if (stripeUrl) connections.stripe = { ...connections.stripe!, url: stripeUrl };
    const config = parseGatewayConfig({ providers: connections, routes: { 'pm_card_*': ['stripe', 'adyen'] }, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    const gw = await startGateway(gatewayOptionsOf(config));
    const target = new HttpTarget(gw.url);
    onTestFinished(async () => {
      await target.close();
      await gw.close();
    });
    return target;
  }

  /** Play `shoppers` shoppers of one behaviour through the real driver; their events. */
  async function play(target: HttpTarget, behaviour: string, runId: string, shoppers = 1): Promise<PaymentEvent[]> {
    const config = trafficConfig({ runId, seed: 5, behaviours: ONLY(behaviour), duplicateAfter: { minMs: 10, maxMs: 30 }, mix: [{ provider: 'stripe', method: 'card', weight: 1, paymentMethods: [['pm_card_visa', 1]], currencies: [['eur', 1]], amount: { min: 100, max: 1000 } }] });
    const events: PaymentEvent[] = [];
    const t0 = performance.now();
    await Promise.all(Array.from({ length: shoppers }, (_, index) => playShopper(planShopper({ index }, config), performance.now(), { targets: { baseline: target }, t0, cut: new AbortController().signal, record: (e) => events.push(e), aborted: () => {} })));
    return events;
  }

  /** The trace ids a provider's ledger holds for an order (read past the proxy). */
  async function ledgerTraceIds(name: string, orderId: string): Promise<Array<string | undefined>> {
    const body = (await (await fetch(`${stack.providers[name]!.directUrl}/__sim/ledger`)).json()) as { entries: Array<{ orderId: string; traceId?: string }> };
    return body.entries.filter((e) => e.orderId === orderId).map((e) => e.traceId);
  }

  /** The check under test: the provider's ledger rows for the order exist and all carry the driver's trace id. */
  async function expectTraced(name: string, orderId: string, traceId: string): Promise<void> {
    const ids = await ledgerTraceIds(name, orderId);
    expect(ids.length, `${name} has no ledger row for ${orderId}`).toBeGreaterThan(0);
    expect(ids, `${name} ledger rows of ${orderId}`).toEqual(ids.map(() => traceId));
  }

  /** The webhook the simulator sent for the order, once it arrives: its traceparent's trace id. */
  async function webhookTraceId(orderId: string): Promise<string | undefined> {
    const hook = await receiver.waitForOne((r) => r.body.includes(orderId));
    return parseTraceparent(hook.headers.traceparent)?.traceId;
  }

  const spans = () => exporter.getFinishedSpans();

  it('keeps one shopper in one trace: every request its own span, the gateway under it, the provider under each attempt, the webhook back in it', async () => {
    exporter.reset();
    const double = await connectionDouble(stack.providers.stripe!.url, { strip: false });
    const target = await gateway(double.url);
    const events = await play(target, 'duplicate_submit', 'trace-dup');
    expect(events).toHaveLength(2);
    const traceId = events[0]!.traceId!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(events[1]!.traceId).toBe(traceId);
    const orderId = events[0]!.orderId;

    // The gateway's server spans: one per driver request, each under a different driver span.
    const servers = spans().filter((s) => s.name === 'payment');
    expect(servers).toHaveLength(2);
    for (const s of servers) expect(s.spanContext().traceId).toBe(traceId);
    const driverSpans = servers.map((s) => s.parentSpanContext?.spanId);
    expect(driverSpans.every((id) => id !== undefined && /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(new Set(driverSpans).size).toBe(2);

    // What Stripe was sent: traceparent in the shopper's trace, parent = the attempt's client span.
    const attempts = spans().filter((s) => s.name === 'provider.charge');
    expect(attempts.length).toBeGreaterThan(0);
    const attemptIds = new Set(attempts.map((s) => s.spanContext().spanId));
    for (const a of attempts) expect(servers.map((s) => s.spanContext().spanId)).toContain(a.parentSpanContext?.spanId);
    expect(double.seen.length).toBeGreaterThan(0);
    for (const s of double.seen) {
      const p = parseTraceparent(s.traceparent);
      expect(p?.traceId, `${s.path} without the shopper's trace`).toBe(traceId);
      expect(attemptIds.has(p!.spanId), `${s.path}'s parent is not an attempt span`).toBe(true);
    }

    await expectTraced('stripe', orderId, traceId);
    expect(await webhookTraceId(orderId)).toBe(traceId);

    // Delivered to the gateway as Stripe sent it, the notification is handled in the same trace:
    // a server span whose parent is the delivery's own span.
    const hook = await receiver.waitForOne((r) => r.body.includes(orderId));
    const sent = parseTraceparent(hook.headers.traceparent)!;
    const headers = Object.fromEntries(Object.entries(hook.headers).filter(([k]) => ['content-type', 'stripe-signature', 'traceparent'].includes(k))) as Record<string, string>;
    await fetch(`${target.url}/webhooks/stripe`, { method: 'POST', headers, body: hook.body });
    const handled = spans().filter((s) => s.name === 'webhook');
    expect(handled.map((s) => [s.spanContext().traceId, s.parentSpanContext?.spanId])).toEqual([[traceId, sent.spanId]]);
  });

  it('carries the trace through retries and the failover to the backup provider, and back in the backup\'s webhook', async () => {
    exporter.reset();
    const target = await gateway();
    const down = await stack.chaos.applyFault({ type: 'down', target: stack.providers.stripe!.proxy });
    let events: PaymentEvent[];
    try {
      events = await play(target, 'pay', 'trace-failover');
    } finally {
      await down.remove();
    }
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.outcome).toBe('succeeded');
    expect(e.provider).toBe('adyen');
    expect(e.failoverFrom).toBe('stripe');
    const traceId = e.traceId!;

    // Every attempt — Stripe's refused ones and Adyen's — a client span in the shopper's trace.
    const attempts = spans().filter((s) => s.name === 'provider.charge');
    const byProvider = (p: string) => attempts.filter((s) => s.attributes['payment.provider'] === p);
    expect(byProvider('stripe').length).toBeGreaterThanOrEqual(1);
    expect(byProvider('adyen')).toHaveLength(1);
    for (const a of attempts) expect(a.spanContext().traceId).toBe(traceId);

    expect(await ledgerTraceIds('stripe', e.orderId)).toEqual([]);
    await expectTraced('adyen', e.orderId, traceId);
    expect(await webhookTraceId(e.orderId)).toBe(traceId);
  });

  it('negative control: a connection that drops traceparent leaves the ledger without the trace, and the same check fails', async () => {
    const double = await connectionDouble(stack.providers.stripe!.url, { strip: true });
    const target = await gateway(double.url);
    const [e] = await play(target, 'pay', 'trace-stripped');
    // The gateway did send it; the double removed it on the way.
    expect(parseTraceparent(double.seen[0]?.traceparent)?.traceId).toBe(e!.traceId);
    expect(await ledgerTraceIds('stripe', e!.orderId)).not.toContain(e!.traceId);
    await expect(expectTraced('stripe', e!.orderId, e!.traceId!)).rejects.toThrow();
  });
});
