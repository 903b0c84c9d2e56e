/**
 * The gateway's tables (docs/gateway.md "Durable state"). One statement per table, applied with
 * IF NOT EXISTS so opening an existing file is the same code path as creating one; `user_version`
 * names the layout so a later change can migrate instead of guessing.
 *
 *   idempotency_keys ──(payment_id)──▶ payments ◀──(payment_id)── attempts
 *                                         ▲
 *                      journal_lines ─▶ journal_entries        webhook_inbox (provider, event_id)
 *                                                               disputes (provider, dispute_id) ─▶ payments
 */
export const SCHEMA_VERSION = 5;

/**
 * What takes a file of an older layout to this one, by the version it has (open.ts runs them in
 * order, in the same transaction as SCHEMA). A fresh file gets the columns from SCHEMA itself.
 */
export const MIGRATIONS: Readonly<Record<number, readonly string[]>> = {
  // v2: a card's 3-D Secure challenge — where the shopper is sent to authenticate (issue #15).
  1: ['ALTER TABLE payments ADD COLUMN next_action_url TEXT'],
  // v3: a marketplace order's split — the connected account paid and the platform's commission (issue #15).
  2: ['ALTER TABLE payments ADD COLUMN split_destination TEXT', 'ALTER TABLE payments ADD COLUMN split_fee INTEGER'],
  // v4: a split shared after the payment (Alipay 分账, WeChat Pay profit sharing) — pending until the provider confirms it (issue #15).
  3: ['ALTER TABLE payments ADD COLUMN split_state TEXT'],
  // v5: two indexes every payment paid for and little read (issue #19, CPU per payment): entries_by_payment
  // duplicated the UNIQUE (payment_id, kind, reference) index; keys_by_payment held every key ever
  // answered, where finishFor looks only for keys at payment_created (SCHEMA recreates it partial).
  4: ['DROP INDEX IF EXISTS entries_by_payment', 'DROP INDEX IF EXISTS keys_by_payment'],
};

export const SCHEMA: readonly string[] = [
  // One row per payment the gateway made for an order. Several rows for one order are possible
  // (a failed payment, then a retry; or the skipOrderGuard regression): the newest one is the order's.
  `CREATE TABLE IF NOT EXISTS payments (
     payment_id          TEXT PRIMARY KEY,
     order_id            TEXT NOT NULL,
     amount              INTEGER NOT NULL,
     currency            TEXT NOT NULL,
     payment_method      TEXT NOT NULL,
     provider            TEXT NOT NULL,
     provider_key        TEXT NOT NULL,
     provider_reference  TEXT NOT NULL,
     provider_payment_id TEXT,
     status              TEXT NOT NULL CHECK (status IN ('pending','succeeded','failed')),
     error_code          TEXT,
     provider_code       TEXT,
     http_status         INTEGER,
     -- the boot (process run) whose request is calling the provider for it; NULL once answered
     in_flight_boot      TEXT,
     variant             TEXT NOT NULL,
     -- written by the resilience part (gateway/resilience/): NULL until a payment is failed over
     failover            INTEGER,
     failover_from       TEXT,
     failover_reason     TEXT,
     created_at          INTEGER NOT NULL,
     updated_at          INTEGER NOT NULL,
     -- a card payment waiting for its shopper's 3-D Secure challenge: the page to send them to
     next_action_url     TEXT,
     -- a marketplace order: the provider account (acct_…, a balance account) owed the sale, and
     -- the platform's commission in minor units; both NULL for an order that is not split
     split_destination   TEXT,
     split_fee           INTEGER,
     -- a split the provider shares in a call of its own after the payment (Alipay 分账, WeChat Pay
     -- profit sharing): 'pending' from the capture until the provider confirms it, then 'shared',
     -- or 'failed' when the provider refused it for good (the receiver is still owed: the books
     -- keep the debt and the reconciliation shows it); NULL for a split carried by the charge
     -- itself (Stripe, Adyen) and for an order not split
     split_state         TEXT CHECK (split_state IN ('pending','shared','failed'))
   )`,
  // The recovery loop's list of splits still to share stays small: only pending ones are in it.
  "CREATE INDEX IF NOT EXISTS payments_split_pending ON payments (updated_at) WHERE split_state = 'pending'",
  'CREATE INDEX IF NOT EXISTS payments_by_order ON payments (order_id, created_at)',
  // The recovery loop's work list stays small: only unsettled payments are in this index.
  "CREATE INDEX IF NOT EXISTS payments_unsettled ON payments (updated_at) WHERE status = 'pending'",
  // A provider's notification names the payment by the provider's id or by the merchant number it
  // files the order under; the latter differs from the order id only for Alipay/WeChat Pay (a
  // partial index: cards pay nothing for it).
  'CREATE INDEX IF NOT EXISTS payments_by_provider_id ON payments (provider_payment_id) WHERE provider_payment_id IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS payments_by_reference ON payments (provider_reference) WHERE provider_reference <> order_id',
  // One row per provider call (charge or query), with the provider key it carried.
  `CREATE TABLE IF NOT EXISTS attempts (
     attempt_id          INTEGER PRIMARY KEY AUTOINCREMENT,
     payment_id          TEXT NOT NULL REFERENCES payments (payment_id),
     kind                TEXT NOT NULL CHECK (kind IN ('charge','query')),
     provider            TEXT NOT NULL,
     provider_key        TEXT NOT NULL,
     outcome             TEXT,
     error_code          TEXT,
     provider_code       TEXT,
     provider_status     INTEGER,
     started_at          INTEGER NOT NULL,
     finished_at         INTEGER,
     duration_ms         REAL
   )`,
  'CREATE INDEX IF NOT EXISTS attempts_by_payment ON attempts (payment_id)',
  // Brandur Leach's key table: the request's fingerprint, a lock, the last committed phase
  // (recovery_point) and, once finished, the response to replay.
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
     idempotency_key     TEXT PRIMARY KEY,
     fingerprint         TEXT NOT NULL,
     locked_at           INTEGER,
     locked_boot         TEXT,
     recovery_point      TEXT NOT NULL CHECK (recovery_point IN ('started','payment_created','finished')),
     payment_id          TEXT,
     response_status     INTEGER,
     response_body       TEXT,
     created_at          INTEGER NOT NULL
   )`,
  'CREATE INDEX IF NOT EXISTS keys_by_age ON idempotency_keys (created_at)',
  // Settling a payment answers the keys its requests left (finishFor): without this, a scan of every key per payment.
  // Partial: only keys at payment_created (requests between their payment row and its answer) are
  // in it, so it stays a few pages however many keys are kept — a random leaf of an index of every
  // key was a page more written per commit.
  "CREATE INDEX IF NOT EXISTS keys_by_payment ON idempotency_keys (payment_id) WHERE recovery_point = 'payment_created'",
  // Notifications as received, once each: a provider's retry of an event is recognised by its id.
  `CREATE TABLE IF NOT EXISTS webhook_inbox (
     provider            TEXT NOT NULL,
     event_id            TEXT NOT NULL,
     event_type          TEXT,
     payment_id          TEXT,
     payload             TEXT NOT NULL,
     received_at         INTEGER NOT NULL,
     processed_at        INTEGER,
     PRIMARY KEY (provider, event_id)
   )`,
  // Double entry: an entry is balanced (its lines sum to zero per currency) or it is not written.
  `CREATE TABLE IF NOT EXISTS journal_entries (
     entry_id            INTEGER PRIMARY KEY AUTOINCREMENT,
     payment_id          TEXT NOT NULL,
     kind                TEXT NOT NULL,
     currency            TEXT NOT NULL,
     -- one movement per (payment, kind, reference): a replayed settle cannot book twice
     reference           TEXT NOT NULL,
     created_at          INTEGER NOT NULL,
     UNIQUE (payment_id, kind, reference)
   )`,
  `CREATE TABLE IF NOT EXISTS journal_lines (
     entry_id            INTEGER NOT NULL REFERENCES journal_entries (entry_id),
     account             TEXT NOT NULL,
     amount              INTEGER NOT NULL
   )`,
  'CREATE INDEX IF NOT EXISTS lines_by_entry ON journal_lines (entry_id)',
  // Entries by payment: the UNIQUE (payment_id, kind, reference) index above serves every lookup
  // by payment (its first column); a separate index on payment_id alone (before v5) only cost writes.
  // Disputes as the providers' notifications describe them (the money is in the journal:
  // chargeback and chargeback_reversal entries referenced by dispute id). Added in place: an
  // older file gains the table on its next opening.
  `CREATE TABLE IF NOT EXISTS disputes (
     provider            TEXT NOT NULL,
     dispute_id          TEXT NOT NULL,
     payment_id          TEXT NOT NULL,
     status              TEXT NOT NULL CHECK (status IN ('open','won','lost')),
     amount              INTEGER NOT NULL,
     currency            TEXT NOT NULL,
     reason              TEXT,
     opened_at           INTEGER NOT NULL,
     updated_at          INTEGER NOT NULL,
     PRIMARY KEY (provider, dispute_id)
   )`,
  'CREATE INDEX IF NOT EXISTS disputes_by_payment ON disputes (payment_id)',
];
