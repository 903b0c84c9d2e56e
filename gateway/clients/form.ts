/**
 * `application/x-www-form-urlencoded` in Stripe's dialect (docs.stripe.com/api: "the API accepts
 * form-encoded request bodies"; nested hashes as `metadata[order_id]=…`, arrays as `items[0]=…`).
 * Undefined values are left out.
 */
export type FormValue = string | number | boolean | undefined | FormValue[] | { [key: string]: FormValue };

export function encodeStripeForm(params: Readonly<Record<string, FormValue>>): string {
  const pairs: string[] = [];
  const add = (key: string, value: FormValue): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => add(`${key}[${i}]`, v));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    } else {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(params)) add(k, v);
  return pairs.join('&');
}
