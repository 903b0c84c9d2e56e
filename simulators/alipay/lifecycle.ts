import { markPaid, notify, type AlipayContext } from './context.js';
import type { AlipayTrade } from './objects.js';

/**
 * What happens to a WAIT_BUYER_PAY trade without the merchant, on the simulator's clock:
 *
 * - `timeout_express` ("90m", "2h", "1d"; "1c" = the end of today, Beijing time): unpaid by then,
 *   the trade closes (TRADE_CLOSED, notified), as Alipay closes abandoned trades;
 * - option `buyerDelayMs`: the buyer scans and pays that long after the trade is made — load
 *   tests need payments to complete without a `/__sim/buyer` call per order.
 */
export function parseTimeoutExpress(text: unknown, now: Date): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{1,4})([mhdc])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n <= 0) return undefined;
  switch (m[2]) {
    case 'm':
      return n * 60_000;
    case 'h':
      return n * 3_600_000;
    case 'd':
      return n * 86_400_000;
    default: {
      // "1c": until midnight Beijing time (UTC+8) of the day the trade was made.
      const beijing = now.getTime() + 8 * 3_600_000;
      return 86_400_000 - (beijing % 86_400_000);
    }
  }
}

export function scheduleLifecycle(ctx: AlipayContext, trade: AlipayTrade, timeoutMs: number | undefined): void {
  // Looked up again when the timer fires, never held: by then the trade may have been spilled to
  // disk and read back (objects.ts), and a held copy would close a trade the buyer has paid.
  const tradeNo = trade.tradeNo;
  if (timeoutMs !== undefined) {
    ctx.clock.schedule(timeoutMs, () => {
      const t = ctx.state.byTradeNo.get(tradeNo);
      if (t === undefined || t.status !== 'WAIT_BUYER_PAY') return;
      t.scanned = true;
      t.status = 'TRADE_CLOSED';
      t.closedAt = ctx.now();
      notify(ctx, t);
    });
  }
  if (ctx.buyerDelayMs !== undefined) {
    ctx.clock.schedule(ctx.buyerDelayMs, () => {
      const t = ctx.state.byTradeNo.get(tradeNo);
      if (t !== undefined && t.status === 'WAIT_BUYER_PAY') markPaid(ctx, t);
    });
  }
}
