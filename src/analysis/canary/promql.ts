/**
 * The few PromQL rules the judge relies on when it fills a query template. Pure: the config,
 * the CLI, the HTTP face and the Prometheus source all check and build with these, so a value
 * one of them accepts is one the others can place safely.
 *
 *   template   sum(increase(x{paychaos_variant="{{variant}}"}[{{window}}]))
 *                                              ▲ escaped        ▲ validated
 *                             promqlStringContent(label)   isPrometheusDuration(window)
 */

/**
 * A Prometheus duration as its parser takes it: units largest first, each at most once
 * (`1h30m`, `10m`, `500ms`; not `30m1h`). Zero is refused: an empty window judges nothing.
 */
const DURATION = /^(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

export function isPrometheusDuration(value: string): boolean {
  return DURATION.test(value) && /[1-9]/.test(value);
}

/**
 * A label value escaped as the content of a double-quoted PromQL string (the rules of Go's
 * double-quoted literals, which PromQL uses): a backslash, a double quote and line breaks are
 * escaped, so the value cannot end the string early or break the selector around it.
 * `x"}or vector(1)#` becomes `x\"}or vector(1)#`: one odd label value, not a second query.
 */
export function promqlStringContent(value: string): string {
  return value.replace(/[\\"\n\r]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' };

/** Placeholders a query template may hold. */
export const VARIANT_PLACEHOLDER = '{{variant}}';
export const WINDOW_PLACEHOLDER = '{{window}}';

/**
 * Whether every `{{variant}}` of a template sits inside a double-quoted string
 * (`paychaos_variant="{{variant}}"`, `job=~"{{variant}}|shadow"`). Only there does the escaping
 * of promqlStringContent make any label value safe; in a single-quoted or raw string, in a
 * comment or bare it would not, so such templates are refused when the config is read.
 */
export function variantPlaceholdersQuoted(template: string): boolean {
  let quote: '"' | "'" | '`' | '#' | undefined; // '#': inside a comment, to the end of the line
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (template.startsWith(VARIANT_PLACEHOLDER, i)) {
      if (quote !== '"') return false;
      i += VARIANT_PLACEHOLDER.length - 1;
    } else if (quote === undefined) {
      if (c === '"' || c === "'" || c === '`' || c === '#') quote = c;
    } else if (quote === '#') {
      if (c === '\n') quote = undefined;
    } else if (c === '\\' && quote !== '`') {
      i++; // an escaped character never closes the string
    } else if (c === quote) {
      quote = undefined;
    }
  }
  return true;
}

/**
 * Fill a template: `{{variant}}` with the escaped label value, `{{window}}` with the window, in
 * one pass, so a label value that itself reads `{{window}}` stays a label value.
 */
export function renderQuery(template: string, variant: string, window: string): string {
  return template.replace(/\{\{(variant|window)\}\}/g, (_m, name: string) => (name === 'variant' ? promqlStringContent(variant) : window));
}
