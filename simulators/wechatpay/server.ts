import type { Clock } from '../../src/kernel/index.js';
import { simulatorCore, simulatorStarter, type StartedSim, type BuiltSim, type SimCoreOptions } from '../core/index.js';
import { isApiV3Key } from './aead.js';
import { registerAuth } from './auth.js';
import { registerCertificates } from './certificates.js';
import { WECHAT_OUTCOMES } from './codes.js';
import type { WechatContext } from './context.js';
import { WechatSigner, wechatErrorShape } from './errors.js';
import { pem, wechatKeys, type WechatKeyOptions, type WechatKeys } from './keys.js';
import { WECHAT_DUPLICATE_GAP_MS, wechatNotifyProtocol } from './notify.js';
import { WechatState } from './objects.js';
import { registerPayer } from './payer.js';
import { registerWechatExtras } from './extras.js';
import { registerProfitSharing, shareLines } from './profitsharing.js';
import { registerRefunds } from './refunds.js';
import { WECHAT_CYCLE, WECHAT_FEES, wechatSettlementCsv, wechatSettlementReportCsv } from './settlement.js';
import { registerTransactions } from './transactions.js';

export interface WechatPaySimOptions extends SimCoreOptions, WechatKeyOptions {
  /** Wall-clock time: ledger entries, time fields, and the ±5 minute check of request timestamps. */
  now?: () => Date;
  /** The initial behaviour profile; its `outcomes` name WECHAT_OUTCOMES (`{"NOTENOUGH": 0.05}`). */
  profile?: unknown;
  /** Clock of notifications (first delay, retry ladder) and of `payerDelayMs`. */
  clock?: Clock;
  mchid?: string;
  appid?: string;
  /** The payer pays each order this long (simulated ms) after it is made; unset, orders wait for `/__sim/payer`. */
  payerDelayMs?: number;
  /** Orders and refunds kept in memory (default 200,000); older ones are spilled to a temporary SQLite database and read back when asked for. */
  retain?: number;
}

export interface WechatPaySim extends BuiltSim {
  readonly mchid: string;
  readonly appid: string;
  readonly keys: WechatKeys;
}

export type StartedWechatPaySim = StartedSim<WechatPaySim>;

export const DEFAULT_WECHAT_MCHID = '1900000001';
export const DEFAULT_WECHAT_APPID = 'wxd678efh567hg6787';

export function buildWechatPaySim(options: WechatPaySimOptions = {}): WechatPaySim {
  const core = simulatorCore('wechatpay', options);
  const { seed, clock, now, nowMs } = core;
  // The merchant's keys and the platform's signer draw first: their place in the seeded sequence predates the shared parts'.
  const keyRandom = core.random.fork();
  const keys = wechatKeys(options, (n) => keyRandom.token(n), now());
  const certificateNonce = keyRandom.token(12);
  if (!isApiV3Key(keys.apiV3Key)) throw new RangeError('apiV3Key must be 32 bytes (WeChat Pay APIv3 keys are 32 characters)');
  const mchid = options.mchid ?? DEFAULT_WECHAT_MCHID;
  const appid = options.appid ?? DEFAULT_WECHAT_APPID;
  const ledger = core.ledger;
  const signer = new WechatSigner(keys.platformPrivateKey, keys.platformSerial, core.random.fork(), nowMs);
  const behaviour = core.behaviour(WECHAT_OUTCOMES);
  const webhooks = core.webhooks(behaviour, wechatNotifyProtocol(signer), WECHAT_DUPLICATE_GAP_MS);
  const state = new WechatState(core.retain, core.spill);
  const ctx: WechatContext = {
    mchid,
    appid,
    keys,
    signer,
    ledger,
    state,
    behaviour,
    webhooks,
    ids: core.ids(),
    random: core.random.fork(),
    clock,
    payerDelayMs: options.payerDelayMs,
    now,
  };
  const app = core.app({
    errors: wechatErrorShape(signer),
    behaviour,
    webhooks,
    settlementCsv: () => wechatSettlementCsv(ledger.entries(), appid, mchid, (e) => state.orders.get(e.orderId)?.description ?? ''),
    fees: WECHAT_FEES,
    cycle: WECHAT_CYCLE,
    report: (lines) =>
      wechatSettlementReportCsv(
        lines,
        appid,
        mchid,
        (e) => state.orders.get(e.orderId)?.description ?? '',
        (e) => shareLines(state, state.orders.get(e.orderId)),
      ),
    routes: (a) => {
      registerAuth(a, ctx);
      registerCertificates(a, ctx, certificateNonce);
      registerTransactions(a, ctx);
      registerRefunds(a, ctx);
      registerProfitSharing(a, ctx);
      registerPayer(a, ctx);
      registerWechatExtras(a, ctx);
    },
    // What a merchant configures: the platform key (public key, and certificate in certificate mode) by serial, and the APIv3 key (test credentials).
    keys: () => ({
      mchid,
      appid,
      apiV3Key: keys.apiV3Key,
      platformKeyMode: keys.platformKeyMode,
      platformSerial: keys.platformSerial,
      platformPublicKey: pem(keys.platformPublicKey),
      ...(keys.platformCertificate ? { platformCertificate: keys.platformCertificate.pem } : {}),
      merchantSerial: keys.merchantSerial,
      merchantPublicKey: pem(keys.merchantPublicKey),
      ...(keys.merchantPrivateKey ? { merchantPrivateKey: pem(keys.merchantPrivateKey) } : {}),
    }),
  });
  return { ledger, app, behaviour, webhooks, seed, mchid, appid, keys };
}

/** Start the WeChat Pay APIv3 simulator on 127.0.0.1 (port 0 unless given). */
export const startWechatPaySim = simulatorStarter<WechatPaySimOptions, WechatPaySim>({ provider: 'wechatpay', build: buildWechatPaySim });
