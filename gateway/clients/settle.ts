import { setTimeout as sleep } from 'node:timers/promises';
import type { ChargeResult } from './provider-client.js';

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 500;
/** A query started close to the deadline still gets this long: a shorter timeout would only fail. */
const MIN_QUERY_MS = 250;

/** What one status query learned: the end, news that changes the pending answer, or nothing. */
export type SettleStep = { readonly kind: 'final'; readonly result: ChargeResult } | { readonly kind: 'stop' } | { readonly kind: 'waiting'; readonly known?: ChargeResult } | { readonly kind: 'unknown' };

/**
 * Poll a payment that waits for the shopper (a wallet confirmed on the phone) until the provider
 * says how it ended or the deadline passes, backing off from 100 ms to 500 ms. Until then the
 * answer is `known` (pending), updated by what each query learns; `stop` ends the wait early.
 */
export async function settle(deadline: number, known: ChargeResult, callTimeoutMs: number, query: (timeoutMs: number) => Promise<SettleStep>): Promise<ChargeResult> {
  for (let gap = FIRST_POLL_MS; ; gap = Math.min(gap * 2, MAX_POLL_MS)) {
    const left = deadline - performance.now();
    if (left <= 0) return known;
    await sleep(Math.min(gap, left));
    const step = await query(Math.min(callTimeoutMs, Math.max(deadline - performance.now(), MIN_QUERY_MS)));
    if (step.kind === 'final') return step.result;
    if (step.kind === 'stop') return known;
    if (step.kind === 'waiting' && step.known) known = step.known;
  }
}
