import Stripe from 'stripe';

/** The official `stripe` package pointed at a simulator: plain HTTP, no retries, no telemetry header. */
export function stripeSdkFor(url: string, apiVersion?: string): Stripe {
  const u = new URL(url);
  return new Stripe('sk_test_paychaos', {
    host: u.hostname,
    port: Number(u.port),
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
    ...(apiVersion !== undefined ? { apiVersion: apiVersion as never } : {}),
  });
}
