import { mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Records of the processes and temporary directories a harness owns, one file each, so the next
 * start can sweep what a harness killed without teardown left behind — the second line of
 * defence after the guardian (guardian.ts), for when the guardian itself was killed too.
 *
 * A record names the harness pid, the child's process group and its command line. A record
 * whose harness is gone is an orphan: its group is killed only if the group's leader still runs
 * the recorded command (a pid reused by an unrelated process is left alone), its directory is
 * removed, and the record goes.
 */
export interface OwnedRecord {
  readonly harnessPid: number;
  readonly pgid?: number;
  /** The child's argv joined by NUL, as /proc/<pid>/cmdline holds it. */
  readonly cmdline?: string;
  readonly dir?: string;
}

export function recordsDir(): string {
  let user = 'user';
  try {
    user = String(userInfo().uid);
  } catch {
    // no passwd entry (some containers): one shared directory is still correct
  }
  return join(tmpdir(), `paychaos-${user}`, 'owned');
}

let counter = 0;

/** Write a record; returns a function that removes it (after a clean stop). */
export function recordOwned(record: Omit<OwnedRecord, 'harnessPid'>, dir = recordsDir()): () => void {
  const path = join(dir, `${process.pid}.${++counter}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, JSON.stringify({ harnessPid: process.pid, ...record }));
  } catch {
    // Best effort: the guardian still covers this run; a record is only the fallback.
    return () => {};
  }
  return () => {
    try {
      unlinkSync(path);
    } catch {
      // already swept
    }
  };
}

export interface SweepReport {
  readonly killedGroups: number[];
  readonly removedDirs: string[];
}

/** Kill and remove what dead harnesses left; never throws. */
export function sweepOrphans(dir = recordsDir()): SweepReport {
  const report = { killedGroups: [] as number[], removedDirs: [] as string[] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return report;
  }
  for (const name of names) {
    const path = join(dir, name);
    let record: OwnedRecord;
    try {
      record = JSON.parse(readFileSync(path, 'utf8')) as OwnedRecord;
    } catch {
      continue; // being written right now, or not ours
    }
    if (isAlive(record.harnessPid)) continue;
    if (record.pgid !== undefined && record.cmdline !== undefined && commandOf(record.pgid) === record.cmdline) {
      try {
        process.kill(-record.pgid, 'SIGKILL');
        report.killedGroups.push(record.pgid);
      } catch {
        // gone between the check and the kill
      }
    }
    if (record.dir) {
      try {
        rmSync(record.dir, { recursive: true, force: true });
        report.removedDirs.push(record.dir);
      } catch {
        // leave it; the record goes anyway
      }
    }
    try {
      unlinkSync(path);
    } catch {
      // another harness swept it first
    }
  }
  return report;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A running process's argv, NUL-joined; undefined when it is gone or unreadable (no /proc). */
export function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
  } catch {
    return undefined;
  }
}
