import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeGbk, zipArchive } from '../../../../simulators/core/index.js';

describe('encodeGbk', () => {
  it('writes the GBK bytes Windows writes, and reads back through a GBK decoder', () => {
    // From the GB 2312 / GBK code charts: 中 D6D0, 文 CEC4, 支 D6A7, （ A3A8, ￥ A3A4; ASCII unchanged.
    expect([...encodeGbk('中文a1,')]).toEqual([0xd6, 0xd0, 0xce, 0xc4, 0x61, 0x31, 0x2c]);
    expect([...encodeGbk('支（￥')]).toEqual([0xd6, 0xa7, 0xa3, 0xa8, 0xa3, 0xa4]);
    const text = '#支付宝业务明细查询,订单金额（元）,退款批次号/请求号';
    expect(new TextDecoder('gbk').decode(encodeGbk(text))).toBe(text);
  });

  it('writes ? for a character GBK has no code for', () => {
    expect(encodeGbk('a😀b').toString('latin1')).toBe('a?b');
  });
});

describe('zipArchive', () => {
  const entries = [
    { name: encodeGbk('明细.csv'), data: Buffer.from('a,b\r\n1,2\r\n') },
    { name: Buffer.from('empty.txt'), data: Buffer.alloc(0) },
  ];
  const zip = zipArchive(entries, new Date(Date.UTC(2026, 2, 9, 10, 30, 4)));

  it('lays out local headers, a central directory and an end record that agree (APPNOTE 4.3)', () => {
    const end = zip.length - 22;
    expect(zip.readUInt32LE(end)).toBe(0x06054b50);
    expect(zip.readUInt16LE(end + 10)).toBe(2);
    let at = zip.readUInt32LE(end + 16);
    for (const e of entries) {
      expect(zip.readUInt32LE(at)).toBe(0x02014b50);
      expect(zip.readUInt16LE(at + 8) & 0x0800).toBe(0); // names are not flagged UTF-8
      expect(zip.readUInt16LE(at + 14)).toBe(((2026 - 1980) << 9) | (3 << 5) | 9);
      const local = zip.readUInt32LE(at + 42);
      const nameLength = zip.readUInt16LE(at + 28);
      expect(zip.subarray(at + 46, at + 46 + nameLength)).toEqual(e.name);
      const dataAt = local + 30 + zip.readUInt16LE(local + 26);
      const data = inflateRawSync(zip.subarray(dataAt, dataAt + zip.readUInt32LE(at + 20)));
      expect(data).toEqual(e.data);
      expect(zip.readUInt32LE(at + 16)).toBe(crc32(e.data));
      at += 46 + nameLength;
    }
  });

  it('is read by Info-ZIP unzip when it is installed', () => {
    let hasUnzip = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      hasUnzip = false;
    }
    if (!hasUnzip) return;
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-zip-'));
    try {
      writeFileSync(join(dir, 'a.zip'), zip);
      expect(execFileSync('unzip', ['-t', join(dir, 'a.zip')], { encoding: 'utf8' })).toContain('No errors detected');
      // A flipped byte in the data is caught by the CRC: the negative control.
      const broken = Buffer.from(zip);
      broken[40] = broken[40]! ^ 0xff;
      writeFileSync(join(dir, 'b.zip'), broken);
      expect(() => execFileSync('unzip', ['-t', join(dir, 'b.zip')], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
