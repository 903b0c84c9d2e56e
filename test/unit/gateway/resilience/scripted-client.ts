import type { ChargeRequest, ChargeResult } from '../../../../gateway/clients/index.js';
import type { RoutableClient } from '../../../../gateway/resilience/index.js';

/**
 * A provider client whose answers a test scripts, keeping every request it was sent — what the
 * provider may have acted on. `answer` is consulted per call; `charged` lists the provider keys of
 * the calls that took money (a succeeded answer, or an unknown one the script says committed).
 */
export interface ScriptedClient extends RoutableClient {
  readonly calls: ChargeRequest[];
  answer: (req: ChargeRequest, n: number) => ChargeResult | Promise<ChargeResult>;
}

export function scripted(provider: string, answer: ScriptedClient['answer'] = () => ok): ScriptedClient {
  const calls: ChargeRequest[] = [];
  const client: ScriptedClient = {
    provider,
    calls,
    answer,
    async charge(req) {
      calls.push(req);
      return client.answer(req, calls.length);
    },
  };
  return client;
}

export const ok: ChargeResult = { outcome: 'succeeded', paymentId: 'p_1', providerStatus: 200 };
export const refused: ChargeResult = { outcome: 'failed', errorCode: 'network_error', providerCode: 'ECONNREFUSED', providerStatus: 0 };
export const timedOut: ChargeResult = { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'timeout', providerStatus: 0 };
export const chargedThen500: ChargeResult = { outcome: 'pending', errorCode: 'provider_error', providerStatus: 500 };
export const declined: ChargeResult = { outcome: 'failed', errorCode: 'card_declined', providerCode: 'generic_decline', providerStatus: 402 };
export const unavailable: ChargeResult = { outcome: 'failed', errorCode: 'provider_unavailable', providerCode: '703', providerStatus: 503 };

let n = 0;
export function order(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  n++;
  return { orderId: `ord_${n}`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: `gw-key-${n}`, ...overrides };
}

export const instant = { sleep: async () => {} };
