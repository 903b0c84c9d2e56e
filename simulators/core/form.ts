/**
 * application/x-www-form-urlencoded with bracket nesting, as Stripe's API takes it:
 * `metadata[order_id]=A1&expand[]=charges` → `{ metadata: { order_id: 'A1' }, expand: ['charges'] }`.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseForm(body: string): FormObject {
  const out: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = splitKey(rawKey);
    if (path.length === 0) continue;
    assign(out, path, value);
  }
  return out;
}

function splitKey(key: string): string[] {
  const head = /^[^[\]]*/.exec(key)?.[0] ?? '';
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  return head === '' ? [] : [head, ...rest];
}

function assign(target: FormObject | FormValue[], path: string[], value: string): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  const container = target as Record<string, FormValue> & FormValue[];
  if (rest.length === 0) {
    if (Array.isArray(container) && key === '') container.push(value);
    else container[key as never] = value as never;
    return;
  }
  const wantArray = rest[0] === '';
  const slot = key === '' && Array.isArray(container) ? undefined : container[key as never];
  let child: FormObject | FormValue[];
  if (slot !== undefined && typeof slot === 'object') child = slot as FormObject | FormValue[];
  else {
    child = wantArray ? [] : {};
    if (Array.isArray(container) && key === '') container.push(child);
    else container[key as never] = child as never;
  }
  assign(child, rest, value);
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
