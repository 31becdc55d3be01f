/**
 * A process that dies the way a power cut or SIGKILL kills the kiosk at its worst moment: it accepts
 * a photo through the real CaptureRepository, and SIGKILLs itself after both archive files are
 * written (temp, fsync, rename, directory fsync) and before the row is committed.
 *
 *   node --import tsx die-before-commit.ts DATA_DIR JSON(AcceptInput without buffers)
 */
import { CaptureRepository, type AcceptInput } from '../../../controller/src/store/capture-repository.ts';
import { Database, type Queryable } from '../../../controller/src/store/database.ts';

const [dataDir, json] = process.argv.slice(2);
if (!dataDir || !json) throw new Error('usage: die-before-commit.ts DATA_DIR INPUT_JSON');
const input = JSON.parse(json) as Omit<AcceptInput, 'original' | 'deliverable' | 'acceptedAt'> & { original: string; deliverable: string; acceptedAt: string };

const db = await Database.open(`${dataDir}/rig.db`);
const dying = (tx: Queryable): Queryable => ({
  ...tx,
  run: (sql, params) => {
    if (/INSERT INTO accepted_photos/.test(sql)) process.kill(process.pid, 'SIGKILL');
    return tx.run(sql, params);
  },
  get: (sql, params) => tx.get(sql, params),
  all: (sql, params) => tx.all(sql, params),
  exec: (sql) => tx.exec(sql),
});
// Only transaction() is wrapped; everything else is the real store.
const store = new Proxy(db, {
  get(target, prop, receiver) {
    if (prop === 'transaction') return <T>(fn: (tx: Queryable) => Promise<T>) => target.transaction((tx) => fn(dying(tx)));
    const value: unknown = Reflect.get(target, prop, receiver);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});
await new CaptureRepository(store, dataDir).accept({
  ...input, original: Buffer.from(input.original), deliverable: Buffer.from(input.deliverable), acceptedAt: new Date(input.acceptedAt),
});
process.stdout.write('committed (the kill did not happen)\n');
