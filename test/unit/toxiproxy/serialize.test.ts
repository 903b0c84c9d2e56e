import { describe, expect, it } from 'vitest';
import { float32Text, goString } from '../../../src/toxiproxy/api/serialize.js';
import { newRequestId } from '../../../src/toxiproxy/request-id.js';

describe('Go-compatible response encoding', () => {
  it.each([
    [1, '1'],
    [0.5, '0.5'],
    [0.1, '0.1'],
    [2.5, '2.5'],
    [0.25, '0.25'],
    [1 / 3, '0.33333334'],
    [0, '0'],
  ])('prints float32 %d as %s', (value, text) => {
    expect(float32Text(value)).toBe(text);
  });

  it('escapes <, >, & and line separators as encoding/json does', () => {
    expect(goString('<a&b>\u2028')).toBe('"\\u003ca\\u0026b\\u003e\\u2028"');
  });

  it('makes xid-shaped request ids that differ and sort by time', () => {
    const a = newRequestId(1_700_000_000_000);
    const b = newRequestId(1_700_000_000_000);
    const later = newRequestId(1_800_000_000_000);
    expect(a).toMatch(/^[0-9a-v]{20}$/);
    expect(a).not.toBe(b);
    expect(later > a).toBe(true);
  });
});
