import { X509Certificate, createHash, createPrivateKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * An independent UnionPay 5.1.0 merchant client for tests, written from the published protocol
 * (open.unionpay.com 全渠道 API and its SDK notes), with node:crypto only — never the simulator's
 * code:
 * - request: fields without `signature`, sorted by name in ASCII order, `k=v&…`; SHA-256 of that as
 *   lower-case hex; those hex characters signed SHA256withRSA; base64 → `signature`; `certId` is
 *   the merchant certificate's serial in decimal; the body is URL-encoded;
 * - answer: `k=v&…` NOT URL-encoded; verified with the public key of `signPubKeyCert` after that
 *   certificate chains to the middle and root certificates, is in its validity, and its CN's third
 *   `@` part is `00040000:SIGN` (test environment).
 */
export interface UnionPayMerchant {
  merId: string;
  certId: string;
  merchantPrivateKey: string;
  middleCertificate: string;
  rootCertificate: string;
}

export class UpopTestClient {
  readonly #key: KeyObject;
  readonly #middle: X509Certificate;
  readonly #root: X509Certificate;

  constructor(
    readonly baseUrl: string,
    readonly merchant: UnionPayMerchant,
  ) {
    this.#key = createPrivateKey(merchant.merchantPrivateKey);
    this.#middle = new X509Certificate(merchant.middleCertificate);
    this.#root = new X509Certificate(merchant.rootCertificate);
  }

  static signContent(fields: Readonly<Record<string, string>>): string {
    return Object.keys(fields)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&');
  }

  sign(fields: Readonly<Record<string, string>>): Record<string, string> {
    const all = { ...fields, certId: this.merchant.certId, signMethod: '01' };
    const hex = createHash('sha256').update(UpopTestClient.signContent(all), 'utf8').digest('hex');
    return { ...all, signature: createSign('RSA-SHA256').update(hex, 'utf8').sign(this.#key, 'base64') };
  }

  /** Whether a signed answer or notification holds: certificate chain, CN, then the signature. */
  verify(fields: Readonly<Record<string, string>>): boolean {
    const pem = fields.signPubKeyCert;
    if (!pem || !fields.signature) return false;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return false;
    }
    if (!cert.checkIssued(this.#middle) || !cert.verify(this.#middle.publicKey)) return false;
    if (!this.#middle.checkIssued(this.#root) || !this.#middle.verify(this.#root.publicKey)) return false;
    const now = Date.now();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return false;
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
    if (cn.split('@')[2] !== '00040000:SIGN') return false;
    const hex = createHash('sha256').update(UpopTestClient.signContent(fields), 'utf8').digest('hex');
    try {
      return createVerify('RSA-SHA256').update(hex, 'utf8').verify(cert.publicKey, fields.signature, 'base64');
    } catch {
      return false;
    }
  }

  /** Reads an answer body `k=v&k=v` (values raw; a value never holds `&` in the fields used here). */
  static parseAnswer(body: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of body.split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
  }

  common(txnType: string, txnSubType: string): Record<string, string> {
    return { version: '5.1.0', encoding: 'UTF-8', txnType, txnSubType, bizType: '000201', channelType: '07', accessType: '0', merId: this.merchant.merId };
  }

  async post(path: string, signed: Readonly<Record<string, string>>): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: new URLSearchParams(signed).toString() });
    return { status: res.status, text: await res.text() };
  }

  async back(fields: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    const r = await this.post('/gateway/api/backTransReq.do', this.sign(fields));
    return UpopTestClient.parseAnswer(r.text);
  }

  async query(orderId: string, txnTime: string): Promise<Record<string, string>> {
    const r = await this.post('/gateway/api/queryTrans.do', this.sign({ ...this.common('00', '00'), bizType: '000000', orderId, txnTime }));
    return UpopTestClient.parseAnswer(r.text);
  }
}

/** yyyyMMddHHmmss in Beijing time. */
export function beijingNow(offsetS = 0): string {
  return new Date(Date.now() + offsetS * 1000 + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}
