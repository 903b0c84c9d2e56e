import { generateKeyPairSync } from 'node:crypto';
import type { AgentOptions } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import { issueCertificate } from '../../../simulators/core/index.js';

/**
 * Some official SDKs have no base-URL option: PayPal's server SDK knows only
 * `https://api-m.sandbox.paypal.com` and `https://api-m.paypal.com`, Adyen's library only
 * `https://checkout-test.adyen.com/v72` (and the live prefixes). To run them unchanged we leave
 * their URLs alone and move the one thing below them, where the TLS connection lands:
 *
 *   SDK ── https://<provider host>/… ──▶ its https.Agent (host, port, ca from `agentOptions`)
 *       ──▶ this front on 127.0.0.1:0, certificate for <provider host> from a throwaway CA
 *       ──▶ plain bytes ──▶ the simulator
 *
 * Everything above the socket (method, path, headers, Host, body) is what the SDK would send to
 * the provider, and the SDK still verifies the server's name against the certificate.
 */
export interface TlsFront {
  /** Options for an https.Agent: connect here and trust the throwaway CA. */
  readonly agentOptions: AgentOptions & { host: string; port: number; ca: string };
  close(): Promise<void>;
}

export async function startTlsFront(hostname: string, target: string): Promise<TlsFront> {
  const upstream = new URL(target);
  const caKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const leafKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 3600_000);
  const caName = { CN: 'paychaos test CA' };
  const ca = issueCertificate({ publicKey: caKey, subject: caName, serial: '01', notBefore, notAfter, signingKey: caKey, ca: true });
  // No subjectAltName: Node matches the host name against the CN when a certificate has none.
  const leaf = issueCertificate({ publicKey: leafKey, subject: { CN: hostname }, serial: '02', notBefore, notAfter, issuer: { name: caName, publicKey: caKey }, signingKey: caKey });

  const sockets = new Set<Socket>();
  const track = (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s)));
  const server = createServer({ key: leafKey.export({ type: 'pkcs8', format: 'pem' }), cert: leaf.pem }, (clear) => {
    const up = connect(Number(upstream.port), upstream.hostname);
    track(clear);
    track(up);
    clear.on('error', () => up.destroy());
    up.on('error', () => clear.destroy());
    clear.pipe(up).pipe(clear);
  });
  server.on('connection', track);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    agentOptions: { host: '127.0.0.1', port, ca: ca.pem },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
