/**
 * application/x-www-form-urlencoded with bracket nesting, as Stripe's API takes it:
 * `metadata[order_id]=A1&expand[]=charges` → `{ metadata: { order_id: 'A1' }, expand: ['charges'] }`.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

type UsvString = string & { isWellFormed(): boolean; toWellFormed(): string };

export function parseForm(input: string): FormObject {
  const out: FormObject = {};
  // URLSearchParams reads its input as a USVString: a lone surrogate becomes U+FFFD.
  const body = (input as UsvString).isWellFormed() ? input : (input as UsvString).toWellFormed();
  // Split by hand rather than through URLSearchParams: this runs on every Stripe request, and
  // most pairs need no decoding at all. Decoding follows URLSearchParams exactly ('+' is a
  // space; a malformed escape is left as it is), which the slow path delegates to.
  let start = 0;
  const end = body.length;
  while (start <= end) {
    let amp = body.indexOf('&', start);
    if (amp === -1) amp = end;
    if (amp > start) {
      const pair = body.slice(start, amp);
      const eq = pair.indexOf('=');
      if (eq === -1) assignKey(out, decodeComponent(pair), '');
      else assignKey(out, decodeComponent(pair.slice(0, eq)), decodeComponent(pair.slice(eq + 1)));
    }
    start = amp + 1;
  }
  return out;
}

function decodeComponent(raw: string): string {
  const s = raw.indexOf('+') === -1 ? raw : raw.replace(/\+/g, ' ');
  if (s.indexOf('%') === -1) return s;
  try {
    // On well-formed escapes of valid UTF-8 this decodes exactly as URLSearchParams does.
    return decodeURIComponent(s);
  } catch {
    // Malformed: URLSearchParams keeps a bad escape as it is and decodes bad UTF-8 to U+FFFD.
    for (const [k] of new URLSearchParams(raw.replace(/[&=]/g, encodeURIComponent))) return k;
    return '';
  }
}

function assignKey(out: FormObject, key: string, value: string): void {
  // The common case, a plain name: no path to walk.
  if (key.indexOf('[') === -1 && key.indexOf(']') === -1) {
    if (key !== '') out[key] = value;
    return;
  }
  const path = splitKey(key);
  if (path.length !== 0) assign(out, path, value);
}

/** `a[b][]` → ['a', 'b', '']: the head before any bracket, then each `[…]` group. */
function splitKey(key: string): string[] {
  let headEnd = key.length;
  const open = key.indexOf('[');
  const close = key.indexOf(']');
  if (open !== -1) headEnd = open;
  if (close !== -1 && close < headEnd) headEnd = close;
  if (headEnd === 0) return [];
  const path = [key.slice(0, headEnd)];
  let pos = headEnd;
  for (;;) {
    const i = key.indexOf('[', pos);
    if (i === -1) break;
    const j = key.indexOf(']', i + 1);
    if (j === -1) break;
    path.push(key.slice(i + 1, j));
    pos = j + 1;
  }
  return path;
}

function assign(target: FormObject | FormValue[], path: string[], value: string): void {
  let container = target as Record<string, FormValue> & FormValue[];
  const last = path.length - 1;
  for (let d = 0; d < last; d++) {
    const key = path[d]!;
    const wantArray = path[d + 1] === '';
    const slot = key === '' && Array.isArray(container) ? undefined : container[key as never];
    let child: FormObject | FormValue[];
    if (slot !== undefined && typeof slot === 'object') child = slot as FormObject | FormValue[];
    else {
      child = wantArray ? [] : {};
      if (Array.isArray(container) && key === '') container.push(child);
      else container[key as never] = child as never;
    }
    container = child as Record<string, FormValue> & FormValue[];
  }
  const key = path[last]!;
  if (Array.isArray(container) && key === '') container.push(value);
  else container[key as never] = value as never;
}

/** Encode an object the way Stripe's clients do (used by the gateway and by tests). */
export function encodeForm(obj: Record<string, unknown>, prefix = ''): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    const key = prefix ? `${prefix}[${k}]` : k;
    if (Array.isArray(v)) v.forEach((item) => parts.push(`${encodeURIComponent(`${key}[]`)}=${encodeURIComponent(String(item))}`));
    else if (typeof v === 'object') parts.push(encodeForm(v as Record<string, unknown>, key));
    else parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  }
  return parts.filter(Boolean).join('&');
}
