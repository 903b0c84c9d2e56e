import type { FastifyInstance, FastifyRequest } from 'fastify';
// The providers' id names (out_trade_no, pspReference …) are registered when conventions load;
// without them a numeric order number that passes Luhn would be taken for a card.
import '../../src/conventions/index.js';
import { isReferenceKey, isSensitiveKey, maskCardNumbers } from '../../src/kernel/index.js';

/**
 * Card numbers a merchant writes where none belongs (issue #18 item 4): a description, metadata,
 * a shopper's name, a reference, a notify URL's query, a path id. Real providers never show a
 * full card number back (Stripe and Adyen answer with the last four); a harness for PCI-minded
 * teams must not carry one either — not in an answer, a webhook, the ledger, a settlement file
 * or a log line. So a simulator masks them as the request arrives, before any of its code sees
 * the request, and everything it derives (objects, events, ledger rows) holds the mask:
 *
 *   body, query, params ──► each string: Luhn-valid 13–19 digit card shape? ──► [REDACTED PAN …4242]
 *        │                   a key's name too (metadata[4242…]=x)
 *        └─ left as sent:  fields that take a card number (card.number, paymentMethod.number: the
 *                          provider's own code uses or refuses it and never echoes it), secrets
 *                          by name (cvc, sign), and `keep` (fields a provider refuses itself, e.g.
 *                          Stripe's payment_method, with its own error)
 *
 * Context decides, as in the log redactor: a glued digit run in an id field (out_trade_no,
 * pspReference, invoice_id) is the merchant's order number and stays; written with separators
 * (4242 4242 …) it is a card number anywhere. Masking is deterministic, so a reference masked
 * on create is masked the same way on query and lookups still meet.
 */
export function maskCardNumbersIn(value: unknown, keep: readonly string[] = [], key?: string, parentKey?: string): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && (keep.includes(key) || isSensitiveKey(key, parentKey))) return value;
    return maskCardNumbers(value, key !== undefined && isReferenceKey(key));
  }
  if (Array.isArray(value)) return value.map((item) => maskCardNumbersIn(item, keep, key, parentKey));
  if (value === null || typeof value !== 'object') return value;
  if (key !== undefined && keep.includes(key)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const name = maskCardNumbers(k);
    // `__proto__` as a key (JSON.parse makes it an own property) must stay a property.
    Object.defineProperty(out, name, { value: maskCardNumbersIn(v, keep, k, key), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Mask card numbers in every request's body, query and path parameters, as a preHandler added
 * after the provider's own hooks: a signature over the body (WeChat Pay's) is verified on what
 * was sent, the routes see the masked request. Control routes (`/__sim/`) are left alone.
 */
export function maskCardNumbersOnArrival(app: FastifyInstance, keep: readonly string[] = []): void {
  app.addHook('preHandler', (req: FastifyRequest, _reply, done) => {
    if (!req.url.startsWith('/__sim/')) {
      if (req.body !== undefined && req.body !== null && typeof req.body === 'object') req.body = maskCardNumbersIn(req.body, keep);
      req.query = maskCardNumbersIn(req.query, keep);
      req.params = maskCardNumbersIn(req.params, keep);
    }
    done();
  });
}
