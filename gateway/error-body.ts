import { paychaosError, type ErrorCode } from '../src/kernel/index.js';

/** The coded body of every refusal the gateway answers itself (docs/errors.md): code, message naming the field, hint. */
export function errorBody(code: ErrorCode, message: string): { error: { code: string; message: string; hint: string } } {
  const err = paychaosError(code, message);
  return { error: { code: err.code, message: err.message, hint: err.hint } };
}
