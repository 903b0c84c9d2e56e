import { request } from 'undici';
import type { ChaosControl } from '../chaos/index.js';
import { paychaosError } from '../kernel/index.js';
import type { Variant } from '../conventions/index.js';
import { STRIPE_SUBSCRIBED_EVENTS, type GatewayConfigInput, type ProviderEndpoint } from '../stack/index.js';

type ProviderConnection = GatewayConfigInput['providers'][string];

/**
 * Webhooks in a run (DESIGN.md "The stack": a Toxiproxy proxy per webhook path, simulator → gateway):
 *
 *   simulator ──► proxy "webhooks-<provider>-<variant>" ──► gateway <variant>  POST /webhooks/<provider>
 *
 * A provider learns where to notify in one of two ways, and the stack uses each as a merchant would:
 *
 * - per request (Alipay, WeChat Pay: `notify_url`): each variant's gateway sends its own path's URL
 *   (`credentials.notifyUrl`), so a notification reaches the variant that made the payment;
 * - per account (Stripe, Adyen, PayPal: endpoints registered in the dashboard): every variant's
 *   path is registered (the profile's `webhooks.url`, a list) and gets every event. A gateway
 *   acknowledges an event for a payment it does not know and keeps it as unmatched
 *   (gateway/webhook-apply.ts), as a real account with two endpoints does. Routing each event to
 *   the variant that created the payment instead (its metadata names it) would need a router in
 *   front of both gateways, which neither a provider nor a real deployment has; notifying both
 *   changes nothing for the variant that does not know the payment, and keeps the two variants'
 *   notification faults identical, which a canary comparison needs.
 *
 * A gateway's port is known only once it starts, but it must be told its notify_url before: the
 * proxies are made first (their listen address is then fixed) pointing nowhere, and pointed at
 * their gateway once it is up. A restarted gateway keeps its port, so its paths stay right.
 */
export const NOTIFY_URL_PROVIDERS: ReadonlySet<string> = new Set(['alipay', 'wechatpay', 'unionpay']);
export const ENDPOINT_PROVIDERS: ReadonlySet<string> = new Set(['stripe', 'adyen', 'paypal']);

/**
 * What an endpoint subscribes to, where the provider lets a merchant choose: Stripe sends three
 * events for a card payment, of which the gateway acts on one; at Singles'-Day rates the other
 * two would double its work for nothing, as they would a real merchant's.
 */
const SUBSCRIBED: Readonly<Record<string, readonly string[]>> = { stripe: STRIPE_SUBSCRIBED_EVENTS };

/** Until its gateway is up, a path leads to the discard port: a notification then is refused and retried. */
const NOWHERE = '127.0.0.1:9';

export interface WebhookPaths {
  /** The proxy names, `webhooks-<provider>-<variant>`, with the URL a simulator posts to. */
  readonly urls: Readonly<Record<string, string>>;
  /** The gateway connections of one variant: the per-request providers get its notify_url. */
  connectionsFor(variant: Variant, connections: Readonly<Record<string, ProviderConnection>>): Record<string, ProviderConnection>;
  /** Point the variant's paths at its gateway, now listening at `url`. */
  connect(variant: Variant, url: string): Promise<void>;
  /** Register every connected variant's path as an endpoint of each per-account provider. */
  register(): Promise<void>;
}

export function webhookProxyName(provider: string, variant: Variant): string {
  return `webhooks-${provider}-${variant}`;
}

/** Make a path (a proxy) per native provider that notifies and per variant; nothing is sent through them yet. */
export async function openWebhookPaths(chaos: ChaosControl, providers: Readonly<Record<string, ProviderEndpoint>>, variants: readonly Variant[]): Promise<WebhookPaths> {
  const notifying = Object.values(providers).filter((p) => p.simulator.kind === 'native' && (NOTIFY_URL_PROVIDERS.has(p.provider) || ENDPOINT_PROVIDERS.has(p.provider)));
  const urls: Record<string, string> = {};
  const byVariant = new Map<Variant, Array<{ provider: string; proxy: string; url: string }>>();
  for (const variant of variants) {
    const paths = [];
    for (const p of notifying) {
      const proxy = webhookProxyName(p.provider, variant);
      const created = await chaos.ensureProxy({ name: proxy, upstream: NOWHERE });
      const url = `http://${created.listen}/webhooks/${p.provider}`;
      urls[proxy] = url;
      paths.push({ provider: p.provider, proxy, url });
    }
    byVariant.set(variant, paths);
  }
  const connected = new Set<Variant>();
  return {
    urls,
    connectionsFor(variant, connections) {
      const out = { ...connections };
      for (const path of byVariant.get(variant) ?? []) {
        const c = out[path.provider];
        if (c && NOTIFY_URL_PROVIDERS.has(path.provider)) out[path.provider] = { ...c, credentials: { ...c.credentials, notifyUrl: path.url } };
      }
      return out;
    },
    async connect(variant, url) {
      const upstream = new URL(url).host;
      for (const path of byVariant.get(variant) ?? []) await chaos.ensureProxy({ name: path.proxy, upstream });
      connected.add(variant);
    },
    async register() {
      for (const p of notifying) {
        if (!ENDPOINT_PROVIDERS.has(p.provider)) continue;
        const endpoints = [...connected].flatMap((v) => (byVariant.get(v) ?? []).filter((path) => path.provider === p.provider).map((path) => path.url));
        if (endpoints.length > 0) await registerEndpoints(p.provider, p.directUrl, endpoints);
      }
    },
  };
}

/**
 * The simulator's profile with `webhooks.url` set to the endpoints, the rest unchanged (the
 * profile a scenario's provider steps later layer over). Set directly, past the proxy: set-up is
 * not under test.
 */
async function registerEndpoints(provider: string, directUrl: string, endpoints: readonly string[]): Promise<void> {
  const failed = (what: string) => paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${provider}: its webhook endpoints could not be set: ${what}`, { part: provider, endpoints });
  const read = await request(`${directUrl}/__sim/behaviour`, { method: 'GET' });
  if (read.statusCode !== 200) {
    await read.body.dump();
    throw failed(`GET ${directUrl}/__sim/behaviour answered ${read.statusCode}`);
  }
  const { profile } = (await read.body.json()) as { profile: Record<string, unknown> & { webhooks?: Record<string, unknown> } };
  const events = SUBSCRIBED[provider];
  const body = JSON.stringify({ ...profile, webhooks: { ...profile.webhooks, url: endpoints.length === 1 ? endpoints[0] : endpoints, ...(events ? { events } : {}) } });
  const put = await request(`${directUrl}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  const text = await put.body.text();
  if (put.statusCode !== 200) throw failed(`PUT ${directUrl}/__sim/behaviour answered ${put.statusCode}: ${text.slice(0, 200)}`);
}
