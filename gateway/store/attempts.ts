import type { GroupCommit } from './group-commit.js';
import type { Db } from './open.js';

/** One provider call as recorded: a charge, or a status query made to settle a payment. */
export interface AttemptRecord {
  readonly attemptId: number;
  readonly paymentId: string;
  readonly kind: 'charge' | 'query';
  readonly provider: string;
  readonly providerKey: string;
  readonly outcome?: string;
  readonly errorCode?: string;
  readonly providerCode?: string;
  readonly providerStatus?: number;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
}

/**
 * The attempts table: a row is written before the call (so a crash mid-call leaves the evidence
 * that the provider may have been reached, and when) and completed after it.
 */
export class Attempts {
  readonly #begin;
  readonly #finish;
  readonly #forPayment;
  readonly #lastCharge;

  readonly #group: GroupCommit;

  constructor(db: Db, group: GroupCommit) {
    this.#group = group;
    this.#begin = db.prepare('INSERT INTO attempts (payment_id, kind, provider, provider_key, started_at) VALUES (?, ?, ?, ?, ?)');
    this.#finish = db.prepare(
      'UPDATE attempts SET outcome = @outcome, error_code = @errorCode, provider_code = @providerCode, provider_status = @providerStatus, finished_at = @now, duration_ms = @durationMs WHERE attempt_id = @attemptId',
    );
    this.#forPayment = db.prepare<[string], Record<string, unknown>>('SELECT * FROM attempts WHERE payment_id = ? ORDER BY attempt_id');
    this.#lastCharge = db.prepare<[string], { started_at: number }>("SELECT started_at FROM attempts WHERE payment_id = ? AND kind = 'charge' ORDER BY attempt_id DESC LIMIT 1");
  }

  begin(paymentId: string, kind: 'charge' | 'query', provider: string, providerKey: string, now: number): number {
    return this.#group.one(() => Number(this.#begin.run(paymentId, kind, provider, providerKey, now).lastInsertRowid));
  }

  finish(attemptId: number, result: { outcome: string; errorCode?: string | undefined; providerCode?: string | undefined; providerStatus: number }, now: number, durationMs: number): void {
    this.#group.one(() => this.#finish.run({ attemptId, outcome: result.outcome, errorCode: result.errorCode ?? null, providerCode: result.providerCode ?? null, providerStatus: result.providerStatus, now, durationMs }));
  }

  /** When the payment's last charge call started: how long the provider has had to record it. */
  lastChargeStartedAt(paymentId: string): number | undefined {
    return this.#lastCharge.get(paymentId)?.started_at;
  }

  forPayment(paymentId: string): AttemptRecord[] {
    return this.#forPayment.all(paymentId).map((r) => ({
      attemptId: r.attempt_id as number,
      paymentId: r.payment_id as string,
      kind: r.kind as 'charge' | 'query',
      provider: r.provider as string,
      providerKey: r.provider_key as string,
      ...(r.outcome !== null ? { outcome: r.outcome as string } : {}),
      ...(r.error_code !== null ? { errorCode: r.error_code as string } : {}),
      ...(r.provider_code !== null ? { providerCode: r.provider_code as string } : {}),
      ...(r.provider_status !== null ? { providerStatus: r.provider_status as number } : {}),
      startedAt: r.started_at as number,
      ...(r.finished_at !== null ? { finishedAt: r.finished_at as number } : {}),
      ...(r.duration_ms !== null ? { durationMs: r.duration_ms as number } : {}),
    }));
  }
}
