import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PersistedCluster, PersistedObject, Persistence } from './persistence.js';

type Op = { cluster: string; rv: number; resource: string; key: string; data: string | undefined };

/**
 * SQLite persistence (one WAL database per state directory). Writes are queued and committed in
 * one transaction per event-loop turn, so thousands of writes per second cost a handful of fsyncs.
 */
export function sqlitePersistence(stateDir: string): Persistence {
  mkdirSync(stateDir, { recursive: true });
  const dbPath = join(stateDir, 'apiserver.db');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS clusters (name TEXT PRIMARY KEY, token TEXT NOT NULL, rv INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS objects (
      cluster TEXT NOT NULL, resource TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
      PRIMARY KEY (cluster, resource, key)) WITHOUT ROWID;
  `);
  const qPut = db.prepare(
    'INSERT OR REPLACE INTO objects (cluster, resource, key, data) VALUES (?, ?, ?, ?)',
  );
  const qDel = db.prepare('DELETE FROM objects WHERE cluster = ? AND resource = ? AND key = ?');
  const qRv = db.prepare('UPDATE clusters SET rv = ? WHERE name = ? AND rv < ?');
  const qObjects = db.prepare('SELECT resource, key, data FROM objects WHERE cluster = ?');
  const qGetMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
  const qSetMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  const qPutCluster = db.prepare('INSERT OR IGNORE INTO clusters (name, token, rv) VALUES (?, ?, 0)');
  const qDropCluster = db.prepare('DELETE FROM clusters WHERE name = ?');
  const qDropObjects = db.prepare('DELETE FROM objects WHERE cluster = ?');

  let queue: Op[] = [];
  let scheduled = false;
  let closed = false;

  const commit = db.transaction((ops: Op[]) => {
    const maxRv = new Map<string, number>();
    for (const op of ops) {
      if (op.data === undefined) qDel.run(op.cluster, op.resource, op.key);
      else qPut.run(op.cluster, op.resource, op.key, op.data);
      if ((maxRv.get(op.cluster) ?? 0) < op.rv) maxRv.set(op.cluster, op.rv);
    }
    for (const [cluster, rv] of maxRv) qRv.run(rv, cluster, rv);
  });

  function flush(): void {
    scheduled = false;
    if (queue.length === 0 || closed) return;
    const ops = queue;
    queue = [];
    try {
      commit(ops);
    } catch (err) {
      // A failed flush (disk full, database locked) must not take the server down; the writes
      // stay in memory and the next flush retries them.
      queue = ops.concat(queue);
      process.stderr.write(`flotilla apiserver: writing ${dbPath} failed, will retry: ${String(err)}\n`);
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 1000).unref();
      }
    }
  }

  return {
    durable: true,
    clusters: () => db.prepare('SELECT name, token, rv FROM clusters').all() as PersistedCluster[],
    objects: (cluster) => qObjects.iterate(cluster) as Iterable<PersistedObject>,
    putCluster(name, token) {
      flush();
      qPutCluster.run(name, token);
    },
    dropCluster(name) {
      flush();
      db.transaction(() => {
        qDropObjects.run(name);
        qDropCluster.run(name);
      })();
    },
    write(cluster, rv, resource, key, data) {
      queue.push({ cluster, rv, resource, key, data });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    getMeta: (key) => (qGetMeta.get(key) as { value: string } | undefined)?.value,
    setMeta: (key, value) => void qSetMeta.run(key, value),
    flush,
    close() {
      flush();
      closed = true;
      db.close();
    },
  };
}
