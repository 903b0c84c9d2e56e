import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/**
 * Follows a file another process is appending NDJSON to (k6 writing `--out json`), handing
 * over complete lines only: a line cut mid-write stays buffered until its newline arrives.
 * The file may not exist yet when following starts (k6 creates it after its init phase).
 */
export class NdjsonTail {
  readonly path: string;
  #handle: FileHandle | undefined;
  #offset = 0;
  #partial = '';
  readonly #decoder = new StringDecoder('utf8');
  readonly #buffer = Buffer.allocUnsafe(64 * 1024);

  constructor(path: string) {
    this.path = path;
  }

  /** Read whatever was appended since the last call; returns the complete lines in it. */
  async poll(): Promise<string[]> {
    if (!this.#handle) {
      try {
        this.#handle = await open(this.path, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    }
    const lines: string[] = [];
    for (;;) {
      const { bytesRead } = await this.#handle.read(this.#buffer, 0, this.#buffer.length, this.#offset);
      if (bytesRead === 0) break;
      this.#offset += bytesRead;
      const text = this.#partial + this.#decoder.write(this.#buffer.subarray(0, bytesRead));
      const parts = text.split('\n');
      this.#partial = parts.pop() ?? '';
      for (const p of parts) lines.push(p);
    }
    return lines;
  }

  /** The last line when the writer ended without a newline. */
  rest(): string {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    return rest;
  }

  async close(): Promise<void> {
    await this.#handle?.close().catch(() => {});
    this.#handle = undefined;
  }
}
