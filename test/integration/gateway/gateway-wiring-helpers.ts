import { onTestFinished } from 'vitest';
import { buildGateway, gatewayOptionsOf, parseGatewayConfig, type BuiltGateway, type GatewayConfigDocument, type GatewayOptions } from '../../../gateway/index.js';
import type { StartedProviderStack } from '../../../src/stack/index.js';
import { providerConnections } from '../../../src/run/provider-connections.js';

/**
 * A whole gateway as `paychaos gateway` builds it — a validated config (routes, breakers,
 * retries, shedding, regressions) through gatewayOptionsOf — over the stack's proxies with the
 * credentials its simulators list; closed when the test finishes.
 */
export async function gatewayFor(stack: StartedProviderStack, document: Omit<GatewayConfigDocument, 'providers'>, extra: Partial<GatewayOptions> = {}): Promise<BuiltGateway> {
  const connections = await providerConnections(stack.providers);
  const providers = Object.fromEntries(Object.entries(connections).map(([name, c]) => [name, { ...c, timeoutMs: 5_000 }]));
  const config = parseGatewayConfig({ ...document, providers });
  // The loop runs when the test says (runPass), not on its own clock.
  const gw = buildGateway({ ...gatewayOptionsOf(config), recovery: { intervalMs: 3_600_000, absentAfterMs: 0 }, ...extra });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
/** A card payment's body and a fresh Idempotency-Key. */
export function cardPayment(tag: string, extra: Record<string, unknown> = {}): { key: string; body: Record<string, unknown> } {
  n++;
  const orderId = `ord_${tag}_${process.pid}_${n}`;
  return { key: `key-${orderId}`, body: { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa', ...extra } };
}

export function pay(gw: BuiltGateway, p: { key: string; body: Record<string, unknown> }, headers: Record<string, string> = {}) {
  return gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': p.key, ...headers }, payload: p.body });
}
