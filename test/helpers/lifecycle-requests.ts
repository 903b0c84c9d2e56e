import { expect } from 'vitest';
import type { BuiltGateway } from '../../gateway/index.js';

/** POST /payments/{id}/capture on an in-process gateway; no key when `key` is undefined (the refusal tests). */
export const captureRequest = (gw: BuiltGateway, paymentId: string, key: string | undefined, payload: Record<string, unknown> = {}) =>
  gw.app.inject({ method: 'POST', url: `/payments/${paymentId}/capture`, headers: key !== undefined ? { 'idempotency-key': key } : {}, payload });

/** POST /payments/{id}/cancel on an in-process gateway. */
export const cancelRequest = (gw: BuiltGateway, paymentId: string, key: string) =>
  gw.app.inject({ method: 'POST', url: `/payments/${paymentId}/cancel`, headers: { 'idempotency-key': key }, payload: {} });

/** The amounts of one kind of movement a simulator's ledger holds for an order (what moved at the provider). */
export const movedAt = (sim: { ledger: { byOrder(orderId: string): ReadonlyArray<{ kind: string; amount: number }> } }, orderId: string, kind: string): number[] =>
  sim.ledger.byOrder(orderId).filter((e) => e.kind === kind).map((e) => e.amount);

/**
 * A capture and a cancel of one held payment sent at the same instant: exactly one moved money at
 * the provider, a 201 only for the one that did, never both, and the gateway's books agree.
 * Returns whether the capture won.
 */
export async function expectCaptureCancelRace(gw: BuiltGateway, p: { paymentId: string; orderId: string }, round: number, amount: number, moved: (orderId: string, kind: string) => number[]): Promise<boolean> {
  const [c, x] = await Promise.all([captureRequest(gw, p.paymentId, `c-${round}`), cancelRequest(gw, p.paymentId, `x-${round}`)]);
  const captured = moved(p.orderId, 'capture');
  const voided = moved(p.orderId, 'void');
  expect(captured.length + voided.length).toBe(1);
  if (c.statusCode === 201) expect(captured).toEqual([amount]);
  if (x.statusCode === 201) expect(voided).toEqual([amount]);
  expect(c.statusCode === 201 && x.statusCode === 201).toBe(false);
  expect(gw.store.ledger.captured(p.paymentId)).toBe(captured.length === 1 ? amount : 0);
  return captured.length === 1;
}
