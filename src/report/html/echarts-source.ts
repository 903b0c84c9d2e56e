import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { paychaosError } from '../../kernel/index.js';

let cached: string | undefined;

/**
 * Apache ECharts' minified browser build, read from the installed package and inlined into every
 * page, so a report opens offline and years later exactly as it was written. Read once per process.
 */
export function echartsSource(): string {
  if (cached !== undefined) return cached;
  let path: string;
  let text: string;
  try {
    path = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_REPORT_WRITE_FAILED', `the chart library (echarts/dist/echarts.min.js) is not installed: ${(err as Error).message}`, { package: 'echarts' }, { cause: err });
  }
  // Inlined in <script>: a literal "</script" in the library would end the element early.
  cached = text.replace(/<\/(script)/gi, '<\\/$1');
  return cached;
}
