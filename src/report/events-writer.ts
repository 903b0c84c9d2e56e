import { createWriteStream, type WriteStream } from 'node:fs';
import { paychaosError } from '../kernel/index.js';

/**
 * events.jsonl: one JSON object per line, appended as events happen, so a run that is killed
 * keeps everything it measured up to that point. Writes are buffered by the stream; `close()`
 * flushes and resolves once the data is on disk (as far as the OS is concerned).
 */
export class EventsWriter {
  readonly path: string;
  readonly #stream: WriteStream;
  #error: Error | undefined;
  #lines = 0;

  constructor(path: string) {
    this.path = path;
    this.#stream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
    this.#stream.on('error', (err) => {
      this.#error = err;
    });
  }

  write(event: object): void {
    if (this.#error) return;
    this.#stream.write(`${JSON.stringify(event)}\n`);
    this.#lines++;
  }

  get lines(): number {
    return this.#lines;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.end(() => {
        if (this.#error) reject(paychaosError('PAYCHAOS_ERR_REPORT_WRITE_FAILED', `could not write ${this.path}: ${this.#error.message}`, { path: this.path }));
        else resolve();
      });
    });
  }
}
