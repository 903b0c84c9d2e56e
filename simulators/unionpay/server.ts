import type { FastifyInstance } from 'fastify';
import { DEFAULT_RETAIN, Random, randomSeed, systemClock, type Clock, type TimerHandle } from '../../src/kernel/index.js';
import { Behaviour, IdGenerator, Ledger, SpillStore, WebhookDispatcher, buildSimApp, settlementReportOf, simulatorStarter, type StartedSim, type Transport, withContractRate, type ContractRate } from '../core/index.js';
import { registerCashier } from './cashier.js';
import { UNIONPAY_OUTCOMES } from './codes.js';
import { unionPayKeys, type UnionPayKeys } from './keys.js';
import { unionPayNotifyProtocol } from './notify.js';
import { UNIONPAY_CYCLE, UNIONPAY_FEES, unionPaySettlementCsv, unionPaySettlementReportCsv } from './settlement.js';
import { UnionPayState, type UnionPayContext } from './state.js';
import { cardholderPays, registerGateway } from './trans.js';
import { unionPayErrorShape } from './errors.js';

export interface UnionPaySimOptions {
  /** The merchant's contract rate over the list price the settlement report charges by (`stack.fees`). */
  fees?: ContractRate;
  /** Wall-clock time for ledger entries and UnionPay's time fields. */
  now?: () => Date;
  seed?: number;
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
  transport?: Transport;
  instanceId?: string;
  /** Transactions kept in memory (default 200,000); older ones are spilled to a temporary SQLite database and read back when asked for. */
  retain?: number;
}

export interface UnionPaySim {
  readonly ledger: Ledger;
  readonly app: FastifyInstance;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly seed: number;
  readonly merId: string;
  readonly keys: UnionPayKeys;
}

export type StartedUnionPaySim = StartedSim<UnionPaySim>;

export const DEFAULT_UNIONPAY_MER_ID = '777290058110048';

export function buildUnionPaySim(options: UnionPaySimOptions = {}): UnionPaySim {
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? randomSeed();
  const random = new Random(seed);
  const merId = options.merId ?? DEFAULT_UNIONPAY_MER_ID;
  const ids = new IdGenerator(random.fork(), options.instanceId ?? '');
  const keys = unionPayKeys(now(), ids.digits(8));
  const ledger = new Ledger('unionpay', now);
  const clock = options.clock ?? systemClock;
  const behaviour = new Behaviour({ outcomeCodes: UNIONPAY_OUTCOMES, random: random.fork(), now: () => now().getTime(), initial: options.profile });
  const webhooks = new WebhookDispatcher({
    protocol: unionPayNotifyProtocol(keys.signKey),
    clock,
    random: random.fork(),
    settings: () => behaviour.profile.webhooks,
    wallNow: () => now().getTime(),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  // Transactions past `retain` go to disk, not away (issue 19): closed with the app.
  const spill = new SpillStore();
  const state = new UnionPayState(options.retain ?? DEFAULT_RETAIN, spill);
  // In-progress consumes and cardholders' payments still to come: none fires after close.
  const timers = new Set<TimerHandle>();
  const later = (ms: number, fn: () => void): void => {
    const handle = clock.schedule(ms, () => {
      timers.delete(handle);
      fn();
    });
    timers.add(handle);
  };
  const ctx: UnionPayContext = { merId, keys, ledger, state, behaviour, webhooks, ids, random: random.fork(), clock, processingMs: options.processingMs ?? 2000, shopperDelayMs: options.shopperDelayMs, now, later };
  const app = buildSimApp({
    ledger,
    errors: unionPayErrorShape(ctx),
    behaviour,
    webhooks,
    // Masked after the signature is verified over the fields as sent (trans.ts).
    cardNumbers: { onArrival: false },
    settlementCsv: () => unionPaySettlementCsv(ledger.entries()),
    settlementReport: settlementReportOf({ ledger, behaviour, clock, fees: withContractRate(UNIONPAY_FEES, options.fees), cycle: UNIONPAY_CYCLE, seed }, unionPaySettlementReportCsv),
    // What a merchant configures: its merId, certificate (with the private key: test keys) and
    // UnionPay's middle and root certificates, which vouch for signPubKeyCert.
    keys: () => ({ merId, certId: keys.merchantCertId, merchantCertificate: keys.merchantCertPem, merchantPrivateKey: keys.merchantKey.export({ type: 'pkcs8', format: 'pem' }), middleCertificate: keys.middlePem, rootCertificate: keys.rootPem }),
    routes: (a) => {
      registerGateway(a, ctx);
      registerCashier(a, ctx, (t, pan) => cardholderPays(ctx, t, pan));
    },
  });
  app.addHook('onClose', async () => {
    for (const t of timers) t.cancel();
    timers.clear();
    webhooks.close();
    spill.close();
  });
  return { ledger, app, behaviour, webhooks, seed, merId, keys };
}

/** Start the UnionPay simulator on 127.0.0.1 (port 0 unless given); the gateway is `${url}/gateway/api/…`. */
export const startUnionPaySim = simulatorStarter<UnionPaySimOptions, UnionPaySim>({ provider: 'unionpay', build: buildUnionPaySim });
