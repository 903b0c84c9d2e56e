import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { HttpClient } from 'toxiproxy-node-client/dist/HttpClient.js';
import { paychaosError, type PaychaosError } from '../kernel/index.js';
import type { ToxicSpec } from './toxics-for-fault.js';

/**
 * toxiproxy-node-client's transport, with its one gap closed: on a non-2xx answer the client
 * throws "Request failed with status code 409" and drops Toxiproxy's `{"error","status"}` body.
 * This subclass keeps the client's URLs, verbs and objects, and throws a coded error carrying
 * the status and the server's message instead. Nothing else of the client is replaced.
 */
class MessageKeepingHttpClient extends HttpClient {
  override async get<T>(url: string): Promise<{ data: T }> {
    return { data: (await send('GET', url)) as T };
  }

  override async post<T>(url: string, body?: unknown): Promise<{ data: T }> {
    return { data: (await send('POST', url, body)) as T };
  }

  override async delete(url: string): Promise<void> {
    await send('DELETE', url);
  }

  override async getText(url: string): Promise<string> {
    return (await exchange('GET', url)).text;
  }
}

async function exchange(method: string, url: string, body?: unknown): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_CHAOS_UNREACHABLE', `${method} ${url}: no answer from Toxiproxy (${(err as Error).message})`, { method, url }, { cause: err });
  }
  const text = await res.text();
  if (!res.ok) throw requestFailed(method, url, res.status, text);
  return { status: res.status, text };
}

async function send(method: string, url: string, body?: unknown): Promise<unknown> {
  const { text } = await exchange(method, url, body);
  return text.length === 0 ? undefined : (JSON.parse(text) as unknown);
}

function requestFailed(method: string, url: string, status: number, text: string): PaychaosError {
  let serverMessage = text.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') serverMessage = parsed.error;
  } catch {
    // Not JSON (e.g. "404 page not found"): keep the text as it is.
  }
  return paychaosError('PAYCHAOS_ERR_CHAOS_TOXIPROXY_REQUEST', `${method} ${url}: Toxiproxy answered ${status}: ${serverMessage}`, { method, url, status, serverMessage });
}

/** Whether `err` is a Toxiproxy answer with this HTTP status. */
export function isToxiproxyStatus(err: unknown, status: number): boolean {
  return (err as PaychaosError | undefined)?.code === 'PAYCHAOS_ERR_CHAOS_TOXIPROXY_REQUEST' && (err as PaychaosError).details.status === status;
}

export interface ToxicListing {
  readonly name: string;
  readonly type: string;
  readonly stream: string;
  readonly toxicity: number;
  readonly attributes: Record<string, number>;
}

/**
 * The control plane's view of one Toxiproxy, through toxiproxy-node-client. Adds what the
 * client lacks: listing a proxy's toxics (there is no client method for GET .../toxics).
 */
export class ToxiproxyApi {
  readonly client: Toxiproxy;

  constructor(readonly url: string) {
    this.client = new Toxiproxy(url);
    // Proxy and Toxic objects take the transport from here, so every call keeps error messages.
    this.client.api = new MessageKeepingHttpClient();
  }

  async version(): Promise<string> {
    const text = await this.client.getVersion();
    // 2.7+ answer {"version": "X"}; 2.5 and 2.6 answer the bare version as text.
    try {
      return (JSON.parse(text) as { version: string }).version;
    } catch {
      return text.trim();
    }
  }

  async findProxy(name: string): Promise<Proxy | undefined> {
    try {
      return await this.client.get(name);
    } catch (err) {
      if (isToxiproxyStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async listToxics(proxy: Proxy): Promise<ToxicListing[]> {
    const res = await this.client.getApi().get<ToxicListing[]>(`${proxy.getPath()}/toxics`);
    return res.data ?? [];
  }

  addToxic(proxy: Proxy, spec: ToxicSpec): Promise<unknown> {
    return proxy.addToxic({ ...spec, attributes: { ...spec.attributes } });
  }

  /** Remove a toxic; one already gone (removed by hand, or by a /reset) is fine. */
  async removeToxic(proxy: Proxy, name: string): Promise<void> {
    try {
      await this.client.getApi().delete(`${proxy.getPath()}/toxics/${name}`);
    } catch (err) {
      if (!isToxiproxyStatus(err, 404)) throw err;
    }
  }

  setEnabled(proxy: Proxy, enabled: boolean): Promise<Proxy> {
    return proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
  }
}
