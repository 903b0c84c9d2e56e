import { describe, expect, it } from 'vitest';
import { GoJsonSyntaxError, parseGoJson, quoteChar } from '../../../src/toxiproxy/api/go-json.js';

const error = (text: string): string => {
  try {
    parseGoJson(Buffer.from(text, 'latin1'));
  } catch (err) {
    if (err instanceof GoJsonSyntaxError) return err.message;
    throw err;
  }
  return 'ok';
};

describe('Go-compatible JSON syntax errors', () => {
  it.each([
    ['', 'EOF'],
    ['   \n', 'EOF'],
    ['{not json', "invalid character 'n' looking for beginning of object key string"],
    ['{bad', "invalid character 'b' looking for beginning of object key string"],
    ['{"a"', 'unexpected EOF'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\n"}', "invalid character '\\n' in string literal"],
    ['12x', "invalid character 'x' after top-level value"],
    ['{"a":1}trailing', 'ok'],
    ['12 trailing', 'ok'],
  ])('reads %j as Go does: %s', (text, message) => {
    expect(error(text)).toBe(message);
  });

  it("nests up to encoding/json's 10,000 levels and refuses the next one with Go's message, without overflowing the stack", () => {
    const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);
    expect(error(nested(10_000))).toBe('ok');
    expect(error(nested(10_001))).toBe("invalid character '[' exceeded max depth");
    expect(error(`{"a":${nested(9_999, '{"b":', '}')}}`.replace('{"b":}', '{}'))).toBe('ok');
    expect(error(`[${nested(200_000, '{"k":', '}')}]`)).toBe("invalid character '{' exceeded max depth");
  });

  it('quotes bytes in messages as Go does', () => {
    expect(quoteChar(0x27)).toBe(`'\\''`);
    expect(quoteChar(0x22)).toBe(`'"'`);
    expect(quoteChar(0x09)).toBe(`'\\t'`);
    expect(quoteChar(0x01)).toBe(`'\\x01'`);
    expect(quoteChar(0x85)).toBe(`'\\u0085'`);
    expect(quoteChar(0x41)).toBe(`'A'`);
  });

  it('keeps number text and decodes strings', () => {
    expect(parseGoJson(Buffer.from('{"a":1.50,"b":"\\u00e9"}'))).toEqual({
      kind: 'object',
      entries: [
        ['a', { kind: 'number', raw: '1.50' }],
        ['b', { kind: 'string', value: 'é' }],
      ],
    });
  });
});
