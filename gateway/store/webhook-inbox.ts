import type { GroupCommit } from './group-commit.js';
import type { Db } from './open.js';

/** A provider's notification as received. */
export interface WebhookEvent {
  readonly provider: string;
  /** The provider's own id of the event: Stripe `evt_…`, Adyen `pspReference`+`eventCode`, Alipay `notify_id`, WeChat `id`, PayPal `id`. */
  readonly eventId: string;
  readonly eventType?: string;
  readonly paymentId?: string;
  /** The verified body, kept as received (a string), for audit and replay. */
  readonly payload: string;
  readonly receivedAt: number;
}

/**
 * The webhook inbox, de-duplicated by (provider, event id): providers deliver at least once
 * (Alipay's notify_id is stable across its 8 retries; WeChat's copies can come a second apart), so
 * the receiver applies an event only the first time it is recorded.
 */
export class WebhookInbox {
  readonly #insert;
  readonly #processed;

  readonly #group: GroupCommit;

  constructor(db: Db, group: GroupCommit) {
    this.#group = group;
    this.#insert = db.prepare('INSERT INTO webhook_inbox (provider, event_id, event_type, payment_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (provider, event_id) DO NOTHING');
    this.#processed = db.prepare('UPDATE webhook_inbox SET processed_at = ? WHERE provider = ? AND event_id = ?');
  }

  /** Record an event; true when it is new (apply it), false when this provider already sent this id (acknowledge only). */
  record(event: WebhookEvent): boolean {
    return this.#group.one(() => this.#insert.run(event.provider, event.eventId, event.eventType ?? null, event.paymentId ?? null, event.payload, event.receivedAt).changes === 1);
  }

  markProcessed(provider: string, eventId: string, now: number): void {
    this.#group.one(() => this.#processed.run(now, provider, eventId));
  }
}
