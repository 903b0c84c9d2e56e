import type { ErrorCode } from '../../kernel/index.js';

/**
 * An error the API answers as Toxiproxy does: `{"error": message, "status": status}`.
 * `code` is set only on paychaos' own refusals (the documented improvements), and is then added
 * to the body so a harness can match on it; Toxiproxy's own errors keep their exact shape.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: ErrorCode,
  ) {
    super(message);
  }
}

export const badRequestBody = (detail: string): ApiError => new ApiError(400, `bad request body: ${detail}`);
export const proxyNotFound = (): ApiError => new ApiError(404, 'proxy not found');
export const proxyExists = (): ApiError => new ApiError(409, 'proxy already exists');
export const toxicNotFound = (): ApiError => new ApiError(404, 'toxic not found');
export const toxicExists = (): ApiError => new ApiError(409, 'toxic already exists');
export const invalidStream = (): ApiError => new ApiError(400, 'stream was invalid, can be either upstream or downstream');
export const invalidToxicType = (): ApiError => new ApiError(400, 'invalid toxic type');
export const missingField = (what: string): ApiError => new ApiError(400, `missing required field: ${what}`);
