/**
 * Alipay writes times as `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving),
 * in responses, notifications and the `timestamp` request parameter.
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function alipayTime(at: Date | number): string {
  const t = typeof at === 'number' ? at : at.getTime();
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function isAlipayTimestamp(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text.replace(' ', 'T')}+08:00`));
}

/** `yyyyMMdd` of Beijing time, the prefix of Alipay trade numbers. */
export function alipayDate(at: Date): string {
  return alipayTime(at).slice(0, 10).replace(/-/g, '');
}
