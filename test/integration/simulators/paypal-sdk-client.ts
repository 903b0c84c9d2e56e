import { Agent } from 'node:https';
import { ApiError, CheckoutPaymentIntent, Client, CustomError, Environment, OrdersController, PaymentsController, type OAuthToken } from '@paypal/paypal-server-sdk';
import { expect } from 'vitest';
import { startPaypalSim, type PaypalSimOptions } from '../../../simulators/paypal/index.js';
import { startTlsFront } from './tls-front.js';

/**
 * PayPal's official server SDK (@paypal/paypal-server-sdk), configured as a merchant would be.
 * It has no base-URL option (only Environment.Sandbox / Production), so its URLs stay
 * `https://api-m.sandbox.paypal.com/…` and only its documented `httpClientOptions.httpsAgent`
 * differs: it connects to a TLS front for that host name which hands the bytes to the simulator
 * (see tls-front.ts). The credentials are the simulator's, from `GET /__sim/keys`.
 */
/** `closers` collects what the caller must close (in reverse) after the test. */
export async function startPaypalWithSdk(closers: Array<() => Promise<void>>, options: PaypalSimOptions = {}) {
  const sim = await startPaypalSim(options);
  closers.push(sim.close);
  const front = await startTlsFront('api-m.sandbox.paypal.com', sim.url);
  closers.push(front.close);
  const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { clientId: string; clientSecret: string };
  const tokens: OAuthToken[] = [];
  const client = (secret = keys.clientSecret) =>
    new Client({
      environment: Environment.Sandbox,
      timeout: 5000,
      clientCredentialsAuthCredentials: { oAuthClientId: keys.clientId, oAuthClientSecret: secret, oAuthOnTokenUpdate: (t) => tokens.push(t) },
      httpClientOptions: { httpsAgent: new Agent(front.agentOptions) },
    });
  const sdk = client();
  return { sim, client, tokens, orders: new OrdersController(sdk), payments: new PaymentsController(sdk) };
}

export const failure = (e: unknown) => {
  expect(e).toBeInstanceOf(ApiError);
  const err = e as CustomError;
  return { status: err.statusCode, name: err.result?.name, issue: err.result?.details?.[0]?.issue };
};

export const orderBody = (customId: string, value = '42.00') => ({
  intent: CheckoutPaymentIntent.Capture,
  purchaseUnits: [{ customId, amount: { currencyCode: 'EUR', value } }],
  paymentSource: { paypal: { experienceContext: { returnUrl: 'https://shop.example/return', cancelUrl: 'https://shop.example/cancel' } } },
});

/**
 * The buyer's side: follow the order's `payer-action` link, as the browser would, to the return URL.
 * (An order created with `payment_source.paypal.experience_context` answers PAYER_ACTION_REQUIRED
 * with a `payer-action` link; the `approve` link belongs to the deprecated `application_context`.)
 */
export async function approve(links: Array<{ rel: string; href: string }> | undefined): Promise<URL> {
  const href = links?.find((l) => l.rel === 'payer-action')?.href;
  expect(href).toBeDefined();
  const res = await fetch(href!, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

