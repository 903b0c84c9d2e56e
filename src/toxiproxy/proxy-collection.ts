import { ApiError, proxyExists, proxyNotFound } from './api/api-error.js';
import { Proxy, ProxyStartError } from './proxy.js';

export interface ProxyInput {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

/** A failed start is a 500 with Go's text and Toxiproxy's exact body shape. */
function startFailed(err: unknown): never {
  if (err instanceof ProxyStartError) throw new ApiError(500, err.message);
  throw err;
}

/**
 * Every proxy by name, with Toxiproxy's rules for create, update, populate and reset
 * (proxy_collection.go, proxy.go). Callers serialise mutations (the API holds one lock), so
 * each method sees and leaves a consistent state.
 */
export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>();

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  list(): Proxy[] {
    return [...this.proxies.values()];
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  async add(input: ProxyInput): Promise<Proxy> {
    if (this.proxies.has(input.name)) throw proxyExists();
    const proxy = new Proxy(input.name, input.listen, input.upstream, this.onError);
    if (input.enabled) await proxy.start().catch(startFailed);
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }

  /**
   * Fields not given keep their value. A changed listen or upstream restarts the proxy (dropping
   * its connections); `enabled` then starts or stops it. Toxics are kept either way.
   */
  async update(proxy: Proxy, input: Omit<ProxyInput, 'name'>): Promise<Proxy> {
    const same = await proxy.sameAddresses(input.listen, input.upstream).catch((err: unknown) => startFailed(err));
    let enabled = proxy.enabled;
    if (!same) {
      await proxy.stop();
      enabled = false;
      proxy.listen = input.listen;
      proxy.upstream = input.upstream;
    }
    if (input.enabled && !enabled) await proxy.start().catch(startFailed);
    else if (!input.enabled && enabled) await proxy.stop();
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.stop();
  }

  /**
   * Create or replace each proxy in order. One with the same name, listen and upstream is left
   * as it is; one that differs is stopped and replaced (its toxics go with it). Stops at the
   * first failure; `done` then holds the proxies handled before it.
   */
  async populate(inputs: readonly ProxyInput[]): Promise<{ done: Proxy[]; error?: ApiError }> {
    const done: Proxy[] = [];
    for (const input of inputs) {
      try {
        const existing = this.proxies.get(input.name);
        if (existing) {
          if (existing.listen === input.listen && existing.upstream === input.upstream) {
            done.push(existing);
            continue;
          }
          await existing.stop();
        }
        const proxy = new Proxy(input.name, input.listen, input.upstream, this.onError);
        if (input.enabled) await proxy.start().catch(startFailed);
        this.proxies.set(proxy.name, proxy);
        done.push(proxy);
      } catch (err) {
        if (err instanceof ApiError) return { done, error: err };
        throw err;
      }
    }
    return { done };
  }

  /** Re-enable every proxy and remove every toxic. Stops at the first proxy that cannot listen. */
  async reset(): Promise<void> {
    for (const proxy of this.list()) {
      if (!proxy.enabled) await proxy.start().catch(startFailed);
      await proxy.toxics.removeAll();
    }
  }

  async closeAll(): Promise<void> {
    const all = this.list();
    this.proxies.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}
