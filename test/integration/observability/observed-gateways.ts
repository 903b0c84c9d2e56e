import { gatewayOptionsOf, parseGatewayConfig, startGateway, type StartedGateway } from '../../../gateway/index.js';
import { providerConnections } from '../../../src/run/provider-connections.js';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';

/**
 * What the dashboards are tested against: the reference gateway as `baseline` and `canary`, each
 * listening on 127.0.0.1, routing cards stripe → adyen over the real simulators behind the
 * embedded proxy. `drive` makes a fixed, small mix of payments so every panel has something to
 * show: successes at both, card declines at both, and (canary only) failovers to Adyen while
 * Stripe's proxy is down.
 */
export interface ObservedGateways {
  readonly stack: StartedProviderStack;
  /** The embedded proxy with -proxy-metrics on, so its byte counters can be scraped too. */
  readonly proxy: StartedToxiproxyServer;
  readonly gateways: { readonly baseline: StartedGateway; readonly canary: StartedGateway };
  close(): Promise<void>;
}

export interface Traffic {
  /** Payments answered, by variant and status, as the client saw them. */
  readonly answered: Record<'baseline' | 'canary', Record<string, number>>;
  /** Canary payments answered with failover: true. */
  readonly failovers: number;
}

const ROUTES = { 'pm_card_*': ['stripe', 'adyen'] };

/** The run both gateways (and the test's harness metrics) label their series with, as a run's stack would. */
export const OBSERVED_RUN = { scenario: 'dashboards-check', runId: 'run-dashboards-1' } as const;

/** What a drill changes: the run the gateways label their series with, and their breakers. */
export interface ObservedOptions {
  readonly run?: { readonly scenario: string; readonly runId: string };
  readonly breaker?: { readonly failureThreshold: number; readonly halfOpenAfterMs: number };
}

export async function startObservedGateways(options: ObservedOptions = {}): Promise<ObservedGateways> {
  const run = options.run ?? OBSERVED_RUN;
  // Default: a breaker that never opens: each payment during the outage is refused at Stripe and moves on.
  const breaker = options.breaker ?? { failureThreshold: 1000 };
  const proxy = await startToxiproxyServer({ proxyMetrics: true });
  let stack: StartedProviderStack;
  try {
    stack = await startProviderStack({ providers: ['stripe', 'adyen'], seed: 1313, toxiproxyUrl: proxy.url });
  } catch (err) {
    await proxy.close();
    throw err;
  }
  const started: StartedGateway[] = [];
  try {
    const connections = await providerConnections(stack.providers);
    const providers = Object.fromEntries(Object.entries(connections).map(([name, c]) => [name, { ...c, timeoutMs: 5_000 }]));
    const gateway = async (variant: 'baseline' | 'canary'): Promise<StartedGateway> => {
      const config = parseGatewayConfig({ providers, variant, ...run, version: variant === 'canary' ? '2.0.0' : '1.0.0', routes: ROUTES, breaker, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      const gw = await startGateway({ ...gatewayOptionsOf(config), recovery: { intervalMs: 3_600_000 } });
      started.push(gw);
      return gw;
    };
    const baseline = await gateway('baseline');
    const canary = await gateway('canary');
    return {
      stack,
      proxy,
      gateways: { baseline, canary },
      close: async () => {
        for (const gw of started) await gw.close();
        await stack.close();
        await proxy.close();
      },
    };
  } catch (err) {
    for (const gw of started) await gw.close();
    await stack.close();
    await proxy.close();
    throw err;
  }
}

let n = 0;
/** One card payment, and what its answer said: status, the provider that answered, and any failover. */
export async function pay(gw: StartedGateway): Promise<{ status: string; httpStatus: number; orderId: string; provider?: string; failover: boolean; failoverFrom?: string }> {
  n++;
  const orderId = `obs_${process.pid}_${n}`;
  const res = await fetch(`${gw.url}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `key-${orderId}` },
    body: JSON.stringify({ orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa' }),
  });
  const body = (await res.json()) as { status?: string; provider?: string; failover?: boolean; failoverFrom?: string };
  return { status: body.status ?? `http_${res.status}`, httpStatus: res.status, orderId, failover: body.failover === true, ...(body.provider !== undefined ? { provider: body.provider } : {}), ...(body.failoverFrom !== undefined ? { failoverFrom: body.failoverFrom } : {}) };
}

async function setStripe(stack: StartedProviderStack, profile: unknown): Promise<void> {
  const res = await fetch(`${stack.providers.stripe!.directUrl}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  if (res.status !== 200) throw new Error(`PUT /__sim/behaviour ${res.status}: ${await res.text()}`);
}

/**
 * Bounded: per variant `4 × scale` successes and `scale` card declines, then `scale` canary
 * payments during a Stripe outage (each refused twice at Stripe, then answered by Adyen).
 */
export async function drive(observed: ObservedGateways, scale = 6): Promise<Traffic> {
  const answered: Traffic['answered'] = { baseline: {}, canary: {} };
  let failovers = 0;
  const count = async (variant: 'baseline' | 'canary'): Promise<void> => {
    const r = await pay(observed.gateways[variant]);
    answered[variant][r.status] = (answered[variant][r.status] ?? 0) + 1;
    if (r.failover) failovers++;
  };
  for (let i = 0; i < 4 * scale; i++) for (const v of ['baseline', 'canary'] as const) await count(v);
  await setStripe(observed.stack, { outcomes: { card_declined: 1 } });
  try {
    for (let i = 0; i < scale; i++) for (const v of ['baseline', 'canary'] as const) await count(v);
  } finally {
    await setStripe(observed.stack, {});
  }
  const fault = await observed.stack.chaos.applyFault({ type: 'down', target: observed.stack.providers.stripe!.proxy });
  try {
    for (let i = 0; i < scale; i++) await count('canary');
  } finally {
    await fault.remove();
  }
  return { answered, failovers };
}
