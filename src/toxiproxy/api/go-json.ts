/**
 * A JSON reader that fails the way Go's `json.NewDecoder(body).Decode(&v)` fails, so that a
 * bad body gets Toxiproxy's exact message (`invalid character 'n' looking for beginning of
 * object key string`, `unexpected EOF`, `EOF`). Like the Go decoder it reads the first value
 * only and ignores what follows an object or array. Numbers keep their source text, because Go
 * reports `cannot unmarshal number 1.5 into ... int64` with it.
 */
export type GoJson =
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, GoJson]> }
  | { readonly kind: 'array'; readonly items: readonly GoJson[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly raw: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

export class GoJsonSyntaxError extends Error {}

/** Go's quoteChar: how a byte is shown in "invalid character ..." messages. */
export function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  const n = named[c];
  if (n) return `'${n}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Go turns the byte into the rune U+00XX; the non-printable ones are escaped.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined): boolean => c !== undefined && (isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));

/** encoding/json's maxNestingDepth. */
const MAX_NESTING_DEPTH = 10_000;

type Container = { kind: 'object'; entries: Array<readonly [string, GoJson]>; key: string } | { kind: 'array'; items: GoJson[] };

export function parseGoJson(bytes: Uint8Array): GoJson {
  return new Reader(bytes).top();
}

class Reader {
  private i = 0;
  constructor(private readonly b: Uint8Array) {}

  top(): GoJson {
    this.skipSpace();
    if (this.i >= this.b.length) throw new GoJsonSyntaxError('EOF');
    const first = this.b[this.i];
    const value = this.value();
    // An object or array ends the read; a scalar needs a delimiter after it (Go's stateEndTop).
    if (first !== 0x7b && first !== 0x5b && this.i < this.b.length && !isSpace(this.b[this.i])) {
      throw this.invalid('after top-level value');
    }
    return value;
  }

  /**
   * One value, objects and arrays included. Iterative, with an explicit stack of the containers
   * being filled: a body of ten thousand `[` must get Go's 400, not overflow our call stack.
   */
  private value(): GoJson {
    const open: Container[] = [];
    for (;;) {
      let done: GoJson;
      const c = this.peek();
      if (c === 0x7b || c === 0x5b) {
        // Go's scanner refuses the container that would be the 10,001st open one.
        if (open.length >= MAX_NESTING_DEPTH) throw this.invalid('exceeded max depth');
        this.i++;
        this.skipSpace();
        if (c === 0x7b) {
          if (this.peek() !== 0x7d) {
            open.push({ kind: 'object', entries: [], key: this.objectKey() });
            continue;
          }
          this.i++;
          done = { kind: 'object', entries: [] };
        } else {
          if (this.peek() !== 0x5d) {
            open.push({ kind: 'array', items: [] });
            continue;
          }
          this.i++;
          done = { kind: 'array', items: [] };
        }
      } else {
        done = this.scalar(c);
      }
      // Hand the finished value to the innermost open container, closing those that end here.
      for (;;) {
        const top = open.at(-1);
        if (!top) return done;
        if (top.kind === 'object') top.entries.push([top.key, done]);
        else top.items.push(done);
        this.skipSpace();
        const next = this.peek();
        this.i++;
        if (next === (top.kind === 'object' ? 0x7d : 0x5d)) {
          open.pop();
          done = top.kind === 'object' ? { kind: 'object', entries: top.entries } : { kind: 'array', items: top.items };
          continue;
        }
        if (next !== 0x2c) {
          this.i--;
          throw this.invalid(top.kind === 'object' ? 'after object key:value pair' : 'after array element');
        }
        this.skipSpace();
        if (top.kind === 'object') top.key = this.objectKey();
        break;
      }
    }
  }

  private scalar(c: number): GoJson {
    switch (c) {
      case 0x22:
        return { kind: 'string', value: this.string() };
      case 0x74:
        this.literal('true');
        return { kind: 'bool', value: true };
      case 0x66:
        this.literal('false');
        return { kind: 'bool', value: false };
      case 0x6e:
        this.literal('null');
        return { kind: 'null' };
      default:
        if (c === 0x2d || isDigit(c)) return { kind: 'number', raw: this.number() };
        throw this.invalid('looking for beginning of value');
    }
  }

  /** `"key" :` and the space after it. */
  private objectKey(): string {
    if (this.peek() !== 0x22) throw this.invalid('looking for beginning of object key string');
    const key = this.string();
    this.skipSpace();
    if (this.peek() !== 0x3a) throw this.invalid('after object key');
    this.i++;
    this.skipSpace();
    return key;
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.peek();
      if (c === 0x22) break;
      if (c === 0x5c) {
        this.i++;
        const e = this.peek();
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!isHex(this.peek())) throw this.invalid('in \\u hexadecimal character escape');
          }
        } else if (![0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(e)) {
          throw this.invalid('in string escape code');
        }
      } else if (c < 0x20) {
        throw this.invalid('in string literal');
      }
      this.i++;
    }
    this.i++;
    // The syntax is valid JSON here, so the platform parser decodes escapes; invalid UTF-8
    // becomes U+FFFD, as in Go.
    return JSON.parse(Buffer.from(this.b.subarray(start, this.i)).toString('utf8')) as string;
  }

  private number(): string {
    const start = this.i;
    if (this.peek() === 0x2d) {
      this.i++;
      if (!isDigit(this.peek())) throw this.invalid('in numeric literal');
    }
    if (this.peek() === 0x30) this.i++;
    else while (isDigit(this.peekOrUndefined())) this.i++;
    if (this.peekOrUndefined() === 0x2e) {
      this.i++;
      if (!isDigit(this.peek())) throw this.invalid('after decimal point in numeric literal');
      while (isDigit(this.peekOrUndefined())) this.i++;
    }
    const e = this.peekOrUndefined();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = this.peek();
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (!isDigit(this.peek())) throw this.invalid('in exponent of numeric literal');
      while (isDigit(this.peekOrUndefined())) this.i++;
    }
    return Buffer.from(this.b.subarray(start, this.i)).toString('latin1');
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      const c = this.peek();
      if (c !== word.charCodeAt(k)) throw this.invalid(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      this.i++;
    }
  }

  /** The current byte; running out of input inside a value is Go's "unexpected EOF". */
  private peek(): number {
    const c = this.b[this.i];
    if (c === undefined) throw new GoJsonSyntaxError('unexpected EOF');
    return c;
  }

  private peekOrUndefined(): number | undefined {
    return this.b[this.i];
  }

  private skipSpace(): void {
    while (isSpace(this.b[this.i])) this.i++;
  }

  private invalid(context: string): GoJsonSyntaxError {
    return new GoJsonSyntaxError(`invalid character ${quoteChar(this.b[this.i]!)} ${context}`);
  }
}
