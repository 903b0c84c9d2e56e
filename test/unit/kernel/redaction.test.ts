import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, createLogger, isSensitiveKey, luhnValid, redact, redactString } from '../../../src/kernel/index.js';

const PAN = '4242424242424242';
const MASKED_PAN = '[REDACTED PAN …4242]';

type Line = Record<string, unknown>;

/** A logger writing into memory; `take()` returns the NDJSON written since the last call. */
function capturingLogger(): { log: ReturnType<typeof createLogger>; take: () => { raw: string; lines: Line[] } } {
  let chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ level: 'info', destination: stream, bindings: { runId: 'r1' } });
  return {
    log,
    take() {
      const raw = chunks.join('');
      chunks = [];
      return { raw, lines: raw.trim() === '' ? [] : raw.trim().split('\n').map((l) => JSON.parse(l) as Line) };
    },
  };
}

/** Log one object and return the single line pino wrote for it. */
function logged(obj: Record<string, unknown>, msg = 'x'): { raw: string; line: Line } {
  const { log, take } = capturingLogger();
  log.info(obj, msg);
  const { raw, lines } = take();
  expect(lines).toHaveLength(1);
  return { raw, line: lines[0]! };
}

describe('the logger closes the leaks found in review', () => {
  it('masks the CVC of a Stripe form body, as well as the card number', () => {
    const body = `amount=1000&currency=eur&card[number]=${PAN}&card[exp_month]=12&card[exp_year]=2030&card[cvc]=123`;
    const { raw, line } = logged({ body });
    expect(line.body).toBe(`amount=1000&currency=eur&card[number]=${MASKED_PAN}&card[exp_month]=12&card[exp_year]=2030&card[cvc]=${REDACTED}`);
    expect(raw).not.toContain('cvc]=123');

    const encoded = logged({ body: 'card%5Bnumber%5D=4000000000000002&card%5Bcvc%5D=999&capture_method=manual' }).line;
    expect(encoded.body).toBe(`card%5Bnumber%5D=[REDACTED PAN …0002]&card%5Bcvc%5D=${REDACTED}&capture_method=manual`);
  });

  it('masks the CVC of a JSON body logged as a string, and of a JSON body logged inside JSON', () => {
    const body = JSON.stringify({ amount: { value: 1000, currency: 'EUR' }, paymentMethod: { type: 'scheme', number: PAN, cvc: '737', holderName: 'J Smith' } });
    const { raw, line } = logged({ body });
    expect(raw).not.toContain('737');
    expect(JSON.parse(line.body as string)).toEqual({
      amount: { value: 1000, currency: 'EUR' },
      paymentMethod: { type: 'scheme', number: MASKED_PAN, cvc: REDACTED, holderName: 'J Smith' },
    });

    const nested = logged({ request: JSON.stringify({ body: JSON.stringify({ cvc: '737', amount: 1000 }) }) });
    expect(nested.raw).not.toContain('737');
    expect(nested.raw).toContain('amount');
  });

  it.each(['card_cvc', 'cardCvc', 'card[cvc]', 'card.cvc', 'CVC', 'cvc2', 'cvn', 'cvv', 'cvv2', 'Card-CVV2', 'csc', 'security_code', 'securityCode', 'cardSecurityCode'])(
    'masks a CVC under the key %s',
    (key) => {
      const { raw, line } = logged({ [key]: '7373', card: { [key]: 7373 } });
      expect(line[key]).toBe(REDACTED);
      expect((line.card as Line)[key]).toBe(REDACTED);
      expect(raw).not.toContain('7373');
    },
  );

  it('masks a card number used as an object key, keeping two that share their last four apart', () => {
    const { raw, line } = logged({ [PAN]: 'visa', byCard: { '4000056655665556': { attempts: 2 }, '5555555555554444': 1 }, other: { '4000000000004242': 1 } });
    expect(raw).not.toContain(PAN);
    expect(raw).not.toContain('4000056655665556');
    expect(raw).not.toContain('5555555555554444');
    expect(line[MASKED_PAN]).toBe('visa');
    expect(line.byCard).toEqual({ '[REDACTED PAN …5556]': { attempts: 2 }, '[REDACTED PAN …4444]': 1 });
    // Not Luhn-valid, so not a card number: left as it is.
    expect(line.other).toEqual({ '4000000000004242': 1 });

    const twins = redact({ [PAN]: 1, '4000000000024242': 2 }) as Line;
    expect(Object.keys(twins).sort()).toEqual([MASKED_PAN, `${MASKED_PAN} #2`]);
  });

  it('masks a card number that sits beside other numbers', () => {
    expect(redactString(`qty 2 ${PAN} ok`)).toBe(`qty 2 ${MASKED_PAN} ok`);
    expect(redactString(`${PAN} 12`)).toBe(`${MASKED_PAN} 12`);
    expect(redactString('order 1 4242 4242 4242 4242 30')).toBe(`order 1 ${MASKED_PAN} 30`);
    expect(redactString(`${PAN} 5555555555554444`)).toBe(`${MASKED_PAN} [REDACTED PAN …4444]`);
  });
});

/**
 * Every secret-bearing name of every provider we simulate. The secret is a distinctive token so
 * a leak shows up in the raw output whatever the context.
 */
const SECRET_NAMES = [
  // Stripe
  'Stripe-Signature', 'stripe_signature', 'client_secret', 'webhookSecret', 'api_key',
  // Adyen
  'x-api-key', 'X-API-Key', 'hmacSignature', 'additionalData.hmacSignature', 'hmacKey',
  // PayPal
  'PAYPAL-TRANSMISSION-SIG', 'paypal-transmission-sig', 'access_token', 'clientSecret',
  // WeChat Pay
  'Wechatpay-Signature', 'apiV3Key', 'merchantPrivateKey', 'private_key',
  // Alipay
  'sign', 'alipay_private_key', 'appPrivateKey',
  // generic
  'Authorization', 'authorization', 'AUTHORIZATION', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'password', 'secret', 'token',
  // card data by name
  'pan', 'cardNumber', 'card_number', 'card[number]', 'cvc', 'card[cvc]',
];
const SECRET = 'Zq9xSecretV4lue';

describe('every provider secret is masked by its name, in objects and inside strings', () => {
  it.each(SECRET_NAMES)('%s', (name) => {
    const { log, take } = capturingLogger();
    log.info({ [name]: SECRET, nested: { deeper: { [name]: SECRET } } });
    log.info({ form: `amount=100&${name}=${SECRET}&currency=eur` });
    log.info({ query: `https://pay.example/return?orderId=o1&${name}=${SECRET}&status=ok` });
    log.info({ json: JSON.stringify({ amount: 100, [name]: SECRET, currency: 'eur' }) });
    log.info({ headers: `POST /v1/pay HTTP/1.1\r\n${name}: ${SECRET}\r\nContent-Type: application/json\r\n\r\n` });
    log.info({ inspected: `{ amount: 100, '${name}': '${SECRET}', currency: 'eur' }` });
    log.info(`message ${name}=${SECRET} end`);
    const { raw, lines } = take();
    expect(lines).toHaveLength(7);
    expect(raw).not.toContain(SECRET);
    expect(lines[0]![name]).toBe(REDACTED);
    // The fields around the secret are still there.
    expect(lines[1]!.form).toBe(`amount=100&${name}=${REDACTED}&currency=eur`);
    expect(JSON.parse(lines[3]!.json as string)).toEqual({ amount: 100, [name]: REDACTED, currency: 'eur' });
    expect(lines[4]!.headers).toContain('Content-Type: application/json');
  });

  it('masks realistic signature and Authorization headers of every provider in a header dump', () => {
    const dump = [
      'POST /webhooks HTTP/1.1',
      'Host: localhost:3000',
      'Content-Type: application/json',
      'Idempotency-Key: 6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6',
      'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'Stripe-Signature: t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39',
      'Authorization: WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XmUgx9FQY4ceSIjd4ZwTEvRNWyV8QWzBtEMDhmtNMQJtXFq8A==",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"',
      'Wechatpay-Signature: CtcbzwtQjN8rnOXItEBJ5aQFSnIXESeV28Pr2YEmf9wsDQ8Nx25ytW6FXBCAFdrr0mgqngX3AD9gNzjnNHzSGTPBSsaEkIfhPF4b8YRRTpny88tNLyprXA0GU5ID3DkZHpjFkX1hAp/D0fva2GKjGRLtvYbtUk/OLYqFuzbjt3yOBzJSKQqJsvbXILffgAmX4pKql+Ln+6UPvSCeKwznvtPaEx+9nMBmKu7Wpbqm/+2ksc0XwjD+xlvlECkCxfD/OJ4gN3IurE0fpjxIkvHDiinQmk51BI7zQD8k1znU7r/spPqB+vZjc5ep6DC5wZUpFu5vJ8MoNKjCu8wnxyCFdA==',
      'PAYPAL-AUTH-ALGO: SHA256withRSA',
      'PAYPAL-TRANSMISSION-ID: 69cd13f0-d67a-11e5-baa3-778b53f4ae55',
      'PAYPAL-TRANSMISSION-SIG: lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3boXB07VXCXUZy/UFzUlnGJn0wDugt7FlSvdKeIJenLRemUxYCPVoEZzg9VFNqOa48gMkvF+XTpxBeUx/kWy6B5cp7GkT2+pOowfRK7OaynuxUoKW3JcMWw272VKjLTtTAShncla7tGF+55rxyt2KNZIIqxNMJ48RDZheGU5w1npu9dZHnPgTXB9iomeVRoD8O/jhRpnKsGrDschyNdkeh81BJJMH4Ctc6lnCCquoP/GzCzz33MMsNdid7vL/NIWaCsekQpW26FpWPi/tfj8nLA==',
      'PAYPAL-CERT-URL: https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77',
      'Cookie: session=s%3AabcDEF123.xyz; theme=dark',
      'Set-Cookie: session=s%3AabcDEF123.xyz; Path=/; HttpOnly',
    ].join('\r\n');
    const { raw, line } = logged({ request: dump });
    for (const leak of ['5257a869e7ecebeda32affa62', 'uOVRnA4qG', 'CtcbzwtQjN8', 'lmI95Jx3Y9nh', 'abcDEF123']) expect(raw).not.toContain(leak);
    const kept = (line.request as string).split('\r\n');
    expect(kept).toEqual([
      'POST /webhooks HTTP/1.1',
      'Host: localhost:3000',
      'Content-Type: application/json',
      'Idempotency-Key: 6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6',
      'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `Stripe-Signature: ${REDACTED}`,
      `Authorization: ${REDACTED}`,
      `Wechatpay-Signature: ${REDACTED}`,
      'PAYPAL-AUTH-ALGO: SHA256withRSA',
      'PAYPAL-TRANSMISSION-ID: 69cd13f0-d67a-11e5-baa3-778b53f4ae55',
      `PAYPAL-TRANSMISSION-SIG: ${REDACTED}`,
      'PAYPAL-CERT-URL: https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77',
      `Cookie: ${REDACTED}`,
      `Set-Cookie: ${REDACTED}`,
    ]);
  });

  it("masks Alipay's sign as a form parameter and as a JSON field, but not sign_type", () => {
    const form = 'app_id=2021000000000000&method=alipay.trade.pay&charset=utf-8&sign_type=RSA2&sign=ZmFrZXNpZw%3D%3D&timestamp=2024-01-01+10%3A00%3A00';
    expect(redactString(form)).toBe(`app_id=2021000000000000&method=alipay.trade.pay&charset=utf-8&sign_type=RSA2&sign=${REDACTED}&timestamp=2024-01-01+10%3A00%3A00`);
    const response = '{"alipay_trade_pay_response":{"code":"10000","msg":"Success","out_trade_no":"o1"},"sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE"}';
    expect(JSON.parse(redactString(response))).toEqual({ alipay_trade_pay_response: { code: '10000', msg: 'Success', out_trade_no: 'o1' }, sign: REDACTED });
    const { line } = logged({ sign: 'abc', sign_type: 'RSA2', alipay: { sign: 'abc', signType: 'RSA2' } });
    expect(line).toMatchObject({ sign: REDACTED, sign_type: 'RSA2', alipay: { sign: REDACTED, signType: 'RSA2' } });
  });

  it("masks Adyen's hmacSignature nested under additionalData and flattened", () => {
    const { line } = logged({ notificationItems: [{ NotificationRequestItem: { additionalData: { hmacSignature: 'coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=' }, pspReference: '7914073381342284', eventCode: 'AUTHORISATION' } }], 'additionalData.hmacSignature': 'x' });
    expect(line).toMatchObject({
      notificationItems: [{ NotificationRequestItem: { additionalData: { hmacSignature: REDACTED }, pspReference: '7914073381342284', eventCode: 'AUTHORISATION' } }],
      'additionalData.hmacSignature': REDACTED,
    });
  });

  it('masks secret headers in raw header lists ([name, value, name, value …])', () => {
    const { line } = logged({ rawHeaders: ['Host', 'localhost', 'Cookie', 'session=abc', 'X-API-Key', 'AQEyhmfx', 'Idempotency-Key', 'k1'] });
    expect(line.rawHeaders).toEqual(['Host', 'localhost', 'Cookie', REDACTED, 'X-API-Key', REDACTED, 'Idempotency-Key', 'k1']);
  });

  it('masks what a URL object would print', () => {
    const { raw, line } = logged({ url: new URL(`https://pay.example/cb?orderId=o1&card[cvc]=123&pan=${PAN}`) });
    expect(raw).not.toContain('cvc]=123');
    expect(raw).not.toContain(PAN);
    expect(line.url).toContain('orderId=o1');
  });
});

describe('redaction leaves ordinary fields alone', () => {
  const ordinary = {
    runId: 'run-2024-11-22',
    scenario: 'stripe-latency',
    provider: 'stripe',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    orderId: 'ord_1234567890123',
    order_id: 'ord_42',
    amount: 4200,
    currency: 'eur',
    idempotencyKey: '6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6',
    'Idempotency-Key': 'idem_20241122_0001',
    status: 'succeeded',
    statusCode: 402,
    number: 7,
    invoice: { number: 'INV-0042' },
    sign_type: 'RSA2',
    signType: 'RSA2',
    publicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
    keyId: 'key_1',
    tokenType: 'Bearer',
    design: 'compact',
    span: 3,
    campaign: 'spring',
    cid: 'content-1',
    last4: '4242',
    brand: 'visa',
    expMonth: 12,
    ts: 1732233600000,
    pspReference: '7914073381342284',
    note: 'sign up bonus; status: ok; retry at 12:30',
  };

  it('through the logger, every ordinary field comes out as it went in', () => {
    const { line } = logged(ordinary);
    expect(line).toMatchObject(ordinary);
    expect(redact(ordinary)).toEqual(ordinary);
  });

  it.each([
    'amount=4200&currency=eur&order_id=ord_42&status=succeeded&number=7&sign_type=RSA2&description=sign+up',
    JSON.stringify({ amount: 4200, currency: 'eur', orderId: 'ord_42', status: 'succeeded', number: 7, invoice: { number: 'INV-0042' } }),
    'Content-Type: application/json\r\nIdempotency-Key: 6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'https://api.stripe.com/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa/confirm?expand[]=latest_charge',
    'payment pi_123 for order ord_42 took 120 ms (status: ok, attempt: 2)',
  ])('a string with no secret stays the same: %s', (text) => {
    expect(redactString(text)).toBe(text);
  });

  it('classifies names: secrets by name, card fields only in a card context, the rest plain', () => {
    for (const key of ['cvc', 'card_cvc', 'card[cvc]', 'CVV2', 'x-api-key', 'Stripe-Signature', 'sign', 'card[number]', 'cardNo', 'Set-Cookie']) expect(isSensitiveKey(key), key).toBe(true);
    for (const key of ['number', 'cid', 'status', 'amount', 'idempotencyKey', 'design', 'span', 'signType', 'publicKey', 'keyId', 'tokenType']) expect(isSensitiveKey(key), key).toBe(false);
    expect(isSensitiveKey('number', 'card')).toBe(true);
    expect(isSensitiveKey('number', 'paymentMethod')).toBe(true);
    expect(isSensitiveKey('number', 'creditCard')).toBe(true);
    expect(isSensitiveKey('number', 'invoice')).toBe(false);
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────────

/** A Luhn-valid card number of 13–19 digits. */
const panArb = fc
  .integer({ min: 13, max: 19 })
  .chain((length) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 }))
  .map((body) => {
    const head = body.join('');
    const check = [...'0123456789'].find((d) => luhnValid(head + d))!;
    return head + check;
  });

/** How a person or a form would write it. */
function formatPan(pan: string, style: 'plain' | 'spaces' | 'dashes' | 'amex'): string {
  if (style === 'plain') return pan;
  const groups = style === 'amex' ? [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)] : (pan.match(/.{1,4}/g) ?? []);
  return groups.join(style === 'dashes' ? '-' : ' ');
}

/** Keys that are not secrets by name (a secret-named key would mask by key and prove less). */
const plainKeyArb = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !isSensitiveKey(k) && !isSensitiveKey(k, 'card') && redactString(k) === k);
const siblingsArb = fc.dictionary(plainKeyArb, fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 5 });
/** Any printable text, then a non-digit so the text cannot glue more digits onto the card number. */
const edgeArb = fc.tuple(fc.string({ maxLength: 30 }), fc.constantFrom(' ', '-', ',', 'x', '=', ':', '"', '\n', '/', '&', '[', '…'));

function nest(path: string[], leaf: Record<string, unknown>): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), leaf);
}

describe('properties', () => {
  it('a Luhn-valid card number never reaches the output, wherever and however it is written', () => {
    const { log, take } = capturingLogger();
    fc.assert(
      fc.property(
        panArb,
        fc.constantFrom('plain', 'spaces', 'dashes', 'amex') as fc.Arbitrary<'plain' | 'spaces' | 'dashes' | 'amex'>,
        fc.constantFrom('value', 'key', 'message', 'number', 'array'),
        edgeArb,
        edgeArb,
        fc.array(plainKeyArb, { maxLength: 4 }),
        siblingsArb,
        (pan, style, where, [before, leftEdge], [after, rightEdge], path, siblings) => {
          const text = `${before}${leftEdge}${formatPan(pan, style)}${rightEdge}${after}`;
          const leaf: Record<string, unknown> = { ...siblings };
          let msg = 'paying';
          if (where === 'value') leaf.note = text;
          else if (where === 'key') leaf[text] = true;
          else if (where === 'message') msg = text;
          else if (where === 'number') leaf.n = pan.length <= 15 ? Number(pan) : text;
          else leaf.list = [1, 'a', text];
          log.info(nest(path, leaf), msg);
          const { raw, lines } = take();
          expect(lines).toHaveLength(1);
          expect(raw).not.toContain(pan);
          expect(raw).not.toContain(formatPan(pan, style));
          // Not even the hidden part, however the separators were arranged.
          expect(raw.replace(/[ -]|\\n/g, '')).not.toContain(pan.slice(0, -4));
        },
      ),
      { numRuns: 400 },
    );
  });

  const CVC_WORDS = ['cvc', 'cvv', 'cvc2', 'cvv2', 'cvn', 'csc', 'securityCode', 'security_code', 'cardSecurityCode', 'card_verification_value'];
  const CVC_PREFIXES = ['', 'card', 'card_', 'card-', 'card.', 'Card', 'cc_', 'x-', 'payment_method_data.card.'];

  /** A spelling of `word`: any letter case, and `_ - .` sprinkled between letters. */
  function spellingArb(words: string[], prefixes: string[]): fc.Arbitrary<string> {
    return fc
      .tuple(fc.constantFrom(...words), fc.constantFrom(...prefixes), fc.boolean(), fc.infiniteStream(fc.tuple(fc.boolean(), fc.constantFrom('', '', '', '_', '-', '.'))))
      .map(([word, prefix, bracket, stream]) => {
        const it = stream[Symbol.iterator]();
        const spelled = [...word].map((ch, i) => {
          const [upper, sep] = it.next().value as [boolean, string];
          return (i > 0 ? sep : '') + (upper ? ch.toUpperCase() : ch.toLowerCase());
        });
        const w = spelled.join('');
        return bracket && prefix !== '' ? `${prefix.replace(/[-_.]$/, '')}[${w}]` : prefix + w;
      });
  }

  /** Filler without digits, so a 3–4 digit CVC cannot turn up in it by chance. */
  const letters = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 8 });
  const fillerPairsArb = fc.array(fc.tuple(letters, letters), { maxLength: 4 }).map((pairs) => pairs.filter(([k]) => !isSensitiveKey(k)));

  function contexts(key: string, secret: string, before: Array<[string, string]>, after: Array<[string, string]>): Record<string, string> {
    const pairs = (sep: string, join: string, quote = ''): string =>
      [...before, [key, secret] as [string, string], ...after].map(([k, v]) => `${quote}${k}${quote}${sep}${quote}${v}${quote}`).join(join);
    return {
      form: pairs('=', '&'),
      query: `https://pay.example/cb?${pairs('=', '&')}`,
      json: JSON.stringify(Object.fromEntries([...before, [key, secret], ...after])),
      headers: pairs(': ', '\r\n'),
      inspected: `{ ${pairs(': ', ', ', "'")} }`,
    };
  }

  it('a CVC under any spelling of its key never reaches the output, in objects or in form, JSON, query and header strings', () => {
    const { log, take } = capturingLogger();
    fc.assert(
      fc.property(
        spellingArb(CVC_WORDS, CVC_PREFIXES),
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(n % 2 === 0 ? 3 : 4, '0')),
        fc.array(letters.filter((k) => !isSensitiveKey(k)), { maxLength: 3 }),
        fillerPairsArb,
        fillerPairsArb,
        (key, cvc, path, before, after) => {
          log.info(nest(path, { ...Object.fromEntries(before), [key]: cvc }));
          log.info(contexts(key, cvc, before, after));
          const { lines } = take();
          expect(lines).toHaveLength(2);
          const leaf = path.reduce<Line>((o, k) => o[k] as Line, lines[0]!);
          expect(leaf[key]).toBe(REDACTED);
          for (const [context, text] of Object.entries(lines[1]!)) {
            if (typeof text === 'string' && context !== 'time' && context !== 'hostname') expect(text, `${context}: ${text}`).not.toContain(cvc);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a key, secret or signature under any spelling of any provider name never reaches the output', () => {
    const words = ['apiKey', 'secret', 'clientSecret', 'token', 'password', 'privateKey', 'apiV3Key', 'signature', 'hmacSignature', 'transmissionSig', 'authorization', 'cookie', 'setCookie', 'cardNumber', 'pan', 'sign'];
    const prefixes = ['', 'x-', 'X_', 'merchant', 'stripe-', 'Wechatpay-', 'PAYPAL-TRANSMISSION-', 'additionalData.', 'proxy-', 'card_'];
    const tokenArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789+/'), minLength: 12, maxLength: 40 }).map((s) => `Sx${s}=`);
    const { log, take } = capturingLogger();
    fc.assert(
      fc.property(
        spellingArb(words, prefixes).filter((k) => isSensitiveKey(k)),
        tokenArb,
        fc.array(plainKeyArb, { maxLength: 3 }),
        fillerPairsArb,
        fillerPairsArb,
        (key, secret, path, before, after) => {
          log.info(nest(path, { [key]: secret }));
          log.info(contexts(key, secret, before, after));
          log.info(`${key}=${secret}`);
          const { raw, lines } = take();
          expect(lines).toHaveLength(3);
          expect(raw).not.toContain(secret.slice(2, -1));
        },
      ),
      { numRuns: 400 },
    );
  });
});

// ── cost ────────────────────────────────────────────────────────────────────────────────────

describe('redaction stays cheap', () => {
  it('redacts a typical 20-field log object many times over without trouble', () => {
    const line = {
      runId: 'r1', scenario: 'stripe-latency', provider: 'stripe', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7',
      orderId: 'ord_1', amount: 4200, currency: 'eur', status: 'succeeded', attempt: 1,
      idempotencyKey: '6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6', latencyMs: 12.5, url: 'https://api.stripe.com/v1/payment_intents', method: 'POST', statusCode: 200,
      variant: 'baseline', outcome: 'ok', code: 'card_declined', body: `amount=4200&card[number]=${PAN}&card[cvc]=123`, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer sk_test_123456' },
    };
    let out: Line = {};
    // No timing assertion (machines differ); a slow path shows up as this test dragging.
    for (let i = 0; i < 20_000; i++) out = redact(line) as Line;
    expect(out.body).toBe(`amount=4200&card[number]=${MASKED_PAN}&card[cvc]=${REDACTED}`);
    expect(out.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded', authorization: REDACTED });
    expect(out.trace_id).toBe(line.trace_id);
  });

  const MB = 1 << 20;
  it.each<[string, string]>([
    ['one long digit run', '7'.repeat(MB)],
    ['digits joined by spaces', '1 '.repeat(MB / 2)],
    ['digits joined by dashes', '12-'.repeat(MB / 3)],
    ['a long word', 'a'.repeat(MB)],
    ['keys without values', 'a='.repeat(MB / 2)],
    ['secret keys without values', 'cvc:"'.repeat(MB / 5)],
    ['escaped quotes', 'cvc:\\"'.repeat(MB / 6)],
    ['an unterminated quoted secret', `cvc="${'x'.repeat(MB)}`],
    ['an unbalanced bracket under a secret', `cvc:${'['.repeat(MB)}`],
    ['backslashes', `sign=${'\\'.repeat(MB)}`],
    ['colons', ':'.repeat(MB)],
    ['bearer words', 'Bearer '.repeat(MB / 7)],
    ['a key followed by a megabyte of blanks', `cvc${' '.repeat(MB)}=1`],
    ['a JSON array of payments', JSON.stringify(Array.from({ length: 12_000 }, (_, i) => ({ id: i, amount: 100, cvc: '123', note: 'card 4242 4242 4242 4242' })))],
  ])('a megabyte of %s is redacted in one pass, and a card number after it is still masked', (_name, filler) => {
    const out = redactString(`${filler}\n${PAN}`);
    expect(out).not.toContain(PAN);
    expect(out.includes(MASKED_PAN) || out.endsWith(REDACTED)).toBe(true);
  });
});
