/**
 * `npm run bench [-- name …]`: runs each benchmark in its own process, one after another (so they
 * never compete for the two cores), and lets each print its own figures and ratio.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['aggregator', 'driver', 'gateway', 'gateway-memory', 'gateway-store', 'judge', 'otlp-receiver', 'run-memory', 'simulator-memory', 'simulators', 'stack', 'toxiproxy', 'toxiproxy-wrk'] as const;

// The issues name some benchmarks by what they measure; map those names to the files.
const ALIASES: Record<string, (typeof BENCHMARKS)[number]> = { proxy: 'toxiproxy', 'proxy-wrk': 'toxiproxy-wrk', otlp: 'otlp-receiver' };

const asked = process.argv.slice(2).map((a) => ALIASES[a] ?? a);
const unknown = asked.filter((a) => !(BENCHMARKS as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')} (proxy = toxiproxy)`);
  process.exit(2);
}
let failed = 0;
for (const name of asked.length ? asked : BENCHMARKS) {
  console.log(`\n=== bench: ${name} ===`);
  const res = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL(`./${name}.js`, import.meta.url))], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
