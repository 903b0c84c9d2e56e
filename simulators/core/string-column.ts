/**
 * A column of optional strings stored as UTF-8 in one growing arena, with an offset and a
 * length per row. A JS string costs ~3× its length in heap; here a row costs its bytes plus
 * eight. A row equal to the previous one shares its bytes, which is the common case in a
 * ledger (an authorisation and its capture carry the same ids).
 */
export class StringColumn {
  #bytes = Buffer.allocUnsafe(64 * 1024);
  #used = 0;
  #starts = new Uint32Array(1024);
  /** -1 marks undefined. */
  #lengths = new Int32Array(1024);
  #rows = 0;
  #last: string | undefined;

  push(value: string | undefined): void {
    const row = this.#rows;
    if (row === this.#starts.length) this.#growRows();
    if (value === undefined) {
      this.#lengths[row] = -1;
    } else if (row > 0 && value === this.#last && this.#lengths[row - 1]! >= 0) {
      this.#starts[row] = this.#starts[row - 1]!;
      this.#lengths[row] = this.#lengths[row - 1]!;
    } else {
      const need = this.#write(value);
      this.#starts[row] = this.#used;
      this.#lengths[row] = need;
      this.#used += need;
    }
    this.#last = value;
    this.#rows++;
  }

  get(row: number): string | undefined {
    const len = this.#lengths[row]!;
    if (len < 0) return undefined;
    const start = this.#starts[row]!;
    return this.#bytes.toString('utf8', start, start + len);
  }

  /** Whether `row` holds exactly these UTF-8 bytes; compares without decoding. */
  equals(row: number, utf8: Buffer): boolean {
    const len = this.#lengths[row]!;
    if (len !== utf8.length) return false;
    const start = this.#starts[row]!;
    return this.#bytes.compare(utf8, 0, len, start, start + len) === 0;
  }

  get length(): number {
    return this.#rows;
  }

  /**
   * Writes `value` as UTF-8 at the end of the arena and returns its length in bytes. Ids are
   * ASCII: copied here byte by byte, which is several times cheaper than two calls into C++
   * (byteLength, write) for strings of a few dozen characters.
   */
  #write(value: string): number {
    const n = value.length;
    // A UTF-16 code unit never takes more than three UTF-8 bytes.
    if (this.#used + 3 * n > this.#bytes.length) this.#growBytes(3 * n);
    const bytes = this.#bytes;
    const at = this.#used;
    if (n <= 64) {
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        bytes[at + i] = c;
      }
      if (i === n) return n;
    }
    return bytes.write(value, at, 'utf8');
  }

  #growRows(): void {
    const starts = new Uint32Array(this.#starts.length * 2);
    starts.set(this.#starts);
    const lengths = new Int32Array(this.#lengths.length * 2);
    lengths.set(this.#lengths);
    this.#starts = starts;
    this.#lengths = lengths;
  }

  #growBytes(need: number): void {
    const bytes = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#used + need));
    this.#bytes.copy(bytes, 0, 0, this.#used);
    this.#bytes = bytes;
  }
}
