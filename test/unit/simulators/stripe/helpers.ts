import type { FastifyInstance } from 'fastify';
import { encodeForm } from '../../../../simulators/core/index.js';

/** POST form-encoded, as Stripe's clients do; returns status, parsed JSON body and headers. */
export async function post(app: FastifyInstance, url: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url, payload: encodeForm(params), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers };
}

export async function get(app: FastifyInstance, url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers };
}

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
