import { esc } from './escape.js';

/** A cell: text (escaped) or HTML already built from escaped parts. */
export type Cell = string | number | { readonly html: string } | undefined;

export const raw = (html: string): { html: string } => ({ html });

function cell(c: Cell): string {
  if (c === undefined) return '';
  if (typeof c === 'object') return c.html;
  return esc(c);
}

/** A table in a horizontally scrolling box, so a wide one never breaks a phone's layout. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], options: { id?: string; numeric?: readonly number[] } = {}): string {
  const numeric = new Set(options.numeric ?? []);
  const td = (c: Cell, i: number) => `<td${numeric.has(i) ? ' class="num"' : ''}>${cell(c)}</td>`;
  return [
    `<div class="scroll"><table${options.id ? ` id="${esc(options.id)}"` : ''}>`,
    `<thead><tr>${headers.map((h, i) => `<th${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('')}</tbody>`,
    '</table></div>',
  ].join('');
}

/** A small coloured word: ok, warn, bad. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'muted'): { html: string } {
  return raw(`<span class="badge ${tone}">${esc(text)}</span>`);
}
