import { badRequestBody } from './api-error.js';
import { DecodeErrors, decodeStruct, topLevelMismatch, type StructSpec } from './go-decode.js';
import { GoJsonSyntaxError, parseGoJson, type GoJson } from './go-json.js';

/** Parse a request body as Go's decoder would, turning its failures into Toxiproxy's 400. */
export function parseBody(body: Buffer): GoJson {
  try {
    return parseGoJson(body);
  } catch (err) {
    if (err instanceof GoJsonSyntaxError) throw badRequestBody(err.message);
    throw err;
  }
}

/**
 * Decode a body into a struct whose defaults are in `out`. `null` leaves the defaults, another
 * non-object is a type error naming `goType` (e.g. `toxiproxy.Proxy`).
 */
export function decodeBodyStruct(value: GoJson, spec: StructSpec, goType: string, out: Record<string, unknown>): void {
  if (value.kind === 'null') return;
  if (value.kind !== 'object') throw badRequestBody(topLevelMismatch(value, goType));
  const errors = new DecodeErrors();
  decodeStruct(value, spec, out, errors);
  if (errors.first) throw badRequestBody(errors.first);
}

/** The values of every key of `value` that Go would match to `field` (exact or case-insensitive), in order. */
export function fieldValues(value: GoJson, field: string): GoJson[] {
  if (value.kind !== 'object') return [];
  return value.entries.filter(([key]) => key === field || key.toLowerCase() === field.toLowerCase()).map(([, v]) => v);
}

export const PROXY_STRUCT: StructSpec = {
  goName: 'Proxy',
  fields: {
    name: { kind: 'string' },
    listen: { kind: 'string' },
    upstream: { kind: 'string' },
    enabled: { kind: 'bool' },
    // Toxiproxy's Proxy has an untagged Logger field, so a "Logger" key is decoded into it.
    Logger: { kind: 'opaque-object', goType: 'zerolog.Logger' },
  },
};
