/**
 * A threshold's metric with its tag filter, k6-style: `latency{provider:alipay,variant:canary}`.
 * k6 scopes a threshold to a sub-metric the same way (`http_req_duration{status:200}`); we
 * accept several tags, all of which must match.
 */
export interface MetricSelector {
  readonly source: string;
  readonly metric: string;
  readonly tags: Readonly<Record<string, string>>;
}

const PATTERN = /^\s*([a-z_][a-z0-9_]*)\s*(?:\{([^{}]*)\})?\s*$/;

export function parseSelector(source: string): MetricSelector | string {
  const m = PATTERN.exec(source);
  if (!m) return `"${source}" is not a metric: write name or name{tag:value,…}, e.g. "latency{provider:alipay}"`;
  const tags: Record<string, string> = {};
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const part of m[2].split(',')) {
      const kv = /^\s*([a-z_][a-z0-9_]*)\s*:\s*([^\s,:]+)\s*$/.exec(part);
      if (!kv) return `"${source}": tag "${part.trim()}" must be tag:value`;
      if (Object.hasOwn(tags, kv[1]!)) return `"${source}": tag ${kv[1]} is given twice`;
      tags[kv[1]!] = kv[2]!;
    }
  }
  return Object.freeze({ source: source.trim(), metric: m[1]!, tags: Object.freeze(tags) });
}
