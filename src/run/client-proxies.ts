import type { ChaosControl, TimelineStep } from '../chaos/index.js';
import type { Variant } from '../conventions/index.js';

/**
 * The shoppers' side of the network (DESIGN.md "The stack": one proxy in front of each gateway
 * instance, for weak mobile networks). A network step whose target is a variant (`baseline`,
 * `canary`) acts on a Toxiproxy proxy of that name between the driver and that variant's
 * system; the driver is pointed at the proxy instead of the system.
 *
 *   driver ──► proxy "baseline" (bandwidth, latency …) ──► gateway-baseline ──► provider proxies
 *
 * Only the variants a timeline names get one, so a run without shopper-side faults pays no
 * extra hop. The control plane deletes the proxies it created when it closes.
 */
export async function clientProxies(
  chaos: ChaosControl,
  systems: Partial<Record<Variant, { readonly url: string }>>,
  steps: readonly TimelineStep[],
): Promise<Partial<Record<Variant, string>>> {
  const wanted = new Set(steps.filter((s) => s.layer === 'network' && Object.hasOwn(systems, s.target)).map((s) => s.target as Variant));
  const urls: Partial<Record<Variant, string>> = {};
  for (const variant of wanted) {
    const system = new URL(systems[variant]!.url);
    const proxy = await chaos.ensureProxy({ name: variant, upstream: `${system.hostname}:${system.port || (system.protocol === 'https:' ? '443' : '80')}` });
    urls[variant] = `${system.protocol}//${proxy.listen}`;
  }
  return urls;
}
