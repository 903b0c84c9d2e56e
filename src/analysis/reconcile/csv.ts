import { paychaosError } from '../../kernel/index.js';

/**
 * RFC 4180 CSV: fields may be quoted ("a,b", "say ""hi"""), lines end in CRLF or LF, a UTF-8 byte
 * order mark is dropped. Returns the rows as arrays of fields; blank lines are skipped.
 * `source` names the input in the error an unterminated quote gives.
 */
export function parseCsv(text: string, source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
  }
  if (quoted) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${source}: a quoted field is never closed`, { source });
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
