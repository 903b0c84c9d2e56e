// A tiny checkout of the kind a team would bring to paychaos: its own API, its own Stripe
// integration written from Stripe's public API reference — nothing from paychaos' gateway/.
// It is here to show `paychaos up` + `paychaos run --attach DIR --target URL` on a gateway
// paychaos did not write (docs/scenarios.md, "Your own gateway").
//
//   POST /api/v1/checkout   { merchantOrderNo, total: { value, currency }, instrument }   X-Request-Id: <retry key>
//     → 200 { result: { state: PAID | DECLINED | UNKNOWN, reason?, pspId? } }
//   GET  /api/v1/orders/:merchantOrderNo → the same result, 404 if unknown
//   GET  /healthz
//
// Environment: PAYCHAOS_STRIPE_URL (Stripe's base URL: `paychaos up` writes it to providers.env),
// STRIPE_SECRET_KEY (default a test key), PORT (0: any free port; the address is printed), and
// USER_GATEWAY_BUGGY=1 — a realistic bug for a negative control: no order-level guard, and each
// client retry key becomes a new Stripe Idempotency-Key, so a shopper retrying with a new key is
// charged twice.
import { createServer } from 'node:http';

const stripeUrl = process.env.PAYCHAOS_STRIPE_URL;
if (!stripeUrl) {
  console.error('user-gateway: set PAYCHAOS_STRIPE_URL (source the providers.env `paychaos up` wrote)');
  process.exit(2);
}
const secretKey = process.env.STRIPE_SECRET_KEY ?? 'sk_test_user_gateway';
const buggy = process.env.USER_GATEWAY_BUGGY === '1';
/** merchantOrderNo → { state, reason?, pspId? }: the order guard (one charge per order, whatever the retry key). */
const orders = new Map();
/** merchantOrderNo → a promise of the result while a charge is in flight. */
const inFlight = new Map();

function form(params, prefix = '', out = new URLSearchParams()) {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}[${k}]` : k;
    if (v !== null && typeof v === 'object') form(v, key, out);
    else out.append(key, String(v));
  }
  return out;
}

async function charge(order, idempotencyKey) {
  let res;
  try {
    res = await fetch(`${stripeUrl}/v1/payment_intents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': idempotencyKey },
      body: form({ amount: order.amount, currency: order.currency, payment_method: order.instrument, confirm: 'true', metadata: { order_id: order.merchantOrderNo } }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    // No answer: Stripe may have charged. Unknown, not declined.
    return { state: 'UNKNOWN', reason: 'outcome_unknown' };
  }
  const body = await res.json().catch(() => undefined);
  if (res.status === 200 && body?.status === 'succeeded') return { state: 'PAID', pspId: body.id };
  if (res.status === 200) return { state: 'UNKNOWN', reason: 'outcome_unknown', pspId: body?.id };
  if (res.status === 402) return { state: 'DECLINED', reason: body?.error?.decline_code ?? body?.error?.code ?? 'card_declined', pspId: body?.error?.payment_intent?.id };
  if (res.status >= 500) return { state: 'UNKNOWN', reason: 'provider_error' };
  return { state: 'DECLINED', reason: body?.error?.code ?? 'invalid_request' };
}

async function checkout(order, retryKey) {
  if (!buggy) {
    const known = orders.get(order.merchantOrderNo);
    // Paid, or possibly paid: never charge the order again.
    if (known && known.state !== 'DECLINED') return known;
    const running = inFlight.get(order.merchantOrderNo);
    if (running) return running;
  }
  // Correct: one Stripe key per order, so a retry finds Stripe's first answer. Buggy: per retry.
  const key = buggy ? `ug-${retryKey}` : `ug-order-${order.merchantOrderNo}`;
  const pending = charge(order, key).then((result) => {
    orders.set(order.merchantOrderNo, result);
    inFlight.delete(order.merchantOrderNo);
    return result;
  });
  inFlight.set(order.merchantOrderNo, pending);
  return pending;
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
  const orderMatch = /^\/api\/v1\/orders\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'GET' && orderMatch) {
    const result = orders.get(decodeURIComponent(orderMatch[1]));
    return result ? send(res, 200, { result }) : send(res, 404, { error: 'no such order' });
  }
  if (req.method !== 'POST' || url.pathname !== '/api/v1/checkout') return send(res, 404, { error: 'not found' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { result: { state: 'DECLINED', reason: 'invalid_request' } });
    }
    const retryKey = req.headers['x-request-id'];
    const order = { merchantOrderNo: input?.merchantOrderNo, amount: input?.total?.value, currency: input?.total?.currency, instrument: input?.instrument };
    if (typeof retryKey !== 'string' || typeof order.merchantOrderNo !== 'string' || !Number.isInteger(order.amount) || typeof order.currency !== 'string' || typeof order.instrument !== 'string') {
      return send(res, 400, { result: { state: 'DECLINED', reason: 'invalid_request' } });
    }
    checkout(order, retryKey).then(
      (result) => send(res, 200, { result }),
      () => send(res, 500, { result: { state: 'UNKNOWN', reason: 'outcome_unknown' } }),
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`user-gateway listening on http://127.0.0.1:${server.address().port}${buggy ? ' (BUGGY: no order guard)' : ''}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
