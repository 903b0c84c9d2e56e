import type { Routes } from './settings.js';

/**
 * Which channels a payment may use, in order. The payment's own `provider` (the traffic model
 * always names one) leads; the route of its payment method supplies the backups:
 *
 *   routes: { pm_alipay: [alipay, adyen], pm_card_*: [stripe, adyen] }
 *   pm_alipay,  provider alipay   → alipay, adyen
 *   pm_card_visa, provider adyen  → adyen, stripe     (the named provider first, then the rest of the route)
 *   pm_card_visa, no provider     → stripe, adyen     (the route as written)
 *   pm_ideal,   provider adyen    → adyen             (no route: today's behaviour, no failover)
 *   pm_paypal,  provider paypal, route [adyen]        → paypal   (named but not in the route: honoured alone)
 *
 * A provider named outside its route is honoured alone rather than silently replaced: the client
 * asked for it, and rerouting that payment would be the gateway overruling its caller.
 */
export function channelsFor(routes: Readonly<Routes> | undefined, paymentMethod: string, provider: string | undefined, defaultProvider: string): readonly string[] {
  const route = routeOf(routes, paymentMethod);
  if (route === undefined) return [provider ?? defaultProvider];
  if (provider === undefined) return route;
  if (!route.includes(provider)) return [provider];
  return [provider, ...route.filter((p) => p !== provider)];
}

/** The route for a payment method: an exact key wins, else the longest `prefix*` that matches. */
export function routeOf(routes: Readonly<Routes> | undefined, paymentMethod: string): readonly string[] | undefined {
  if (routes === undefined) return undefined;
  if (Object.hasOwn(routes, paymentMethod)) return routes[paymentMethod];
  let best: string | undefined;
  for (const key of Object.keys(routes)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (paymentMethod.startsWith(prefix) && (best === undefined || prefix.length > best.length - 1)) best = key;
  }
  return best === undefined ? undefined : routes[best];
}

/**
 * What is wrong with the routes given the configured providers, each with its path
 * (`routes.pm_card_*[1]`): a provider not configured (the gateway would have no client for it),
 * or one named twice in a route (a failover to the channel that just failed).
 */
export function routeProblems(routes: Readonly<Routes> | undefined, configured: readonly string[]): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  for (const [method, channels] of Object.entries(routes ?? {})) {
    channels.forEach((provider, i) => {
      if (!configured.includes(provider)) out.push({ path: ['routes', method, i], message: `provider "${provider}" is not configured: add it under providers (configured: ${configured.join(', ')}) or remove it from the route` });
      else if (channels.indexOf(provider) !== i) out.push({ path: ['routes', method, i], message: `provider "${provider}" is already channel ${channels.indexOf(provider)} of this route: name each channel once` });
    });
  }
  return out;
}
