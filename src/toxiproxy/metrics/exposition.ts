/**
 * The Prometheus text format (0.0.4) as Go's client_golang writes it for toxiproxy-server:
 * families sorted by name, `# HELP` then `# TYPE`, label pairs sorted by name, values in Go's
 * shortest `%g` form (`1.5e+09`, not `1500000000`), so a scrape of paychaos proxy reads like
 * one of toxiproxy-server.
 */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: readonly Sample[];
}

export function renderFamilies(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of [...families].sort((a, b) => compare(a.name, b.name))) {
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    const rendered = family.samples.map((s) => `${family.name}${renderLabels(s.labels)} ${goFloat(s.value)}`);
    lines.push(...rendered.sort(compare));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function renderLabels(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort(compare);
  if (names.length === 0) return '';
  return `{${names.map((n) => `${n}="${escapeValue(labels[n]!)}"`).join(',')}}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const escapeHelp = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Go's strconv.FormatFloat(v, 'g', -1, 64), which expfmt uses for every value. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mantissa = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  // Shortest %g decides with precision 6 (Go's ftoa.go): %e below 1e-4 and from 1e6 up.
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(v);
}
