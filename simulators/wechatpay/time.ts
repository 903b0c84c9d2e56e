/** WeChat Pay writes times as RFC 3339 in Beijing time: `2026-11-11T00:00:01+08:00`. */
export function wechatTime(at: Date | number): string {
  const t = typeof at === 'number' ? at : at.getTime();
  return `${new Date(t + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** `yyyyMMdd` of Beijing time, the prefix of transaction ids. */
export function wechatDate(at: Date): string {
  return wechatTime(at).slice(0, 10).replace(/-/g, '');
}
