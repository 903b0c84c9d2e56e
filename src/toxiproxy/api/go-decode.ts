import type { GoJson } from './go-json.js';

/**
 * Decoding a parsed body into a Go-like struct, with encoding/json's rules: keys match exactly
 * or else case-insensitively, unknown keys are ignored, `null` leaves a field as it was, the
 * last duplicate wins, and the *first* type mismatch is reported after the whole value was read,
 * worded as Go words it (`json: cannot unmarshal number into Go struct field Proxy.name of type string`).
 */
export type FieldKind = 'string' | 'bool' | 'int64' | 'int' | 'float32' | 'opaque-object';

export interface FieldSpec {
  readonly kind: FieldKind;
  /** The Go type named in errors when it is not the kind itself (e.g. `zerolog.Logger`). */
  readonly goType?: string;
}

export interface StructSpec {
  /** The Go struct name in error messages (`Proxy`, `ToxicWrapper`, `LatencyToxic`). */
  readonly goName: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** Collects the first type error, as Go's decoder does (it keeps going, then reports the first). */
export class DecodeErrors {
  first: string | undefined;
  add(message: string): void {
    this.first ??= message;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's name for the kind of a JSON value in "cannot unmarshal X into ..." messages. */
export function jsonKind(value: GoJson): string {
  return value.kind === 'bool' ? 'bool' : value.kind;
}

/**
 * Decode the object `value` into `out` (which already holds the defaults). `path` prefixes the
 * field names in messages (`attributes.`), `structName` is the innermost struct's Go name.
 */
export function decodeStruct(value: GoJson & { kind: 'object' }, spec: StructSpec, out: Record<string, unknown>, errors: DecodeErrors, path = ''): void {
  const names = Object.keys(spec.fields);
  for (const [key, item] of value.entries) {
    const name = names.includes(key) ? key : names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined) continue;
    const field = spec.fields[name]!;
    const where = `Go struct field ${spec.goName}.${path}${name}`;
    const decoded = decodeScalar(item, field, where, errors);
    if (decoded !== undefined) out[name] = decoded;
  }
}

function decodeScalar(item: GoJson, field: FieldSpec, where: string, errors: DecodeErrors): unknown {
  if (item.kind === 'null') return undefined;
  const goType = field.goType ?? field.kind;
  const mismatch = (): undefined => {
    errors.add(`json: cannot unmarshal ${jsonKind(item)} into ${where} of type ${goType}`);
    return undefined;
  };
  switch (field.kind) {
    case 'string':
      return item.kind === 'string' ? item.value : mismatch();
    case 'bool':
      return item.kind === 'bool' ? item.value : mismatch();
    case 'opaque-object':
      return item.kind === 'object' ? undefined : mismatch();
    case 'int64':
    case 'int':
      if (item.kind !== 'number') return mismatch();
      return parseGoInt(item.raw, where, goType, errors);
    case 'float32': {
      if (item.kind !== 'number') return mismatch();
      const n = Math.fround(Number(item.raw));
      if (!Number.isFinite(n)) {
        errors.add(`json: cannot unmarshal number ${item.raw} into ${where} of type ${goType}`);
        return undefined;
      }
      return n;
    }
  }
}

function parseGoInt(raw: string, where: string, goType: string, errors: DecodeErrors): number | undefined {
  if (/^-?\d+$/.test(raw)) {
    const big = BigInt(raw);
    if (big >= INT64_MIN && big <= INT64_MAX) return Number(big);
  }
  errors.add(`json: cannot unmarshal number ${raw} into ${where} of type ${goType}`);
  return undefined;
}

/** Message for a top-level value of the wrong kind: `json: cannot unmarshal array into Go value of type toxiproxy.Proxy`. */
export function topLevelMismatch(value: GoJson, goType: string): string {
  return `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`;
}
