import type { Logger } from '../src/kernel/index.js';
import { shareNumber, type ProviderClient } from './clients/index.js';
import type { GatewayStore, PaymentRecord } from './store/index.js';

/**
 * A marketplace order's split where the provider shares it in a call of its own once the payment
 * succeeded (Alipay 分账, WeChat Pay profit sharing). The capture books the split's commission
 * and the debt to the receiver, and marks the split `pending`; this sends the share and books the
 * transfer only once the provider confirms it:
 *
 *   settled, split pending ─▶ share(no = shareNumber(payment)) ─┬─ shared  ─▶ transfer booked, `shared`
 *                     ▲                                        ├─ pending ─▶ left pending
 *                     └── recovery pass: query first, same no ◀┘ failed  ─▶ `failed` (the receiver is still owed)
 *
 * The number is a function of the payment, so the request's own call, the loop's and a restarted
 * gateway's are one share at the provider: never doubled. One share per payment at a time
 * (`working`, keyed `split:<payment>`).
 */
export class SplitSharing {
  readonly #store: GatewayStore;
  readonly #clients: ReadonlyMap<string, ProviderClient>;
  readonly #working: Set<string>;
  readonly #splitOff: boolean;
  readonly #log: Logger | undefined;

  /** `splitOff`: the unsent-split regression — books the share as done without telling the provider. */
  constructor(store: GatewayStore, clients: ReadonlyMap<string, ProviderClient>, working: Set<string>, splitOff: boolean, log?: Logger) {
    this.#store = store;
    this.#clients = clients;
    this.#working = working;
    this.#splitOff = splitOff;
    this.#log = log;
  }

  /** Providers whose clients share a split after the payment (GatewayStore's splitsAfterPayment). */
  static providers(clients: ReadonlyMap<string, ProviderClient>): string[] {
    return [...clients.values()].filter((c) => typeof c.shareSplit === 'function').map((c) => c.provider);
  }

  /**
   * Share one payment's pending split. `resume`: an earlier call may have reached the provider
   * (the loop, a restart), so ask first. Returns the payment as it now stands.
   */
  async share(payment: PaymentRecord, resume: boolean): Promise<PaymentRecord> {
    const client = this.#clients.get(payment.provider);
    const key = `split:${payment.paymentId}`;
    if (payment.splitState !== 'pending' || !payment.split || !client?.shareSplit || this.#working.has(key)) return payment;
    if (this.#splitOff) return this.#store.splitShared(payment.paymentId) ?? payment;
    if (payment.providerPaymentId === undefined) {
      // Nothing to name the paid payment by yet (a settle that learned no trade_no): the next pass.
      this.#store.payments.touch(payment.paymentId, this.#store.now());
      return payment;
    }
    this.#working.add(key);
    try {
      const owed = this.#store.ledger.captured(payment.paymentId) - payment.split.platformFee;
      const result = await client
        .shareSplit({ providerPaymentId: payment.providerPaymentId, shareNo: shareNumber(payment.paymentId), amount: owed, currency: payment.currency, destination: payment.split.destination, orderId: payment.orderId, resume })
        .catch((err: unknown) => ({ state: 'pending' as const, providerCode: (err as Error).message.slice(0, 200), providerStatus: 0 }));
      const log = { orderId: payment.orderId, paymentId: payment.paymentId, provider: payment.provider, providerCode: result.providerCode, providerStatus: result.providerStatus };
      if (result.state === 'shared') {
        this.#log?.info(log, 'split shared');
        return this.#store.splitShared(payment.paymentId) ?? payment;
      }
      if (result.state === 'failed') {
        this.#log?.warn(log, 'split refused by the provider');
        this.#store.splitFailed(payment.paymentId);
      } else this.#store.payments.touch(payment.paymentId, this.#store.now());
      return this.#store.payments.get(payment.paymentId) ?? payment;
    } finally {
      this.#working.delete(key);
    }
  }

  /** Every split still pending (up to `limit`, oldest first), resumed: the recovery loop's part. */
  async resumePending(limit: number): Promise<number> {
    let shared = 0;
    for (const p of this.#store.payments.splitsPending(this.#store.now(), limit)) {
      if ((await this.share(p, true)).splitState === 'shared') shared++;
    }
    return shared;
  }
}
