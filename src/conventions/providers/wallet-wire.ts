import type { NormalisedCode } from '../codes.js';

/**
 * How a WireMock-described wallet speaks, for the two parts that must read it without sharing
 * code: the gateway's client (gateway/clients/localwallet.ts) that creates a payment and polls it,
 * and the harness that rebuilds the provider's ledger from WireMock's journal
 * (simulators/wiremock/journal.ts). The stubs in simulators/wiremock/<provider>/ answer these
 * paths and fields; the provider's README states them.
 *
 *   POST createPath {reference, amount (minor units), currency, callbackUrl?} ─createdStatus─▶ {id, status}
 *   GET statusPath ({id} replaced) ─200─▶ {status}: one of pending / succeeded / failed
 *   refusals: {error: {code}} with a 4xx, the code read through `codes`
 *
 * Field names are dotted paths into the JSON bodies. Every answer `createdStatus` to createPath
 * is a created payment: the ledger counts it as money taken once (an authorisation and a capture).
 */
export interface WalletWire {
  readonly createPath: string;
  /** With `{id}` where the payment's id goes. */
  readonly statusPath: string;
  readonly createdStatus: number;
  readonly request: { readonly reference: string; readonly amount: string; readonly currency: string; readonly callbackUrl?: string };
  readonly response: { readonly id: string; readonly status: string };
  readonly states: { readonly pending: readonly string[]; readonly succeeded: readonly string[]; readonly failed: readonly string[] };
  /** The provider's error codes (`error.code`) → normalised codes (from its README). */
  readonly codes: Readonly<Record<string, NormalisedCode>>;
}
