import { describe, expect, it } from 'vitest';
import { checkForgedWebhooksRejected, type WebhookAttemptRow } from '../../../src/analysis/index.js';

const attempt = (over: Partial<WebhookAttemptRow>): WebhookAttemptRow => ({ provider: 'stripe', eventId: 'evt_1', type: 'payment_intent.succeeded', badSignature: false, accepted: true, status: 200, ...over });

describe('webhooks-forged-rejected', () => {
  it.each([
    { name: 'no attempts: nothing to judge, held', rows: [], passed: true, checked: 0, violations: 0 },
    { name: 'genuine attempts acknowledged are not its business', rows: [attempt({}), attempt({ eventId: 'evt_2' })], passed: true, checked: 0, violations: 0 },
    { name: 'forged attempts refused (401) or unanswered hold', rows: [attempt({ badSignature: true, accepted: false, status: 401 }), attempt({ badSignature: true, accepted: false, status: undefined })], passed: true, checked: 2, violations: 0 },
    { name: 'a forged attempt acknowledged fails it', rows: [attempt({ badSignature: true, accepted: false, status: 401 }), attempt({ provider: 'adyen', eventId: 'ntf_9', type: 'AUTHORISATION', badSignature: true, accepted: true, url: 'http://127.0.0.1:1/webhooks/adyen' })], passed: false, checked: 2, violations: 1 },
  ])('$name', ({ rows, passed, checked, violations }) => {
    const result = checkForgedWebhooksRejected(rows);
    expect(result).toMatchObject({ name: 'webhooks-forged-rejected', passed, checked });
    expect(result.violations).toHaveLength(violations);
  });

  it('names the provider, the event and who acknowledged it', () => {
    const [v] = checkForgedWebhooksRejected([attempt({ provider: 'adyen', eventId: 'ntf_9', type: 'AUTHORISATION', badSignature: true, accepted: true, status: 200, url: 'http://127.0.0.1:1/webhooks/adyen' })]).violations;
    expect(v).toMatchObject({ provider: 'adyen', paymentIds: ['ntf_9'] });
    expect(v!.message).toBe('adyen AUTHORISATION ntf_9: signed with the wrong secret, yet acknowledged (HTTP 200) by http://127.0.0.1:1/webhooks/adyen');
  });
});
