import type { Clock, TimerHandle } from '../../src/kernel/index.js';
import { simulatorCore, simulatorStarter, type StartedSim, type BuiltSim, type SimCoreOptions } from '../core/index.js';
import { registerCashier } from './cashier.js';
import { UNIONPAY_OUTCOMES } from './codes.js';
import { unionPayKeys, type UnionPayKeys } from './keys.js';
import { unionPayNotifyProtocol } from './notify.js';
import { UNIONPAY_CYCLE, UNIONPAY_FEES, unionPaySettlementCsv, unionPaySettlementReportCsv } from './settlement.js';
import { UnionPayState, type UnionPayContext } from './state.js';
import { cardholderPays, registerGateway } from './trans.js';
import { unionPayErrorShape } from './errors.js';

export interface UnionPaySimOptions extends SimCoreOptions {
  /** Wall-clock time for ledger entries and UnionPay's time fields. */
  now?: () => Date;
  /** The initial behaviour profile; its `outcomes` name UNIONPAY_OUTCOMES (`{"64": 0.05}`). */
  profile?: unknown;
  /** Clock of the notification ladder, of in-progress consumes and of the shopper delay. */
  clock?: Clock;
  /** The merId (15 characters) requests must carry. */
  merId?: string;
  /** Simulated ms after which a consume answered 03/04/05 succeeds (default 2 s). */
  processingMs?: number;
  /** The cardholder pays each front consume this long after it opened, with UnionPay's test card. */
  shopperDelayMs?: number;
  /** Transactions kept in memory (default 200,000); older ones are spilled to a temporary SQLite database and read back when asked for. */
  retain?: number;
}

export interface UnionPaySim extends BuiltSim {
  readonly merId: string;
  readonly keys: UnionPayKeys;
}

export type StartedUnionPaySim = StartedSim<UnionPaySim>;

export const DEFAULT_UNIONPAY_MER_ID = '777290058110048';

export function buildUnionPaySim(options: UnionPaySimOptions = {}): UnionPaySim {
  const merId = options.merId ?? DEFAULT_UNIONPAY_MER_ID;
  const core = simulatorCore('unionpay', options);
  const { ledger, seed, clock, now } = core;
  // The ids draw first here: the certificates' serial numbers come from them.
  const ids = core.ids();
  const keys = unionPayKeys(now(), ids.digits(8));
  const behaviour = core.behaviour(UNIONPAY_OUTCOMES);
  const webhooks = core.webhooks(behaviour, unionPayNotifyProtocol(keys.signKey));
  const state = new UnionPayState(core.retain, core.spill);
  // In-progress consumes and cardholders' payments still to come: none fires after close.
  const timers = new Set<TimerHandle>();
  const later = (ms: number, fn: () => void): void => {
    const handle = clock.schedule(ms, () => {
      timers.delete(handle);
      fn();
    });
    timers.add(handle);
  };
  const ctx: UnionPayContext = { merId, keys, ledger, state, behaviour, webhooks, ids, random: core.random.fork(), clock, processingMs: options.processingMs ?? 2000, shopperDelayMs: options.shopperDelayMs, now, later };
  const app = core.app({
    errors: unionPayErrorShape(ctx),
    behaviour,
    webhooks,
    // Masked after the signature is verified over the fields as sent (trans.ts).
    cardNumbers: { onArrival: false },
    settlementCsv: () => unionPaySettlementCsv(ledger.entries()),
    fees: UNIONPAY_FEES,
    cycle: UNIONPAY_CYCLE,
    report: unionPaySettlementReportCsv,
    // What a merchant configures: its merId, certificate (with the private key: test keys) and
    // UnionPay's middle and root certificates, which vouch for signPubKeyCert.
    keys: () => ({ merId, certId: keys.merchantCertId, merchantCertificate: keys.merchantCertPem, merchantPrivateKey: keys.merchantKey.export({ type: 'pkcs8', format: 'pem' }), middleCertificate: keys.middlePem, rootCertificate: keys.rootPem }),
    routes: (a) => {
      registerGateway(a, ctx);
      registerCashier(a, ctx, (t, pan) => cardholderPays(ctx, t, pan));
    },
    onClose: () => {
      for (const t of timers) t.cancel();
      timers.clear();
    },
  });
  return { ledger, app, behaviour, webhooks, seed, merId, keys };
}

/** Start the UnionPay simulator on 127.0.0.1 (port 0 unless given); the gateway is `${url}/gateway/api/…`. */
export const startUnionPaySim = simulatorStarter<UnionPaySimOptions, UnionPaySim>({ provider: 'unionpay', build: buildUnionPaySim });
