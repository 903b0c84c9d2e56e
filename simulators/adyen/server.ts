import type { Clock } from '../../src/kernel/index.js';
import { send, simulatorCore, simulatorStarter, type StartedSim, type BuiltSim, type SimCoreOptions } from '../core/index.js';
import { ADYEN_REFUSAL_REASONS } from './codes.js';
import type { AdyenContext } from './context.js';
import { adyenError, adyenErrorShape } from './errors.js';
import { registerModifications } from './modifications.js';
import { openAdyenDispute } from './disputes.js';
import { AdyenState } from './objects.js';
import { KEY_TTL_MS } from './operation.js';
import { registerPayments } from './payments.js';
import { registerRedirect } from './redirect.js';
import { registerCheckoutExtras } from './checkout-extras.js';
import { ADYEN_CYCLE, ADYEN_FEES, adyenSettlementCsv, adyenSettlementReportCsv } from './settlement.js';
import { DEFAULT_HMAC_KEY, adyenWebhookProtocol } from './webhooks.js';

export interface AdyenSimOptions extends SimCoreOptions {
  /** Wall-clock time for ledger entries and notification dates. */
  now?: () => Date;
  /** The initial behaviour profile; its `outcomes` name refusalReasonCodes (`{"12": 0.1}`). */
  profile?: unknown;
  /** Clock of the notification retry ladder. */
  clock?: Clock;
  /** HMAC key for notifications, as hex (Adyen's Customer Area shows it so). */
  hmacKey?: string;
  /** When set, requests must carry `x-api-key: <apiKey>`. */
  apiKey?: string;
  /** Status for a duplicate meeting its key in flight (errorCode 704): 422 (default) or 409. */
  inFlightStatus?: 409 | 422;
  /**
   * For load tests: a wallet shopper (Alipay, WeChat Pay, PayPal through Adyen) authorises at the
   * wallet this long after the payment is made, on `clock`, and the AUTHORISATION notification
   * follows — nobody calls `/__sim/redirect`. Unset, wallets wait for that call.
   */
  shopperApprovesAfterMs?: number;
  /** Company account named in the settlement report. */
  companyAccount?: string;
  /**
   * Provider objects and idempotency keys kept in memory per kind (default 200,000); older ones
   * are spilled to a temporary SQLite database and read back when asked for, so memory stays
   * bounded under long load and nothing is forgotten.
   */
  retain?: number;
}

export interface AdyenSim extends BuiltSim {
  readonly hmacKey: string;
}

export type StartedAdyenSim = StartedSim<AdyenSim>;

export function buildAdyenSim(options: AdyenSimOptions = {}): AdyenSim {
  const hmacKey = options.hmacKey ?? DEFAULT_HMAC_KEY;
  if (!/^([0-9a-fA-F]{2})+$/.test(hmacKey)) throw new RangeError('hmacKey must be a hex string');
  const core = simulatorCore('adyen', options);
  const { ledger, seed, clock, now } = core;
  const behaviour = core.behaviour(Object.keys(ADYEN_REFUSAL_REASONS));
  const webhooks = core.webhooks(behaviour, adyenWebhookProtocol(hmacKey));
  const state = new AdyenState(core.retain, core.spill);
  const ctx: AdyenContext = {
    ledger,
    state,
    idempotency: core.idempotency(KEY_TTL_MS),
    behaviour,
    webhooks,
    ids: core.ids(),
    inFlightStatus: options.inFlightStatus ?? 422,
    clock,
    shopperApprovesAfterMs: options.shopperApprovesAfterMs,
    now,
    openDispute: (request) => openAdyenDispute(ctx, request),
  };
  const app = core.app({
    errors: adyenErrorShape,
    behaviour,
    webhooks,
    // What the Customer Area hands a merchant: the webhook's HMAC key (hex), and the API key when requests must carry one.
    openDispute: (request) => openAdyenDispute(ctx, request),
    keys: () => ({ hmacKey, ...(options.apiKey ? { apiKey: options.apiKey } : {}) }),
    settlementCsv: () => adyenSettlementCsv(ledger.entries(), options.companyAccount ?? 'PaychaosCompany', (e) => state.payments.get(e.paymentId)?.merchantAccount ?? ''),
    fees: ADYEN_FEES,
    cycle: ADYEN_CYCLE,
    report: (lines) => adyenSettlementReportCsv(lines, options.companyAccount ?? 'PaychaosCompany', (e) => state.payments.get(e.paymentId)?.merchantAccount ?? ''),
    routes: (a) => {
      if (options.apiKey) {
        const apiKey = options.apiKey;
        a.addHook('onRequest', async (req, reply) => {
          if (req.url.startsWith('/__sim/') || req.headers['x-api-key'] === apiKey) return;
          return send(reply, adyenError(401, '000', 'HTTP Status Response - Unauthorized', 'security'));
        });
      }
      registerPayments(a, ctx);
      registerModifications(a, ctx);
      registerRedirect(a, ctx);
      registerCheckoutExtras(a, ctx);
    },
  });
  return { ledger, app, behaviour, webhooks, seed, hmacKey };
}

/** Start the Adyen-style simulator on 127.0.0.1 (port 0 unless given). */
export const startAdyenSim = simulatorStarter<AdyenSimOptions, AdyenSim>({ provider: 'adyen', build: buildAdyenSim });
