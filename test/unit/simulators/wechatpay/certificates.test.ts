import { X509Certificate, createDecipheriv, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWechatPaySim, type WechatPaySim } from '../../../../simulators/wechatpay/index.js';
import { KEYS, SIM_KEYS, authorization, wx } from './helpers.js';

/**
 * GET /v3/certificates, checked the way a merchant's own code would: decrypt the ciphertext with
 * the APIv3 key (node:crypto, not the simulator's helper), parse the PEM as X.509, and trust the
 * certificate only if its serial is the one in Wechatpay-Serial and its key verifies the answer.
 */
let sims: WechatPaySim[] = [];
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

function sim(options: Parameters<typeof buildWechatPaySim>[0] = {}) {
  const s = buildWechatPaySim({ seed: 41, ...options });
  sims.push(s);
  return s;
}

interface CertEntry {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  encrypt_certificate: { algorithm: string; nonce: string; associated_data: string; ciphertext: string };
}

/** AEAD_AES_256_GCM with the APIv3 key: the last 16 bytes of the ciphertext are the tag. */
function decrypt(e: CertEntry['encrypt_certificate'], apiV3Key: string): string {
  const bytes = Buffer.from(e.ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(e.nonce));
  d.setAAD(Buffer.from(e.associated_data));
  d.setAuthTag(bytes.subarray(-16));
  return Buffer.concat([d.update(bytes.subarray(0, -16)), d.final()]).toString('utf8');
}

const verifiesWith = (key: KeyObject, headers: Record<string, unknown>, body: string) =>
  createVerify('sha256').update(`${String(headers['wechatpay-timestamp'])}\n${String(headers['wechatpay-nonce'])}\n${body}\n`).verify(key, String(headers['wechatpay-signature']), 'base64');

const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });

describe('GET /v3/certificates', () => {
  it('lists the platform certificate, encrypted with the APIv3 key, whose serial is Wechatpay-Serial and whose key verifies the answer', async () => {
    const s = sim(SIM_KEYS);
    const res = await wx(s.app, 'GET', '/v3/certificates');
    expect(res.status).toBe(200);
    const { data } = res.body as { data: CertEntry[] };
    expect(data).toHaveLength(1);
    const entry = data[0]!;
    expect(entry.serial_no).toBe(KEYS.platformSerial);
    expect(entry.encrypt_certificate).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate' });
    expect(entry.encrypt_certificate.nonce).toMatch(/^[0-9a-z]{12}$/);
    expect(entry.effective_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

    const pem = decrypt(entry.encrypt_certificate, KEYS.apiV3Key);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const cert = new X509Certificate(pem);
    expect(cert.serialNumber).toBe(KEYS.platformSerial);
    expect(res.headers['wechatpay-serial']).toBe(cert.serialNumber);
    expect(spki(cert.publicKey)).toEqual(spki(KEYS.platformPublicKey));
    expect(verifiesWith(cert.publicKey, res.headers, res.raw)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(Date.parse(cert.validFrom)).toBe(Date.parse(entry.effective_time));
    expect(Date.parse(cert.validTo)).toBe(Date.parse(entry.expire_time));
    const now = Date.now();
    expect(Date.parse(entry.effective_time)).toBeLessThan(now);
    expect(Date.parse(entry.expire_time)).toBeGreaterThan(now + 4 * 365 * 24 * 3_600_000);

    // The same certificate is what /__sim/keys hands out, and the ciphertext does not verify under another key.
    const keys = (await s.app.inject({ method: 'GET', url: '/__sim/keys' })).json();
    expect(keys).toMatchObject({ platformKeyMode: 'certificate', platformSerial: KEYS.platformSerial, platformCertificate: pem });
    expect(() => decrypt(entry.encrypt_certificate, 'b'.repeat(32))).toThrow();
  });

  it('answers algorithm_type=ALL with the RSA certificate, SM2 with 404 RESOURCE_NOT_EXISTS, anything else with 400 PARAM_ERROR', async () => {
    const s = sim(SIM_KEYS);
    const all = await wx(s.app, 'GET', '/v3/certificates?algorithm_type=ALL');
    expect(all.status).toBe(200);
    expect(all.body!.data.map((d: CertEntry) => d.serial_no)).toEqual([KEYS.platformSerial]);
    const sm2 = await wx(s.app, 'GET', '/v3/certificates?algorithm_type=SM2');
    expect(sm2).toMatchObject({ status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '证书不存在' }, verified: true });
    expect((await wx(s.app, 'GET', '/v3/certificates?algorithm_type=DSA')).body).toMatchObject({ code: 'PARAM_ERROR' });
  });

  it('refuses an unauthenticated or wrongly signed request with a signed 401 SIGN_ERROR and no certificate', async () => {
    const s = sim(SIM_KEYS);
    const bare = await s.app.inject({ method: 'GET', url: '/v3/certificates', headers: { accept: 'application/json' } });
    expect(bare.statusCode).toBe(401);
    expect(bare.json()).toMatchObject({ code: 'SIGN_ERROR' });
    expect(bare.json().data).toBeUndefined();
    expect(verifiesWith(KEYS.platformPublicKey, bare.headers, bare.body)).toBe(true);

    const forged = authorization('GET', '/v3/certificates', '', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const wrong = await wx(s.app, 'GET', '/v3/certificates', undefined, forged);
    expect(wrong).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR' }, verified: true });
    // Signed for another path: the signature covers the URL.
    const elsewhere = await wx(s.app, 'GET', '/v3/certificates', undefined, authorization('GET', '/v3/certificates?algorithm_type=ALL', ''));
    expect(elsewhere.status).toBe(401);
  });

  it('generates a certificate-mode platform key by default: a 40-digit upper-case hex serial that the certificate carries', async () => {
    const s = buildWechatPaySim({ seed: 42, merchantPublicKey: KEYS.merchantPublicKey, merchantSerial: KEYS.merchantSerial });
    sims.push(s);
    expect(s.keys.platformKeyMode).toBe('certificate');
    expect(s.keys.platformSerial).toMatch(/^[1-7][0-9A-F]{39}$/);
    const res = await wx(s.app, 'GET', '/v3/certificates');
    const entry = (res.body as { data: CertEntry[] }).data[0]!;
    const cert = new X509Certificate(decrypt(entry.encrypt_certificate, s.keys.apiV3Key));
    expect(cert.serialNumber).toBe(s.keys.platformSerial);
    expect(res.headers['wechatpay-serial']).toBe(s.keys.platformSerial);
    expect(verifiesWith(cert.publicKey, res.headers, res.raw)).toBe(true);
    // Seeded: the same seed gives the same serial.
    const again = buildWechatPaySim({ seed: 42, merchantPublicKey: KEYS.merchantPublicKey, merchantSerial: KEYS.merchantSerial });
    sims.push(again);
    expect(again.keys.platformSerial).toBe(s.keys.platformSerial);
  });

  it('has no certificate in public-key mode (PUB_KEY_ID_…): 404 RESOURCE_NOT_EXISTS, as WeChat answers merchants registered since late 2024', async () => {
    for (const options of [{ platformKeyMode: 'publicKey' as const }, { platformSerial: 'PUB_KEY_ID_0114232134912410000000000000000000' }]) {
      const s = sim({ ...SIM_KEYS, platformSerial: undefined, ...options });
      expect(s.keys.platformSerial).toMatch(/^PUB_KEY_ID_01\d+$/);
      const res = await wx(s.app, 'GET', '/v3/certificates');
      expect(res).toMatchObject({ status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '证书不存在' } });
      expect(res.headers['wechatpay-serial']).toBe(s.keys.platformSerial);
      const keys = (await s.app.inject({ method: 'GET', url: '/__sim/keys' })).json();
      expect(keys.platformKeyMode).toBe('publicKey');
      expect(keys.platformCertificate).toBeUndefined();
    }
  });

  it('refuses at start a certificate-mode serial that no certificate can carry', () => {
    for (const platformSerial of ['PUB_KEY_ID_0114', '3775b6a45acd588826d15e583a95f5dd3df4c8e1', '00AB', 'ABC', '1'.repeat(42)]) {
      expect(() => buildWechatPaySim({ ...SIM_KEYS, platformSerial, platformKeyMode: 'certificate' })).toThrow(RangeError);
    }
  });
});
