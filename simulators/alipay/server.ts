import type { Clock } from '../../src/kernel/index.js';
import { simulatorCore, simulatorStarter, type StartedSim, type BuiltSim, type SimCoreOptions } from '../core/index.js';
import { registerBuyer } from './buyer.js';
import { ALIPAY_OUTCOMES } from './codes.js';
import type { AlipayContext } from './context.js';
import { alipayErrorShape } from './errors.js';
import { registerGateway } from './gateway.js';
import { alipayKeys, bare, pem, type AlipayKeys, type KeyInput } from './keys.js';
import { ALIPAY_NOTIFY_LADDER, ANTOM_NOTIFY_LADDER, alipayNotifyProtocol } from './notify.js';
import { AlipayState } from './objects.js';
import { ALIPAY_CYCLE, ALIPAY_FEES, alipaySettlementCsv, alipaySettlementReportCsv, royaltyLines } from './settlement.js';

export interface AlipaySimOptions extends SimCoreOptions {
  /** Wall-clock time for ledger entries and Alipay's time fields. */
  now?: () => Date;
  /** The initial behaviour profile; its `outcomes` name ALIPAY_OUTCOMES (`{"ACQ.BUYER_BALANCE_NOT_ENOUGH": 0.05}`). */
  profile?: unknown;
  /** Clock of the notify retry ladder. */
  clock?: Clock;
  /** The app_id requests must carry. */
  appId?: string;
  /** The merchant's (application's) public key; generated with its private key when absent. */
  merchantPublicKey?: KeyInput;
  /** Alipay's private key, which signs responses and notifications; generated when absent. */
  platformPrivateKey?: KeyInput;
  /** The seller_id (2088…) named in notifications. */
  sellerId?: string;
  /** The buyer pays each waiting trade (precreate, create, pay answered 10003) this long after it is made, on `clock`. */
  buyerDelayMs?: number;
  /** `alipay` (first retry after 4 minutes, default) or `antom` (after 2). */
  notifyLadder?: 'alipay' | 'antom';
  /** Trades kept in memory (default 200,000); older ones are spilled to a temporary SQLite database and read back when asked for. */
  retain?: number;
}

export interface AlipaySim extends BuiltSim {
  readonly appId: string;
  readonly keys: AlipayKeys;
}

export type StartedAlipaySim = StartedSim<AlipaySim>;

export const DEFAULT_ALIPAY_APP_ID = '2021000000000001';

export function buildAlipaySim(options: AlipaySimOptions = {}): AlipaySim {
  const appId = options.appId ?? DEFAULT_ALIPAY_APP_ID;
  const keys = alipayKeys(options);
  const core = simulatorCore('alipay', options);
  const { ledger, seed, clock, now } = core;
  const behaviour = core.behaviour(ALIPAY_OUTCOMES);
  const webhooks = core.webhooks(behaviour, alipayNotifyProtocol(keys.platformPrivateKey, options.notifyLadder === 'antom' ? ANTOM_NOTIFY_LADDER : ALIPAY_NOTIFY_LADDER));
  const state = new AlipayState(core.retain, core.spill);
  const ctx: AlipayContext = {
    appId,
    sellerId: options.sellerId ?? '2088000000000001',
    merchantPublicKey: keys.merchantPublicKey,
    platformPrivateKey: keys.platformPrivateKey,
    ledger,
    state,
    behaviour,
    webhooks,
    ids: core.ids(),
    random: core.random.fork(),
    clock,
    buyerDelayMs: options.buyerDelayMs,
    now,
  };
  const app = core.app({
    errors: alipayErrorShape(keys.platformPrivateKey),
    behaviour,
    webhooks,
    gateAfterBody: true,
    // Masked in the gateway, after the RSA2 signature is verified over the fields as sent.
    cardNumbers: { onArrival: false },
    settlementCsv: () => alipaySettlementCsv(ledger.entries(), (e) => state.byTradeNo.get(e.paymentId)?.subject ?? ''),
    fees: ALIPAY_FEES,
    cycle: ALIPAY_CYCLE,
    report: (lines) =>
      alipaySettlementReportCsv(
        lines,
        (e) => state.byTradeNo.get(e.paymentId)?.subject ?? '',
        (e) => royaltyLines(state.byTradeNo.get(e.paymentId)?.settles?.values()),
      ),
    // The platform public key a merchant configures; the merchant private key only when we made it (test keys).
    keys: () => ({
      appId,
      alipayPublicKey: pem(keys.platformPublicKey),
      alipayPublicKeyBase64: bare(keys.platformPublicKey),
      merchantPublicKey: pem(keys.merchantPublicKey),
      ...(keys.merchantPrivateKey ? { merchantPrivateKey: pem(keys.merchantPrivateKey) } : {}),
    }),
    routes: (a) => {
      registerGateway(a, ctx);
      registerBuyer(a, ctx);
    },
  });
  return { ledger, app, behaviour, webhooks, seed, appId, keys };
}

/** Start the Alipay simulator on 127.0.0.1 (port 0 unless given); the gateway is `${url}/gateway.do`. */
export const startAlipaySim = simulatorStarter<AlipaySimOptions, AlipaySim>({ provider: 'alipay', build: buildAlipaySim });
