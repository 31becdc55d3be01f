/**
 * The SQLite store: one connection per process (sqlite3 package), WAL, foreign keys, busy timeout,
 * numbered migrations applied at open. sqlite3 runs statements on one connection in call order, so
 * statements from unrelated callers could land inside someone else's transaction; every call
 * therefore goes through one queue, and `transaction()` holds the queue until it commits.
 */
import sqlite3 from 'sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations, type Migration } from './migrations/index.ts';

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

export interface RunResult {
  changes: number;
  lastID: number;
}

/** What repositories need: statements that run either alone or inside the current transaction. */
export interface Queryable {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface OpenOptions {
  /** Busy timeout in ms for other processes (e.g. a CLI import while the server runs). */
  busyTimeoutMs?: number;
  /** Migrations to apply; tests may pass a prefix of the list. */
  migrations?: readonly Migration[];
}

/** The part of node-sqlite3's Backup object `backupTo` uses. */
interface OnlineBackup {
  readonly completed: boolean;
  readonly failed: boolean;
  step(pages: number, cb: (err: Error | null) => void): void;
  finish(cb: (err: Error | null) => void): void;
}

class Connection implements Queryable {
  constructor(protected readonly db: sqlite3.Database) {}

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)));
    });
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err: Error | null) => (err ? reject(err) : resolve())));
  }
}

export class Database implements Queryable {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly conn: Connection;

  private constructor(private readonly raw: sqlite3.Database, readonly file: string) {
    this.conn = new Connection(raw);
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static async open(file: string, options: OpenOptions = {}): Promise<Database> {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, (err: Error | null) => (err ? reject(err) : resolve(db)));
    });
    const db = new Database(raw, file);
    raw.configure('busyTimeout', options.busyTimeoutMs ?? 5000);
    await db.conn.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;');
    await db.migrate(options.migrations ?? migrations);
    return db;
  }

  /** Serialises `fn` behind every call queued before it. */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.enqueue(() => this.conn.run(sql, params));
  }
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.enqueue(() => this.conn.get<T>(sql, params));
  }
  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.enqueue(() => this.conn.all<T>(sql, params));
  }
  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.conn.exec(sql));
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (the write lock is taken up front, so two processes
   * cannot both read-then-write). Commits when `fn` resolves, rolls back when it throws.
   * Use only the `tx` handle inside `fn`: calls on the Database itself would wait for the commit.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.conn.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.conn);
        await this.conn.exec('COMMIT');
        return result;
      } catch (err) {
        await this.conn.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get<{ user_version: number }>('PRAGMA user_version');
    return row?.user_version ?? 0;
  }

  private async migrate(list: readonly Migration[]): Promise<void> {
    list.forEach((m, i) => {
      if (m.version !== i + 1) throw new Error(`migration list out of order at ${m.name}: expected version ${i + 1}`);
    });
    const current = await this.schemaVersion();
    if (current > list.length) {
      throw new Error(`database ${this.file} has schema version ${current}, newer than this program (${list.length})`);
    }
    for (const m of list.slice(current)) {
      if (m.foreignKeysOff) await this.exec('PRAGMA foreign_keys = OFF');
      try {
        await this.transaction(async (tx) => {
          await tx.exec(m.sql);
          if (m.foreignKeysOff) {
            const broken = await tx.all<{ table: string }>('PRAGMA foreign_key_check');
            if (broken.length) throw new Error(`migration ${m.name} leaves ${broken.length} broken foreign key(s), first in ${broken[0]?.table}`);
          }
          await tx.exec(`PRAGMA user_version = ${m.version}`);
        });
      } finally {
        if (m.foreignKeysOff) await this.exec('PRAGMA foreign_keys = ON');
      }
    }
  }

  /**
   * Copies the whole database into `file` with SQLite's online backup API, in one step: a read
   * snapshot (WAL lets the running kiosk keep writing meanwhile), so the copy is one consistent
   * moment. Queued like a statement, so it never lands inside one of our own transactions.
   */
  backupTo(file: string): Promise<void> {
    return this.enqueue(() => new Promise<void>((resolve, reject) => {
      // The sqlite3 typings omit the backup API (Database#backup, lib/sqlite3.js).
      const raw = this.raw as unknown as { backup(file: string, cb: (err: Error | null) => void): OnlineBackup };
      let retries = 0;
      const done = (err: Error | null): void => {
        backup.finish((finishErr) => {
          const failed = err ?? finishErr ?? (backup.completed ? null : new Error(`backup of ${this.file} did not complete`));
          if (failed) reject(failed);
          else resolve();
        });
      };
      // BUSY and LOCKED (another process holding a write lock at that instant) leave the backup
      // usable: the step is tried again a few times before giving up.
      const step = (): void => backup.step(-1, (err) => {
        if (err && !backup.failed && !backup.completed && retries++ < 50) setTimeout(step, 100);
        else done(err);
      });
      const backup = raw.backup(file, (err) => (err ? reject(err) : step()));
    }));
  }

  close(): Promise<void> {
    return this.enqueue(() => new Promise<void>((resolve, reject) => this.raw.close((err: Error | null) => (err ? reject(err) : resolve()))));
  }
}
