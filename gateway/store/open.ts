import Database from 'better-sqlite3';
import { paychaosError } from '../../src/kernel/index.js';
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

/** The in-memory store: tests and the in-process mode use the same code path, minus the file. */
export const MEMORY = ':memory:';

/**
 * Open (or create) the gateway's SQLite file and bring its tables up to date.
 *
 * WAL: readers (GET /payments, the recovery loop's scan) never block the one writer, and a commit
 * is one append to the log instead of a rewrite of pages.
 *
 * synchronous = NORMAL, on purpose. In WAL mode NORMAL is durable against a crash of the process
 * — `kill -9`, an uncaught exception, the OOM killer: a committed transaction is in the WAL file
 * (the OS's page cache) before COMMIT returns, and the next open replays it. Only a crash of the
 * whole machine (power loss, kernel panic) can lose the last transactions before the next
 * checkpoint's fsync. FULL would close that gap at the price of an fsync on every commit — two per
 * payment — which bounds the gateway at the disk's fsync rate (a few hundred a second on the
 * machines this runs on) instead of its CPU. The gateway's recovery does not depend on it either:
 * a payment lost with the machine was still charged under a provider key derived from the client's
 * Idempotency-Key, so the client's retry meets the provider's own idempotency, not a second charge.
 *
 * A path it cannot open is PAYCHAOS_ERR_GATEWAY_BAD_DB naming `flag` (`--db`, `db`) and the path.
 */
export function openDb(path: string = MEMORY, flag = 'db'): Db {
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: false });
  } catch (err) {
    throw badDb(path, flag, err);
  }
  try {
    if (path !== MEMORY) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A second process on the same file (a restart racing the old one's exit) waits, briefly, instead of failing.
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`its tables are version ${version}, newer than this gateway's ${SCHEMA_VERSION}`);
    db.transaction(() => {
      // An existing older file first gains what its tables lack; CREATE … IF NOT EXISTS leaves them be.
      const existing = version > 0 || db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'payments'").get() !== undefined;
      if (existing) for (let v = Math.max(version, 1); v < SCHEMA_VERSION; v++) for (const statement of MIGRATIONS[v] ?? []) db.exec(statement);
      for (const statement of SCHEMA) db.exec(statement);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  } catch (err) {
    db.close();
    throw badDb(path, flag, err);
  }
  return db;
}

function badDb(path: string, flag: string, err: unknown) {
  const reason = (err as { code?: string }).code === 'SQLITE_CANTOPEN' ? 'cannot be opened (is its directory there and writable?)' : (err as Error).message;
  return paychaosError('PAYCHAOS_ERR_GATEWAY_BAD_DB', `${flag}: ${JSON.stringify(path)} ${reason}`, { flag, path }, { cause: err });
}
