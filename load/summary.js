// @ts-check
/**
 * handleSummary for the paychaos k6 scripts: the end-of-test summary as JSON (for CI artefacts
 * and `paychaos` tooling) and a short text block on stdout. Written here rather than imported
 * from jslib.k6.io so the scripts run offline and type-check.
 */

/**
 * @typedef {object} SummaryMetric
 * @property {string} type
 * @property {Record<string, number>} values
 * @property {Record<string, { ok: boolean }>} [thresholds]
 */

/** @typedef {{ metrics: Record<string, SummaryMetric>, state?: { testRunDurationMs?: number } }} SummaryData */

/**
 * @param {SummaryData} data  what k6 passes to handleSummary
 * @param {string} jsonPath   where the full summary goes
 * @returns {Record<string, string>}
 */
export function paychaosSummary(data, jsonPath) {
  const m = data.metrics;
  const v = (/** @type {string} */ name, /** @type {string} */ stat) => {
    const metric = m[name];
    return metric && typeof metric.values[stat] === 'number' ? /** @type {number} */ (metric.values[stat]) : undefined;
  };
  const fmt = (/** @type {number | undefined} */ x, /** @type {number} */ digits, /** @type {string} */ unit) => (x === undefined ? 'n/a' : x.toFixed(digits) + unit);
  const lines = ['paychaos k6 summary'];
  const seconds = data.state && data.state.testRunDurationMs ? data.state.testRunDurationMs / 1000 : undefined;
  lines.push(`  shoppers     ${fmt(v('iterations', 'count'), 0, '')} (${fmt(v('iterations', 'rate'), 1, '/s')})${seconds ? ` in ${seconds.toFixed(1)} s` : ''}, dropped ${fmt(v('dropped_iterations', 'count') || 0, 0, '')}`);
  lines.push(`  requests     ${fmt(v('http_reqs', 'count'), 0, '')}, unexpected answers ${fmt(percent(v('http_req_failed', 'rate')), 2, '%')}`);
  lines.push(`  paid         ${fmt(percent(v('payment_success', 'rate')), 2, '%')} of shoppers`);
  lines.push(`  payment      p95 ${fmt(v('paychaos_client_duration', 'p(95)'), 1, ' ms')}  max ${fmt(v('paychaos_client_duration', 'max'), 1, ' ms')}`);
  /** @type {string[]} */
  const failed = [];
  for (const name of Object.keys(m)) {
    const t = /** @type {SummaryMetric} */ (m[name]).thresholds || {};
    for (const expr of Object.keys(t)) if (!(/** @type {{ok: boolean}} */ (t[expr]).ok)) failed.push(`${name}: ${expr}`);
  }
  lines.push(failed.length ? `  thresholds   FAILED ${failed.join('; ')}` : '  thresholds   all held');
  /** @type {Record<string, string>} */
  const out = { stdout: lines.join('\n') + '\n' };
  out[jsonPath] = JSON.stringify(data, null, 1);
  return out;
}

/**
 * @param {number | undefined} rate
 * @returns {number | undefined}
 */
function percent(rate) {
  return rate === undefined ? undefined : rate * 100;
}
