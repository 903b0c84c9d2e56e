import { onTestFinished } from 'vitest';
import { createProviderClient, gatewayOptionsOf, parseGatewayConfig, type GatewayConfigDocument, type ProviderClient } from '../../../gateway/index.js';
import { createRouter, routerSettingsOf, type Router, type RoutedResult } from '../../../gateway/resilience/index.js';
import type { StartedProviderStack } from '../../../src/stack/index.js';
import { providerConnections } from '../../../src/run/provider-connections.js';

/**
 * The wiring the gateway's server needs, done here as the server will do it: a validated gateway
 * config → one real client per provider (over the providers' Toxiproxy proxies) → the router.
 *
 *   const config = parseGatewayConfig(document)
 *   clients = createProviderClient(name, connection) for each of gatewayOptionsOf(config).providers
 *   router  = createRouter(routerSettingsOf(config), clients, { observe: chargeObserved })
 *   POST /payments: router.charge({ orderId, amount, currency, paymentMethod, providerKey }, body.provider)
 */
export async function routerFor(stack: StartedProviderStack, document: Omit<GatewayConfigDocument, 'providers'>): Promise<{ router: Router; clients: Map<string, ProviderClient> }> {
  // Through each provider's proxy, with the credentials its simulator lists (as a run's stack wires them).
  const connections = await providerConnections(stack.providers);
  const providers = Object.fromEntries(Object.entries(connections).map(([name, c]) => [name, { ...c, timeoutMs: 5_000 }]));
  const config = parseGatewayConfig({ ...document, providers });
  const clients = new Map<string, ProviderClient>();
  for (const [name, connection] of Object.entries(gatewayOptionsOf(config).providers)) clients.set(name, createProviderClient(name, connection));
  onTestFinished(async () => {
    for (const c of clients.values()) await c.close();
  });
  return { router: createRouter(routerSettingsOf(config), clients), clients };
}

export interface LedgerRow {
  kind: string;
  orderId: string;
  idempotencyKey?: string;
}

/** Captures per order across every provider's ledger, read directly from each simulator (not through its proxy). */
export async function capturesByOrder(stack: StartedProviderStack): Promise<Map<string, Array<{ provider: string; key?: string }>>> {
  const out = new Map<string, Array<{ provider: string; key?: string }>>();
  for (const p of Object.values(stack.providers)) {
    const body = (await (await fetch(`${p.directUrl}/__sim/ledger`)).json()) as { entries: LedgerRow[] };
    for (const e of body.entries) {
      if (e.kind !== 'capture') continue;
      const list = out.get(e.orderId) ?? [];
      list.push({ provider: p.provider, ...(e.idempotencyKey !== undefined ? { key: e.idempotencyKey } : {}) });
      out.set(e.orderId, list);
    }
  }
  return out;
}

/** Replace a simulator's behaviour profile live, as a scenario's provider-behaviour step does. */
export async function setBehaviour(stack: StartedProviderStack, provider: string, profile: unknown): Promise<void> {
  const res = await fetch(`${stack.providers[provider]!.directUrl}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  if (res.status !== 200) throw new Error(`PUT /__sim/behaviour ${res.status}: ${await res.text()}`);
}

let n = 0;
export function cardOrder(tag: string) {
  n++;
  const orderId = `ord_${tag}_${process.pid}_${n}`;
  return { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: `gw-${orderId}` };
}

/** One row per payment the drill made: when it started, where it was answered and how. */
export interface Sample {
  readonly t: number;
  readonly orderId: string;
  readonly result: RoutedResult;
}
