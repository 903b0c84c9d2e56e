/**
 * Everything a report shows comes from a run: order ids, error messages and provider codes are
 * whatever a system under test or a provider sent, so every string reaches the page through
 * one of these two doors and nothing else.
 */

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * A value as a JavaScript literal inside `<script>`: JSON, with the characters that could end
 * the script element (`</script>`, `<!--`) or break a JS string (U+2028, U+2029) escaped as
 * \u sequences, which JSON.parse and JS read back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
