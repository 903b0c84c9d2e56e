import { describe, expect, it } from 'vitest';
import { LOCALWALLET_CODE_TABLE, normaliseLocalWalletCode } from '../../../gateway/clients/localwallet.js';
import { isNormalisedCode } from '../../../src/conventions/index.js';

describe('localwallet code table', () => {
  it.each([
    [402, 'INSUFFICIENT_BALANCE', 'insufficient_funds'],
    [402, 'RISK_REJECTED', 'fraud_suspected'],
    [401, 'UNAUTHORIZED', 'invalid_request'],
    [429, 'RATE_LIMITED', 'rate_limited'],
    [409, 'CHARGE_NOT_REFUNDABLE', 'invalid_request'],
    // Codes the wallet's README does not name are read by their status.
    [402, 'SOMETHING_NEW', 'card_declined'],
    [402, undefined, 'card_declined'],
    [401, undefined, 'invalid_request'],
    [404, 'NOT_FOUND', 'invalid_request'],
    [500, undefined, 'unknown'],
  ] as const)('reads %i %s as %s', (status, code, expected) => {
    expect(normaliseLocalWalletCode(status, code)).toBe(expected);
  });

  it('maps only to normalised codes, and the code wins over the status', () => {
    for (const code of Object.values(LOCALWALLET_CODE_TABLE)) expect(isNormalisedCode(code)).toBe(true);
    expect(normaliseLocalWalletCode(400, 'INSUFFICIENT_BALANCE')).toBe('insufficient_funds');
  });

  it('does not read inherited keys as codes', () => {
    expect(normaliseLocalWalletCode(402, 'toString')).toBe('card_declined');
  });
});
