import type { FastifyInstance } from 'fastify';
import { send } from '../core/index.js';
import type { AdyenContext } from './context.js';
import { validation } from './errors.js';
import { API_VERSIONS } from './payments.js';

/**
 * `POST /paymentMethods`: what Drop-in and Components call first, to learn which methods to
 * show. The answer lists the methods this simulator can pay with (its `/payments` takes them),
 * filtered as Adyen filters them: by `countryCode` and `amount.currency` where a method is local
 * (iDEAL: NL and EUR; GrabPay: its country and currency), and by `allowedPaymentMethods` /
 * `blockedPaymentMethods`. Cards are always offered. No stored payment methods: the simulator
 * keeps no shopper tokens.
 */
interface Method {
  readonly name: string;
  readonly type: string;
  readonly brands?: readonly string[];
  /** Where the method is offered: a country and currency it must match (local methods). */
  readonly only?: { readonly country: string; readonly currency: string };
}

const METHODS: readonly Method[] = [
  { name: 'Cards', type: 'scheme', brands: ['visa', 'mc', 'amex'] },
  { name: 'iDEAL', type: 'ideal', only: { country: 'NL', currency: 'EUR' } },
  { name: 'GrabPay', type: 'grabpay_SG', only: { country: 'SG', currency: 'SGD' } },
  { name: 'GrabPay', type: 'grabpay_MY', only: { country: 'MY', currency: 'MYR' } },
  { name: 'GrabPay', type: 'grabpay_PH', only: { country: 'PH', currency: 'PHP' } },
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

export function paymentMethodsFor(body: Json): Array<Record<string, unknown>> {
  const country = typeof body.countryCode === 'string' ? body.countryCode.toUpperCase() : undefined;
  const currency = isObject(body.amount) && typeof body.amount.currency === 'string' ? body.amount.currency : undefined;
  const allowed = strings(body.allowedPaymentMethods);
  const blocked = strings(body.blockedPaymentMethods) ?? [];
  return METHODS.filter((m) => !m.only || ((country === undefined || country === m.only.country) && (currency === undefined || currency === m.only.currency)))
    .filter((m) => (allowed === undefined || allowed.length === 0 || allowed.includes(m.type)) && !blocked.includes(m.type))
    .map((m) => ({ name: m.name, type: m.type, ...(m.brands ? { brands: [...m.brands] } : {}) }));
}

export function registerPaymentMethods(app: FastifyInstance, _ctx: AdyenContext): void {
  for (const version of API_VERSIONS) {
    app.post(`/${version}/paymentMethods`, async (req, reply) => {
      const body = isObject(req.body) ? req.body : {};
      if (typeof body.merchantAccount !== 'string' || body.merchantAccount === '') return send(reply, validation('901', 'Invalid Merchant Account'));
      if (body.amount !== undefined) {
        if (!isObject(body.amount) || typeof body.amount.value !== 'number' || !Number.isSafeInteger(body.amount.value) || body.amount.value < 0) return send(reply, validation('137', 'Invalid amount specified'));
        if (typeof body.amount.currency !== 'string' || !/^[A-Z]{3}$/.test(body.amount.currency)) return send(reply, validation('138', 'Unsupported currency specified'));
      }
      return reply.send({ paymentMethods: paymentMethodsFor(body) });
    });
  }
}
