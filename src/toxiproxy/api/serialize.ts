import type { Proxy } from '../proxy.js';
import type { ToxicWrapper } from '../toxic-wrapper.js';

/**
 * Response bodies byte-for-byte as Go's encoding/json writes them: Toxiproxy's key order,
 * `<`, `>`, `&`, U+2028 and U+2029 escaped, float32 toxicity in its shortest form, map keys
 * sorted by bytes, and the stray `"Logger":{}` every Toxiproxy proxy carries.
 */
export function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The shortest decimal that reads back as the same float32, as Go prints a float32. */
export function float32Text(value: number): string {
  const x = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return String(candidate);
  }
  return String(x);
}

export function toxicJson(toxic: ToxicWrapper): string {
  const attributes = Object.keys(toxic.definition.attributes)
    .map((name) => `${goString(name)}:${String(toxic.attributes[name] ?? 0)}`)
    .join(',');
  return `{"attributes":{${attributes}},"name":${goString(toxic.name)},"type":${goString(toxic.type)},"stream":${goString(toxic.stream)},"toxicity":${float32Text(toxic.toxicity)}}`;
}

export function toxicsJson(toxics: readonly ToxicWrapper[]): string {
  return `[${toxics.map(toxicJson).join(',')}]`;
}

export function proxyJson(proxy: Proxy): string {
  return `{"name":${goString(proxy.name)},"listen":${goString(proxy.listen)},"upstream":${goString(proxy.upstream)},"enabled":${proxy.enabled},"Logger":{},"toxics":${toxicsJson(proxy.toxics.list())}}`;
}

/** Go marshals a map with its keys sorted bytewise. */
export function proxyMapJson(proxies: readonly Proxy[]): string {
  const sorted = [...proxies].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  return `{${sorted.map((p) => `${goString(p.name)}:${proxyJson(p)}`).join(',')}}`;
}

/** A JSON list that Go would marshal as `null` when empty (a nil slice). */
export function nullableProxyList(proxies: readonly Proxy[]): string {
  return proxies.length === 0 ? 'null' : `[${proxies.map(proxyJson).join(',')}]`;
}

export function errorJson(message: string, status: number, code?: string): string {
  return `{"error":${goString(message)},"status":${status}${code ? `,"code":${goString(code)}` : ''}}`;
}
