/**
 * UnionPay writes times as `yyyyMMddHHmmss` in Beijing time (UTC+8, no daylight saving): the
 * merchant's txnTime, the answers' traceTime (`MMddHHmmss`) and settleDate (`MMdd`).
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function upopTime(at: Date | number): string {
  const t = typeof at === 'number' ? at : at.getTime();
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** Whether `text` is a real yyyyMMddHHmmss (month 13 or second 61 is not). */
export function isUpopTime(text: string): boolean {
  if (!/^\d{14}$/.test(text)) return false;
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(8, 10)}:${text.slice(10, 12)}:${text.slice(12, 14)}+08:00`;
  const ms = Date.parse(iso);
  return !Number.isNaN(ms) && upopTime(ms) === text;
}

/** `MMdd` of Beijing time: the settlement date UnionPay names in answers. */
export function upopSettleDate(at: Date | number): string {
  return upopTime(at).slice(4, 8);
}
