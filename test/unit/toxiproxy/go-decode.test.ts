import { describe, expect, it } from 'vitest';
import { DecodeErrors, decodeStruct, type StructSpec } from '../../../src/toxiproxy/api/go-decode.js';
import { parseGoJson } from '../../../src/toxiproxy/api/go-json.js';

const SPEC: StructSpec = { goName: 'LatencyToxic', fields: { latency: { kind: 'int64' }, name: { kind: 'string' }, toxicity: { kind: 'float32' }, on: { kind: 'bool' } } };

function decode(text: string, out: Record<string, unknown> = {}) {
  const value = parseGoJson(Buffer.from(text));
  if (value.kind !== 'object') throw new Error('object expected');
  const errors = new DecodeErrors();
  decodeStruct(value, SPEC, out, errors, 'attributes.');
  return { out, error: errors.first };
}

describe('Go-compatible struct decoding', () => {
  it('matches keys exactly or case-insensitively, ignores unknown keys, and lets the last duplicate win', () => {
    expect(decode('{"LATENCY":1,"latency":2,"other":3,"Name":"x"}').out).toEqual({ latency: 2, name: 'x' });
  });

  it('leaves a field as it was for null', () => {
    expect(decode('{"latency":null}', { latency: 7 }).out).toEqual({ latency: 7 });
  });

  it.each([
    ['{"latency":"slow"}', 'json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"latency":1.5}', 'json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"latency":1e3}', 'json: cannot unmarshal number 1e3 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"latency":9223372036854775808}', 'json: cannot unmarshal number 9223372036854775808 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"name":7}', 'json: cannot unmarshal number into Go struct field LatencyToxic.attributes.name of type string'],
    ['{"toxicity":1e39}', 'json: cannot unmarshal number 1e39 into Go struct field LatencyToxic.attributes.toxicity of type float32'],
    ['{"on":"yes"}', 'json: cannot unmarshal string into Go struct field LatencyToxic.attributes.on of type bool'],
    ['{"name":[],"latency":{}}', 'json: cannot unmarshal array into Go struct field LatencyToxic.attributes.name of type string'],
  ])('reports %s in Go words', (text, message) => {
    expect(decode(text).error).toBe(message);
  });

  it('keeps decoding after a type error and reports only the first', () => {
    const { out, error } = decode('{"name":1,"latency":5}');
    expect(out).toEqual({ latency: 5 });
    expect(error).toContain('attributes.name');
  });
});
