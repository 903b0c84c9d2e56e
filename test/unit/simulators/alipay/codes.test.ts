import { describe, expect, it } from 'vitest';
import { ALIPAY_GATEWAY_CODES, ALIPAY_OUTCOMES, ALIPAY_SUB_CODES, normaliseAlipayCode } from '../../../../simulators/alipay/index.js';
import { NORMALISED_CODES } from '../../../../src/conventions/index.js';

describe('Alipay code table', () => {
  it('maps every sub_code into the normalised set, under a known gateway code', () => {
    for (const [sub, entry] of Object.entries(ALIPAY_SUB_CODES)) {
      expect(Object.keys(NORMALISED_CODES), sub).toContain(entry.normalised);
      expect(Object.keys(ALIPAY_GATEWAY_CODES), sub).toContain(entry.code);
    }
  });

  it('lets a profile force only codes the table knows (or 10003)', () => {
    for (const code of ALIPAY_OUTCOMES) expect(code === '10003' || code in ALIPAY_SUB_CODES).toBe(true);
  });

  it.each([
    [{ code: '40004', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' }, 'insufficient_funds'],
    [{ code: '40004', sub_code: 'ACQ.PAYMENT_REQUEST_HAS_RISK' }, 'fraud_suspected'],
    [{ code: '40004', sub_code: 'ACQ.TRADE_HAS_SUCCESS' }, 'duplicate_transaction'],
    [{ code: '40004', sub_code: 'ACQ.TRADE_HAS_CLOSE' }, 'order_closed'],
    [{ code: '40004', sub_code: 'ACQ.TOTAL_FEE_EXCEED' }, 'limit_exceeded'],
    [{ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' }, 'invalid_request'],
    [{ code: '20000', sub_code: 'ACQ.SYSTEM_ERROR' }, 'provider_error'],
    [{ code: '20000', sub_code: 'isp.something-new' }, 'provider_error'],
    [{ code: '40002', sub_code: 'isv.invalid-signature' }, 'invalid_request'],
    [{ code: '10003' }, 'outcome_unknown'],
    [{ code: '20000' }, 'provider_unavailable'],
    [{ code: '40004', sub_code: 'ACQ.SOMETHING_NEW' }, 'unknown'],
  ])('maps %j to %s', (answer, normalised) => {
    expect(normaliseAlipayCode(answer)).toBe(normalised);
  });
});
