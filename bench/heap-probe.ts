/**
 * Preloaded into the harness process by bench/run-memory (`node --expose-gc --import …`): every
 * PAYCHAOS_HEAP_PROBE_MS it runs a full garbage collection and appends one NDJSON line of
 * `process.memoryUsage()` to PAYCHAOS_HEAP_PROBE_FILE.
 *
 * Why: RSS alone cannot tell retention from garbage. V8 lets the old generation grow to a
 * multiple of the live heap before it collects it, so a process that keeps nothing per payment
 * still shows RSS rising for minutes at a steady rate (issue 19 read that as ≈ 0.5 KB per
 * payment). The heap after a full collection is what the process actually keeps; its slope per
 * payment is the figure that says whether an hour fits.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.PAYCHAOS_HEAP_PROBE_FILE;
const everyMs = Number(process.env.PAYCHAOS_HEAP_PROBE_MS ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;

if (file !== undefined && Number.isFinite(everyMs) && everyMs > 0) {
  setInterval(() => {
    gc?.();
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), gc: gc !== undefined, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  }, everyMs).unref();
}
