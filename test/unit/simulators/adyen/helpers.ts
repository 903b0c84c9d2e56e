import type { FastifyInstance } from 'fastify';

export async function post(app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers };
}

export const CARD = { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: 'J. Smith' };

export function payment(overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) {
  return { merchantAccount: 'PaychaosECOM', amount: { value: 1000, currency: 'EUR' }, reference: 'ord_a1', paymentMethod: { ...CARD, ...card }, returnUrl: 'https://shop.example/return', ...overrides };
}
