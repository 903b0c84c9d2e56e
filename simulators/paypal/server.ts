import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { BoundedMap, type Clock } from '../../src/kernel/index.js';
import { simulatorCore, simulatorStarter, type SimStartOptions, type StartedSim, type BuiltSim, type SimCoreOptions } from '../core/index.js';
import { registerApprove } from './approve.js';
import { registerAuth, registerMockResponse } from './auth.js';
import { registerAuthorizations } from './authorizations.js';
import { PAYPAL_OUTCOMES } from './codes.js';
import type { PaypalContext } from './context.js';
import { PaypalErrors } from './errors.js';
import { openPaypalDispute, registerDisputes } from './disputes.js';
import { registerEvents } from './events.js';
import { registerNotSimulated } from './not-supported.js';
import { PaypalState } from './objects.js';
import { registerOrders } from './orders.js';
import { registerPatch } from './patch.js';
import { registerRefunds } from './refunds.js';
import { REQUEST_ID_TTL_MS } from './request-id.js';
import { PAYPAL_CYCLE, PAYPAL_FEES, paypalSettlementCsv, paypalSettlementReportCsv } from './settlement.js';
import { registerVerify } from './verify.js';
import { paypalWebhookCertificate, paypalWebhookProtocol } from './webhooks.js';

export interface PaypalSimOptions extends SimCoreOptions {
  now?: () => Date;
  /** The initial behaviour profile; its `outcomes` name PAYPAL_OUTCOMES, forced on captures. */
  profile?: unknown;
  /** Clock of the webhook retry ladder. */
  clock?: Clock;
  clientId?: string;
  clientSecret?: string;
  /** The webhook id named in signatures (PayPal: the id of the app's webhook subscription). */
  webhookId?: string;
  /** The key that signs webhooks; generated when absent. */
  webhookPrivateKey?: KeyObject;
  /** Approve every order at creation (no buyer step), for load tests. */
  autoApprove?: boolean;
  /** Orders, refunds, invoice ids and request ids kept in memory (default 200,000); older ones are spilled to a temporary SQLite database and read back when asked for. */
  retain?: number;
}

export interface PaypalSim extends BuiltSim {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookId: string;
  readonly webhookPublicKey: KeyObject;
  /** The X.509 certificate (PEM) of the webhook key, served at PAYPAL-CERT-URL. */
  readonly webhookCertificate: string;
  /** Where links and the webhook cert URL point; set by startPaypalSim once it listens. */
  setBaseUrl(url: string): void;
}

export type StartedPaypalSim = Omit<StartedSim<PaypalSim>, 'setBaseUrl'>;

export function buildPaypalSim(options: PaypalSimOptions = {}): PaypalSim {
  const clientId = options.clientId ?? 'paychaos-client-id';
  const clientSecret = options.clientSecret ?? 'paychaos-client-secret';
  const webhookId = options.webhookId ?? '1JE4291016473214C';
  const webhookKey = options.webhookPrivateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  let baseUrl = 'http://127.0.0.1';
  const core = simulatorCore('paypal', options);
  const { ledger, seed, now } = core;
  const behaviour = core.behaviour(PAYPAL_OUTCOMES);
  const idRandom = core.random.fork();
  const webhooks = core.webhooks(behaviour, paypalWebhookProtocol({ key: webhookKey, webhookId, certUrl: () => `${baseUrl}/__sim/paypal/cert.pem`, transmissionId: () => idRandom.token(36) }));
  const errors = new PaypalErrors(core.random.fork());
  const ctx: PaypalContext = {
    ledger,
    state: new PaypalState(core.retain, core.spill),
    behaviour,
    webhooks,
    ids: core.ids(),
    random: core.random.fork(),
    errors,
    idempotency: core.idempotency(REQUEST_ID_TTL_MS),
    inFlight: new Map(),
    autoApprove: options.autoApprove ?? false,
    baseUrl: () => baseUrl,
    now,
    disputes: new BoundedMap(core.retain),
    openDispute: (request) => openPaypalDispute(ctx, request),
  };
  const webhookPublicKey = createPublicKey(webhookKey);
  const webhookCertificate = paypalWebhookCertificate(webhookKey, now());
  const app = core.app({
    errors: errors.shape(),
    behaviour,
    webhooks,
    settlementCsv: () => paypalSettlementCsv(ledger.entries()),
    openDispute: (request) => openPaypalDispute(ctx, request),
    fees: PAYPAL_FEES,
    cycle: PAYPAL_CYCLE,
    report: paypalSettlementReportCsv,
    routes: (a) => {
      // PayPal's own SDK sends capture and full-refund calls with a JSON content type and no body:
      // that is "no body", not malformed JSON.
      a.removeContentTypeParser('application/json');
      a.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
        if (text === '') return done(null, undefined);
        try {
          done(null, JSON.parse(text as string));
        } catch (e) {
          (e as { statusCode?: number }).statusCode = 400;
          done(e as Error, undefined);
        }
      });
      registerAuth(a, ctx, { clientId, clientSecret });
      registerMockResponse(a, ctx);
      registerOrders(a, ctx);
      registerRefunds(a, ctx);
      registerAuthorizations(a, ctx);
      registerPatch(a, ctx);
      registerEvents(a, ctx);
      registerDisputes(a, ctx);
      registerNotSimulated(a, ctx);
      registerApprove(a, ctx);
      registerVerify(a, { publicKey: webhookPublicKey, certificatePem: webhookCertificate, webhookId });
    },
    keys: () => ({ clientId, clientSecret, webhookId, webhookPublicKey: webhookPublicKey.export({ type: 'spki', format: 'pem' }), webhookCertificate }),
  });
  return { ledger, app, behaviour, webhooks, seed, clientId, clientSecret, webhookId, webhookPublicKey, webhookCertificate, setBaseUrl: (url) => (baseUrl = url) };
}

/** Start the PayPal simulator on 127.0.0.1 (port 0 unless given); point the SDK's base URL at `url`. */
export const startPaypalSim: (options?: PaypalSimOptions & SimStartOptions) => Promise<StartedPaypalSim> = simulatorStarter<PaypalSimOptions, PaypalSim>({
  provider: 'paypal',
  build: buildPaypalSim,
  afterListen: (sim, url) => sim.setBaseUrl(url),
});
