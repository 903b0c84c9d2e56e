import { ApiError, proxyExists, proxyNotFound } from './api/api-error.js';
import type { ProxyByteCounters } from './metrics/index.js';
import { Proxy, ProxyStartError } from './proxy.js';

export interface ProxyInput {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

const shuttingDown = (): ApiError => new ApiError(503, 'server is shutting down');

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
  /** Set by closeAll. From then on nothing listens again: a start under way is undone, a new change refused. */
  private closed = false;

  constructor(
    private readonly onError: (err: unknown) => void = () => {},
    /** Set with -proxy-metrics: every proxy adds its finished links' bytes here. */
    private readonly counters?: ProxyByteCounters,
  ) {}

  list(): Proxy[] {
    return [...this.proxies.values()];
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  async add(input: ProxyInput): Promise<Proxy> {
    this.assertOpen();
    if (this.proxies.has(input.name)) throw proxyExists();
    const proxy = new Proxy(input.name, input.listen, input.upstream, this.onError, this.counters);
    if (input.enabled) await this.start(proxy);
    await this.keep(proxy);
    return proxy;
  }

  /**
   * Fields not given keep their value. A changed listen or upstream restarts the proxy (dropping
   * its connections); `enabled` then starts or stops it. Toxics are kept either way.
   */
  async update(proxy: Proxy, input: Omit<ProxyInput, 'name'>): Promise<Proxy> {
    this.assertOpen();
    const same = await proxy.sameAddresses(input.listen, input.upstream).catch((err: unknown) => startFailed(err));
    let enabled = proxy.enabled;
    if (!same) {
      await proxy.stop();
      enabled = false;
      proxy.listen = input.listen;
      proxy.upstream = input.upstream;
    }
    if (input.enabled && !enabled) await this.start(proxy);
    else if (!input.enabled && enabled) await proxy.stop();
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.stop();
  }

  /**
   * Create or replace each proxy in order. One with the same name, upstream and (resolved)
   * listen is left as it is, toxics and all; one that differs is stopped and replaced (its toxics go with it). Stops at the
   * first failure; `done` then holds the proxies handled before it.
   */
  async populate(inputs: readonly ProxyInput[]): Promise<{ done: Proxy[]; error?: ApiError }> {
    this.assertOpen();
    const done: Proxy[] = [];
    for (const input of inputs) {
      try {
        const existing = this.proxies.get(input.name);
        if (existing) {
          // Compared after resolving `listen`, as Toxiproxy 2.12 does: `localhost:7070` is the
          // proxy stored as `127.0.0.1:7070`, kept with its toxics rather than replaced bare.
          if (await existing.sameAddresses(input.listen, input.upstream).catch(startFailed)) {
            done.push(existing);
            continue;
          }
          await existing.stop();
        }
        const proxy = new Proxy(input.name, input.listen, input.upstream, this.onError, this.counters);
        if (input.enabled) await this.start(proxy);
        await this.keep(proxy);
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
    this.assertOpen();
    for (const proxy of this.list()) {
      if (!proxy.enabled) await this.start(proxy);
      await proxy.toxics.removeAll();
    }
  }

  /**
   * Stop every proxy, closing every connection (which also ends any toxic change waiting on a
   * link), and refuse from now on anything that would listen again.
   */
  async closeAll(): Promise<void> {
    this.closed = true;
    const all = this.list();
    this.proxies.clear();
    await Promise.all(all.map((p) => p.stop()));
  }

  /** Start a proxy; if closeAll ran meanwhile (it could not stop a listener not yet bound), stop it again. */
  private async start(proxy: Proxy): Promise<void> {
    this.assertOpen();
    await proxy.start().catch(startFailed);
    if (this.closed) {
      await proxy.stop();
      throw shuttingDown();
    }
  }

  /** Add a new proxy to the collection — unless closeAll ran meanwhile: then it is stopped instead. */
  private async keep(proxy: Proxy): Promise<void> {
    if (this.closed) {
      await proxy.stop();
      throw shuttingDown();
    }
    this.proxies.set(proxy.name, proxy);
  }

  private assertOpen(): void {
    if (this.closed) throw shuttingDown();
  }
}
