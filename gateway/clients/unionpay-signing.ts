import { X509Certificate, createHash, createSign, createVerify, type KeyObject } from 'node:crypto';
import { badConnection } from './connection.js';

/**
 * UnionPay 5.1.0 signatures (signMethod 01), from the online gateway's published rules:
 *   the fields but `signature`, sorted by name, `k=v&…` ─▶ SHA-256 as lower-case hex ─▶ that text
 *   signed SHA256withRSA ─▶ base64.
 * Requests are signed with the merchant's key (certId names its certificate). Answers and
 * notifications carry UnionPay's signing certificate (`signPubKeyCert`): before it is used the
 * merchant checks that the middle certificate issued it (and the root the middle one), that it is
 * within its validity, and that its CN's third `@` part is UnionPay's name — 中国银联股份有限公司 in
 * production, `00040000:SIGN` in the test environment.
 */
const UNIONPAY_CN_NAMES: ReadonlySet<string> = new Set(['中国银联股份有限公司', '00040000:SIGN']);

export function unionPaySignContent(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

const hexDigest = (fields: Readonly<Record<string, string>>): string => createHash('sha256').update(unionPaySignContent(fields), 'utf8').digest('hex');

export function unionPaySign(fields: Readonly<Record<string, string>>, key: KeyObject): string {
  return createSign('RSA-SHA256').update(hexDigest(fields), 'utf8').sign(key, 'base64');
}

/** UnionPay's middle and root certificates, as the merchant configures them. */
export class UnionPayTrust {
  readonly #middle: X509Certificate;
  readonly #root: X509Certificate;
  /** Certificates already checked, by PEM: every answer carries the same one. */
  readonly #trusted = new Map<string, KeyObject>();

  constructor(provider: string, middlePem: string, rootPem: string) {
    this.#middle = cert(provider, 'middleCertificate', middlePem);
    this.#root = cert(provider, 'rootCertificate', rootPem);
    if (!this.#middle.checkIssued(this.#root) || !this.#middle.verify(this.#root.publicKey)) throw badConnection(provider, 'credentials.middleCertificate', 'was not issued by credentials.rootCertificate');
  }

  /** Why the signed fields are not UnionPay's, or undefined when they are. */
  problem(fields: Readonly<Record<string, string>>, nowMs = Date.now()): string | undefined {
    const pem = fields.signPubKeyCert;
    const signature = fields.signature;
    if (!pem) return 'no signPubKeyCert';
    if (!signature) return 'no signature';
    const key = this.#keyOf(pem, nowMs);
    if (typeof key === 'string') return key;
    try {
      return createVerify('RSA-SHA256').update(hexDigest(fields), 'utf8').verify(key, signature, 'base64') ? undefined : 'signature does not verify with signPubKeyCert';
    } catch {
      return 'signature is not a well-formed RSA signature';
    }
  }

  #keyOf(pem: string, nowMs: number): KeyObject | string {
    const known = this.#trusted.get(pem);
    let c: X509Certificate;
    try {
      c = new X509Certificate(pem);
    } catch {
      return 'signPubKeyCert is not a certificate';
    }
    if (nowMs < Date.parse(c.validFrom) || nowMs > Date.parse(c.validTo)) return 'signPubKeyCert is outside its validity';
    if (known) return known;
    if (!c.checkIssued(this.#middle) || !c.verify(this.#middle.publicKey)) return 'signPubKeyCert was not issued by the middle certificate';
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? '';
    if (!UNIONPAY_CN_NAMES.has(cn.split('@')[2] ?? '')) return `signPubKeyCert's CN ${cn} is not UnionPay's`;
    if (this.#trusted.size > 16) this.#trusted.clear();
    this.#trusted.set(pem, c.publicKey);
    return c.publicKey;
  }
}

function cert(provider: string, field: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw badConnection(provider, `credentials.${field}`, `is not a PEM certificate (${(err as { code?: string }).code ?? (err as Error).message})`, {}, err);
  }
}

/**
 * An answer body: `k=v&k=v`, values not URL-encoded (UnionPay's docs warn of it). A value may hold
 * `{…}` with `&` inside (reserved fields): pairs are split only outside braces.
 */
export function parseUnionPayAnswer(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  let depth = 0;
  let start = 0;
  const take = (end: number): void => {
    const pair = body.slice(start, end);
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '&' && depth === 0) {
      take(i);
      start = i + 1;
    }
  }
  take(body.length);
  return out;
}
