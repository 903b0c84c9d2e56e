/**
 * Text → GBK bytes, for the files Chinese providers ship in GBK (Alipay's 对账单). Node can
 * decode GBK (`TextDecoder('gbk')`, from ICU) but not encode it, and paychaos adds no iconv
 * dependency for one file format: the encoding table is built once, lazily, by decoding every
 * two-byte GBK code (lead 0x81–0xFE, trail 0x40–0xFE but 0x7F) and keeping the first code each
 * character decodes from. ASCII is one byte. A character GBK cannot write becomes `?`, as
 * Windows' encoder does.
 */
let table: Map<string, number> | undefined;

function encodeTable(): Map<string, number> {
  if (table) return table;
  const decoder = new TextDecoder('gbk');
  const built = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = decoder.decode(pair);
      if (ch.length === 1 && ch !== '\uFFFD' && !built.has(ch)) built.set(ch, (lead << 8) | trail);
    }
  }
  table = built;
  return built;
}

export function encodeGbk(text: string): Buffer {
  const codes = encodeTable();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out.push(cp);
      continue;
    }
    const code = codes.get(ch);
    if (code === undefined) out.push(0x3f);
    else out.push(code >> 8, code & 0xff);
  }
  return Buffer.from(out);
}
