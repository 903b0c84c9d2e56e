import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Pool, type Dispatcher } from 'undici';
import { paychaosError, type PaychaosError } from '../../src/kernel/index.js';
import type { ProviderConnection } from './provider-client.js';
import { preciseDeadline } from './deadline.js';
import { injectTraceparent } from './trace-context.js';

/**
 * Reading a ProviderConnection, once, when a client is built. Every value a client keeps passes
 * through here, so a wrong one fails at start-up as PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS naming
 * the provider and the field — not as a raw OpenSSL or URL error, and not as a header undici
 * refuses on every charge of the run. Messages never quote a credential's value: they are secrets.
 */

/** The coded error for one field of a provider's connection. `field` is its path: `url`, `credentials.appId`. */
export function badConnection(provider: string, field: string, problem: string, extra: Record<string, unknown> = {}, cause?: unknown): PaychaosError {
  return paychaosError('PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', `${provider}: ${field} ${problem}`, { provider, field, ...extra }, cause === undefined ? undefined : { cause });
}

/**
 * A pool to the provider's base URL, `http(s)://host:port` (nothing after the port). Open it last: a
 * bad credential must not leak it. Every request through it carries the W3C `traceparent` of the
 * provider call it belongs to (trace-context.ts), and its timeout to the millisecond (deadline.ts).
 */
export function openPool(provider: string, connection: ProviderConnection): Dispatcher {
  const { url, connections } = connection;
  if (connections !== undefined && (!Number.isSafeInteger(connections) || connections < 1)) {
    throw badConnection(provider, 'connections', `must be a whole number of at least 1, got ${String(connections)}`);
  }
  if (typeof url !== 'string' || url === '') throw badConnection(provider, 'url', 'is missing: give the base URL as http(s)://host:port');
  try {
    return new Pool(url, { connections: connections ?? 64 }).compose(injectTraceparent, preciseDeadline);
  } catch (err) {
    throw badConnection(provider, 'url', `${JSON.stringify(url)} is not a base URL http(s)://host:port (${(err as Error).message})`, {}, err);
  }
}

/** Visible ASCII only: what may go into a header (an API key, an id) without undici refusing it. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** The `credentials` of a connection, read field by field. Absent (undefined or null) is not wrong; any other non-string is. */
export class Credentials {
  readonly #provider: string;
  readonly #values: Readonly<Record<string, unknown>>;

  constructor(provider: string, credentials: unknown) {
    this.#provider = provider;
    if (credentials !== undefined && credentials !== null && (typeof credentials !== 'object' || Array.isArray(credentials))) {
      throw badConnection(provider, 'credentials', 'must be an object of the provider\'s credentials by name');
    }
    this.#values = (credentials ?? {}) as Readonly<Record<string, unknown>>;
  }

  /** Whether the field is given at all (absent: undefined or null). */
  has(name: string): boolean {
    return !this.#absent(name);
  }

  /** Refuses, naming them all at once, the fields of `names` that are absent. */
  require(names: readonly string[]): void {
    const missing = names.filter((n) => this.#absent(n));
    if (missing.length > 0) throw this.#missing(missing);
  }

  /** A non-empty string; `fallback` when absent, if one is given. */
  text(name: string, fallback?: string): string {
    const v = this.#values[name];
    if (this.#absent(name)) {
      if (fallback === undefined) throw this.#missing([name]);
      return fallback;
    }
    if (typeof v !== 'string' || v === '') throw badConnection(this.#provider, `credentials.${name}`, `must be a non-empty string, got ${describe(v)}`);
    return v;
  }

  /** A credential sent in a header: visible ASCII, no spaces or line breaks. */
  headerText(name: string, fallback?: string): string {
    const v = this.text(name, fallback);
    if (!HEADER_SAFE.test(v)) throw badConnection(this.#provider, `credentials.${name}`, 'must be visible ASCII without spaces or line breaks (it is sent in a header)');
    return v;
  }

  /** An absolute http(s) URL (where the provider sends notifications or the shopper). */
  url(name: string, fallback: string): string {
    const v = this.text(name, fallback);
    let parsed: URL | undefined;
    try {
      parsed = new URL(v);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw badConnection(this.#provider, `credentials.${name}`, `must be an absolute http(s) URL, got ${JSON.stringify(v)}`);
    return v;
  }

  /** An RSA private key in PEM, as RSA2 / WECHATPAY2-SHA256-RSA2048 sign with. */
  rsaPrivateKey(name: string): KeyObject {
    return this.#rsaKey(name, 'private', createPrivateKey);
  }

  /** An RSA public key in PEM (a private key also gives its public half). */
  rsaPublicKey(name: string): KeyObject {
    return this.#rsaKey(name, 'public', createPublicKey);
  }

  #rsaKey(name: string, kind: 'private' | 'public', parse: (pem: string) => KeyObject): KeyObject {
    const pem = this.text(name);
    let key: KeyObject;
    try {
      key = parse(pem);
    } catch (err) {
      // OpenSSL's reason (unsupported, bad decrypt …) helps; the PEM itself is never repeated.
      throw badConnection(this.#provider, `credentials.${name}`, `is not a PEM ${kind} key (${(err as { code?: string }).code ?? (err as Error).message})`, {}, err);
    }
    if (key.asymmetricKeyType !== 'rsa') throw badConnection(this.#provider, `credentials.${name}`, `must be an RSA key, got ${key.asymmetricKeyType ?? 'another kind'}`);
    return key;
  }

  #missing(names: readonly string[]): PaychaosError {
    const paths = names.map((n) => `credentials.${n}`);
    return badConnection(this.#provider, paths[0]!, `is missing${paths.length > 1 ? ` (and so are ${paths.slice(1).join(', ')})` : ''}`, { missing: paths });
  }

  #absent(name: string): boolean {
    const v = this.#values[name];
    return v === undefined || v === null;
  }
}

/** A value's kind, for a message: never the value itself (it may be a secret). */
function describe(v: unknown): string {
  if (v === '') return 'an empty string';
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}
