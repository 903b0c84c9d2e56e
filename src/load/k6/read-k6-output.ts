import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { paychaosError } from '../../kernel/index.js';
import { parseK6Line, type K6Record } from './k6-line.js';

/**
 * Stream k6 `--out json` files record by record, one line per file in memory, so the output of
 * a long distributed run (gigabytes, one file per runner pod) ingests in constant memory.
 * `.gz` files (k6 gzips when the name ends in .gz) are decompressed on the fly.
 *
 * Several files — one per k6-operator pod — are merged by sample time (a k-way merge over
 * files that are each in time order, as k6 writes them), so the aggregator sees one run's
 * timeline rather than one pod after another. Returns the number of lines read.
 */
export async function readK6Output(paths: string | readonly string[], onRecord: (record: K6Record) => void): Promise<number> {
  const list = typeof paths === 'string' ? [paths] : paths;
  for (const path of list) await mustRead(path);
  const cursors = list.map((path) => new Cursor(path));
  try {
    for (const c of cursors) await c.advance(onRecord);
    for (;;) {
      let next: Cursor | undefined;
      for (const c of cursors) if (c.head && (!next || c.head.timeMs < next.head!.timeMs)) next = c;
      if (!next) break;
      onRecord(next.head!);
      if (!next.advanceBuffered(onRecord)) await next.advance(onRecord);
    }
    return cursors.reduce((n, c) => n + c.line, 0);
  } finally {
    for (const c of cursors) c.close();
  }
}

type TimedRecord = K6Record & { timeMs: number };

/**
 * One file's position: the next sample (its head); Metric declarations are passed through at
 * once. Lines are split from 64 KiB chunks here rather than by readline, so the per-line cost
 * is a string slice, not an await: ingest is CPU-bound on JSON.parse, as it should be.
 */
class Cursor {
  readonly path: string;
  line = 0;
  head: TimedRecord | undefined;
  readonly #stream: Readable;
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #decoder = new StringDecoder('utf8');
  #lines: string[] = [];
  #next = 0;
  #partial = '';
  #ended = false;

  constructor(path: string) {
    this.path = path;
    const file = createReadStream(path, { highWaterMark: 64 * 1024 });
    this.#stream = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
    file.on('error', (err) => this.#stream.destroy(err));
    this.#chunks = this.#stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Move to the next sample, reading more of the file only when the buffered lines run out. */
  async advance(onRecord: (record: K6Record) => void): Promise<void> {
    while (!this.advanceBuffered(onRecord)) {
      const text = await this.#refill();
      if (text === undefined) return;
      if (this.#take(text, onRecord)) return;
    }
  }

  /**
   * Move to the next sample using only the lines already read; false when more must be read
   * first. The synchronous path keeps the common case free of promise overhead.
   */
  advanceBuffered(onRecord: (record: K6Record) => void): boolean {
    this.head = undefined;
    while (this.#next < this.#lines.length) if (this.#take(this.#lines[this.#next++]!, onRecord)) return true;
    return this.#ended;
  }

  /** Parse one line; true when it is a sample (now the head). */
  #take(text: string, onRecord: (record: K6Record) => void): boolean {
    this.line++;
    const record = parseK6Line(text, { path: this.path, line: this.line });
    if (!record) return false;
    if (record.type === 'Point') {
      this.head = record;
      return true;
    }
    onRecord(record);
    return false;
  }

  /** The next line after reading more of the file; undefined at its end. */
  async #refill(): Promise<string | undefined> {
    while (!this.#ended) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.#chunks.next();
      } catch (err) {
        throw paychaosError('PAYCHAOS_ERR_K6_BAD_OUTPUT', `cannot read k6 output ${this.path} after line ${this.line}: ${(err as Error).message}`, { path: this.path, line: this.line });
      }
      let text: string;
      if (r.done) {
        this.#ended = true;
        text = this.#partial + this.#decoder.end();
        this.#lines = text === '' ? [] : [text];
      } else {
        text = this.#partial + this.#decoder.write(r.value);
        this.#lines = text.split('\n');
        this.#partial = this.#lines.pop() ?? '';
      }
      this.#next = 0;
      if (this.#lines.length > 0) return this.#lines[this.#next++]!;
    }
    return undefined;
  }

  close(): void {
    this.#stream.destroy();
  }
}

async function mustRead(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_K6_BAD_OUTPUT', `cannot read k6 output ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path });
  }
}
