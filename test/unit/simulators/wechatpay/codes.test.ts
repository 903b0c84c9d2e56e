import { describe, expect, it } from 'vitest';
import { NORMALISED_CODES } from '../../../../src/conventions/index.js';
import { WECHAT_CODES, WECHAT_OUTCOMES, WECHAT_TRADE_STATES, normaliseWechatCode } from '../../../../simulators/wechatpay/index.js';

describe('WeChat Pay code table', () => {
  it('maps every error code and trade_state into the normalised set', () => {
    for (const entry of Object.values(WECHAT_CODES)) expect(Object.keys(NORMALISED_CODES)).toContain(entry.normalised);
    for (const n of Object.values(WECHAT_TRADE_STATES)) if (n !== undefined) expect(Object.keys(NORMALISED_CODES)).toContain(n);
  });

  it('lets a profile force only codes the table knows (or PAYERROR)', () => {
    for (const code of WECHAT_OUTCOMES) expect(code === 'PAYERROR' || code in WECHAT_CODES).toBe(true);
  });

  it.each([
    [{ code: 'NOTENOUGH', status: 403 }, 'insufficient_funds'],
    [{ code: 'ORDERPAID', status: 400 }, 'duplicate_transaction'],
    [{ code: 'ORDER_CLOSED', status: 400 }, 'order_closed'],
    [{ code: 'SYSTEM_ERROR', status: 500 }, 'provider_error'],
    [{ code: 'FREQUENCY_LIMITED', status: 429 }, 'rate_limited'],
    [{ code: 'SIGN_ERROR', status: 401 }, 'invalid_request'],
    [{ code: 'BANKERROR', status: 500 }, 'issuer_unavailable'],
    [{ code: 'SOMETHING_NEW', status: 502 }, 'provider_error'],
    [{ trade_state: 'NOTPAY' }, 'outcome_unknown'],
    [{ trade_state: 'PAYERROR' }, 'card_declined'],
    [{ trade_state: 'CLOSED' }, 'order_closed'],
  ])('maps %j to %s', (answer, normalised) => {
    expect(normaliseWechatCode(answer)).toBe(normalised);
  });
});
