import type { Proxy } from 'toxiproxy-node-client';
import { isPaychaosError, paychaosError, systemClock, type Clock, type TimerHandle } from '../kernel/index.js';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../toxiproxy/index.js';
import { parseNetworkFault, type NetworkFault, type NetworkFaultInput } from './faults/network/index.js';
import { ToxiproxyApi } from './toxiproxy-api.js';
import { TOXIC_PREFIX, toxicsForFault } from './toxics-for-fault.js';

export interface ChaosControlOptions {
  /** A Toxiproxy to drive. Defaults to env TOXIPROXY_URL; without either, an embedded server is started. */
  toxiproxyUrl?: string;
  /** Where TOXIPROXY_URL is read from (defaults to process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told when a fault becomes active or inactive (for the `paychaos.fault.active` gauge). */
  onFaultChange?: (change: { id: string; fault: NetworkFault; active: boolean }) => void;
  /** Times `forMs` (the kernel's one Clock; tests inject a ManualClock). Defaults to real time. */
  clock?: Clock;
}

export interface ActiveFault {
  readonly id: string;
  readonly fault: NetworkFault;
  /** Remove the fault's toxics (or re-enable its proxy). Idempotent. */
  remove(): Promise<void>;
}

export interface EnsureProxyOptions {
  readonly name: string;
  readonly upstream: string;
  /** Defaults to 127.0.0.1:0 (a free port). */
  readonly listen?: string;
}

/**
 * The chaos control plane for network faults. It speaks only the Toxiproxy API, through
 * toxiproxy-node-client, so the embedded server and a real Toxiproxy are interchangeable.
 *
 *   applyFault(step) ─▶ toxics named paychaos_<id>_<stream>  (or proxy disabled, for `down`)
 *   remove()/forMs   ─▶ those toxics deleted                 (or proxy re-enabled)
 *   close()          ─▶ every fault removed, leftovers swept by name, own proxies deleted,
 *                       embedded server stopped — each step tried even if another failed
 */
export class ChaosControl {
  private readonly active = new Map<string, ActiveFault>();
  private readonly createdProxies = new Set<string>();
  private readonly touchedProxies = new Set<string>();
  /** Ids claimed by an applyFault still under way, so two at once cannot both take one id. */
  private readonly pending = new Set<string>();
  /** How many active `down` faults hold each proxy disabled. */
  private readonly downCount = new Map<string, number>();
  /** Holding and releasing `down` run one at a time: a count read before an await would go stale. */
  private downOps: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed: Promise<void> | undefined;

  private constructor(
    readonly api: ToxiproxyApi,
    private readonly embeddedServer: StartedToxiproxyServer | undefined,
    private readonly options: ChaosControlOptions,
  ) {}

  static async start(options: ChaosControlOptions = {}): Promise<ChaosControl> {
    const url = options.toxiproxyUrl ?? (options.env ?? process.env).TOXIPROXY_URL;
    if (url) {
      const api = new ToxiproxyApi(url.replace(/\/+$/, ''));
      await api.version();
      return new ChaosControl(api, undefined, options);
    }
    // Per-proxy byte counters on GET /metrics, as toxiproxy-server -proxy-metrics: Prometheus
    // (compose, or `paychaos up --prometheus`) shows each provider link's traffic stop while it is down.
    const server = await startToxiproxyServer({ proxyMetrics: true });
    return new ChaosControl(new ToxiproxyApi(server.url), server, options);
  }

  get url(): string {
    return this.api.url;
  }

  /** True when this control plane runs its own embedded Toxiproxy-compatible server. */
  get embedded(): boolean {
    return this.embeddedServer !== undefined;
  }

  /** The faults currently applied, oldest first. */
  activeFaults(): ActiveFault[] {
    return [...this.active.values()];
  }

  /**
   * Make sure a proxy `name` forwards to `upstream`; create it if missing (and delete it on
   * close). An existing one with another upstream is pointed at `upstream`.
   */
  async ensureProxy(options: EnsureProxyOptions): Promise<Proxy> {
    const existing = await this.api.findProxy(options.name);
    if (existing && existing.upstream === options.upstream) return existing;
    if (existing) return existing.update({ enabled: existing.enabled, listen: existing.listen, upstream: options.upstream });
    const proxy = await this.api.client.createProxy({ name: options.name, listen: options.listen ?? '127.0.0.1:0', upstream: options.upstream });
    this.createdProxies.add(options.name);
    return proxy;
  }

  /**
   * Apply a network fault now. With `forMs`, it removes itself after that long. A fault whose
   * toxics cannot all be added is rolled back before the error is thrown.
   */
  async applyFault(input: NetworkFaultInput | NetworkFault, options: { forMs?: number } = {}): Promise<ActiveFault> {
    const fault = parseNetworkFault(input);
    const id = fault.id ?? `${fault.type}-${this.nextId++}`;
    if (this.active.has(id) || this.pending.has(id)) throw paychaosError('PAYCHAOS_ERR_CHAOS_BAD_FAULT', `fault.id: "${id}" is already active`, { id });
    this.pending.add(id);
    try {
      return await this.applyAs(id, fault, options);
    } finally {
      this.pending.delete(id);
    }
  }

  private async applyAs(id: string, fault: Readonly<NetworkFault>, options: { forMs?: number }): Promise<ActiveFault> {
    const proxy = await this.api.findProxy(fault.target);
    if (!proxy) throw paychaosError('PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET', `fault.target: no proxy named "${fault.target}" on ${this.url}`, { target: fault.target });
    this.touchedProxies.add(fault.target);

    const added: string[] = [];
    let held = false;
    try {
      if (fault.type === 'down') {
        await this.holdDown(fault.target, proxy);
        held = true;
      }
      for (const spec of toxicsForFault(fault, id)) {
        await this.api.addToxic(proxy, spec);
        added.push(spec.name);
      }
    } catch (err) {
      for (const name of added) await this.api.removeToxic(proxy, name).catch(() => {});
      // Only a hold that was taken is given back: releasing another fault's would re-enable the proxy under it.
      if (held) await this.releaseDown(fault.target).catch(() => {});
      throw err;
    }

    let timer: TimerHandle | undefined;
    let removing: Promise<void> | undefined;
    const active: ActiveFault = {
      id,
      fault,
      remove: () => {
        removing ??= (async () => {
          timer?.cancel();
          this.active.delete(id);
          try {
            if (fault.type === 'down') await this.releaseDown(fault.target);
            for (const name of added) await this.api.removeToxic(proxy, name);
          } finally {
            this.options.onFaultChange?.({ id, fault, active: false });
          }
        })();
        return removing;
      },
    };
    this.active.set(id, active);
    this.options.onFaultChange?.({ id, fault, active: true });
    if (options.forMs !== undefined) timer = this.clock.schedule(options.forMs, () => void active.remove().catch(() => {}));
    return active;
  }

  /** Run `fn` with the fault applied; the fault is removed afterwards, also when `fn` throws. */
  async withFault<T>(input: NetworkFaultInput | NetworkFault, fn: (fault: ActiveFault) => Promise<T>): Promise<T> {
    const fault = await this.applyFault(input);
    try {
      return await fn(fault);
    } finally {
      await fault.remove();
    }
  }

  /**
   * Back to a clean state: remove every active fault, then sweep the proxies we touched for
   * toxics named paychaos_* (left by a crashed run or a failed removal) and re-enable them.
   * Every step is attempted; failures are reported together afterwards.
   */
  async clearFaults(): Promise<void> {
    const failures: string[] = [];
    for (const fault of this.activeFaults()) {
      await fault.remove().catch((err: unknown) => failures.push(`${fault.id}: ${describe(err)}`));
    }
    this.downCount.clear();
    for (const name of this.touchedProxies) {
      try {
        const proxy = await this.api.findProxy(name);
        if (!proxy) continue;
        for (const toxic of await this.api.listToxics(proxy)) {
          if (toxic.name.startsWith(TOXIC_PREFIX)) await this.api.removeToxic(proxy, toxic.name);
        }
        if (!proxy.enabled) await this.api.setEnabled(proxy, true);
      } catch (err) {
        failures.push(`${name}: ${describe(err)}`);
      }
    }
    if (failures.length) throw teardownFailed(failures);
  }

  /** Clear every fault, delete the proxies this control plane created, stop the embedded server. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const failures: string[] = [];
      await this.clearFaults().catch((err: unknown) => failures.push(describe(err)));
      for (const name of this.createdProxies) {
        try {
          const proxy = await this.api.findProxy(name);
          await proxy?.remove();
        } catch (err) {
          failures.push(`${name}: ${describe(err)}`);
        }
      }
      await this.embeddedServer?.close();
      if (failures.length) throw teardownFailed(failures);
    })();
    return this.closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** Disable the proxy for the first `down` fault on it; later ones only count. */
  private holdDown(target: string, proxy: Proxy): Promise<void> {
    return this.oneDownOpAtATime(async () => {
      const count = this.downCount.get(target) ?? 0;
      if (count === 0) await this.api.setEnabled(proxy, false);
      this.downCount.set(target, count + 1);
    });
  }

  /** Re-enable the proxy when the last `down` fault on it ends. */
  private releaseDown(target: string): Promise<void> {
    return this.oneDownOpAtATime(async () => {
      const count = (this.downCount.get(target) ?? 1) - 1;
      if (count > 0) {
        this.downCount.set(target, count);
        return;
      }
      this.downCount.delete(target);
      const proxy = await this.api.findProxy(target);
      if (proxy && !proxy.enabled) await this.api.setEnabled(proxy, true);
    });
  }

  private oneDownOpAtATime(op: () => Promise<void>): Promise<void> {
    const next = this.downOps.then(op, op);
    this.downOps = next.catch(() => {});
    return next;
  }
}

function describe(err: unknown): string {
  return isPaychaosError(err) || err instanceof Error ? err.message : String(err);
}

function teardownFailed(failures: string[]) {
  return paychaosError('PAYCHAOS_ERR_CHAOS_TEARDOWN_FAILED', `could not restore a clean Toxiproxy state: ${failures.join('; ')}`, { failures });
}

/** Start a control plane: on TOXIPROXY_URL when set, else on an embedded server. */
export function startChaosControl(options: ChaosControlOptions = {}): Promise<ChaosControl> {
  return ChaosControl.start(options);
}
