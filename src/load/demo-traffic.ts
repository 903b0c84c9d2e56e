import { pickWeighted, type Rng } from './rng.js';

/**
 * The demo's shoppers: mostly good cards, a realistic sprinkle of declines, and the client
 * behaviours a checkout must survive — a double click (two concurrent submits, same key) and
 * the dangerous retry (same order, a new key) that only an order-level guard stops.
 */
export type ShopperBehaviour = 'pay' | 'double_click' | 'retry_new_key';

export interface ShopperRequest {
  idempotencyKey: string;
  /** Sent this long after the shopper arrived; `afterPrevious` waits for the previous answer first. */
  delayMs: number;
  afterPrevious: boolean;
  behaviour: 'first' | 'duplicate' | 'new_key';
}

export interface ShopperPlan {
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  behaviour: ShopperBehaviour;
  requests: ShopperRequest[];
}

const PAYMENT_METHODS: ReadonlyArray<readonly [string, number]> = [
  ['pm_card_visa', 90],
  ['pm_card_chargeDeclined', 3],
  ['pm_card_chargeDeclinedInsufficientFunds', 3],
  ['pm_card_chargeDeclinedExpiredCard', 1],
  ['pm_card_chargeDeclinedIncorrectCvc', 1],
  ['pm_card_chargeDeclinedProcessingError', 1],
  ['pm_card_authenticationRequired', 1],
];
const CURRENCIES: ReadonlyArray<readonly [string, number]> = [
  ['eur', 50],
  ['usd', 30],
  ['cny', 20],
];
const BEHAVIOURS: ReadonlyArray<readonly [ShopperBehaviour, number]> = [
  ['pay', 95],
  ['double_click', 3],
  ['retry_new_key', 2],
];

export function planShopper(index: number, rng: Rng, runId: string): ShopperPlan {
  const orderId = `${runId}-o${index}`;
  const behaviour = pickWeighted(BEHAVIOURS, rng());
  const first: ShopperRequest = { idempotencyKey: `${orderId}-k1`, delayMs: 0, afterPrevious: false, behaviour: 'first' };
  const requests: ShopperRequest[] = [first];
  if (behaviour === 'double_click') requests.push({ idempotencyKey: first.idempotencyKey, delayMs: Math.floor(rng() * 20), afterPrevious: false, behaviour: 'duplicate' });
  if (behaviour === 'retry_new_key') requests.push({ idempotencyKey: `${orderId}-k2`, delayMs: 0, afterPrevious: true, behaviour: 'new_key' });
  return {
    orderId,
    amount: 100 + Math.floor(rng() * 49_900),
    currency: pickWeighted(CURRENCIES, rng()),
    paymentMethod: pickWeighted(PAYMENT_METHODS, rng()),
    behaviour,
    requests,
  };
}
