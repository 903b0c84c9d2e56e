import { request } from 'undici';
import type { GatewayConfigInput, ProviderEndpoint } from '../stack/index.js';

type ProviderConnection = GatewayConfigInput['providers'][string];

/**
 * How the gateway reaches each provider of a stack: through its proxy, with the merchant's
 * credentials as the simulator lists them at `GET /__sim/keys` (what a real provider's dashboard
 * hands a merchant). Keys are read directly, past the proxy, as set-up is not under test.
 * Providers without keys of their own (stripe, adyen, WireMock) accept the gateway's defaults.
 */
export async function providerConnections(endpoints: Readonly<Record<string, ProviderEndpoint>>): Promise<Record<string, ProviderConnection>> {
  const out: Record<string, ProviderConnection> = {};
  for (const [name, endpoint] of Object.entries(endpoints)) {
    const credentials = endpoint.simulator.kind === 'native' ? await simulatorKeys(endpoint.directUrl) : undefined;
    out[name] = { url: endpoint.url, ...(credentials ? { credentials } : {}) };
  }
  return out;
}

async function simulatorKeys(directUrl: string): Promise<Record<string, unknown> | undefined> {
  const res = await request(`${directUrl}/__sim/keys`, { method: 'GET' });
  if (res.statusCode === 404) {
    await res.body.dump();
    return undefined;
  }
  if (res.statusCode !== 200) throw new Error(`GET ${directUrl}/__sim/keys answered ${res.statusCode}`);
  return (await res.body.json()) as Record<string, unknown>;
}
