import { randomBytes } from 'node:crypto';

/** A run id that sorts by time and carries no process-local assumption: `<prefix>-<UTC time>-<random>`. */
export function newRunId(prefix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}
