/**
 * Durable storage behind the in-memory object store. The store keeps every object in memory (reads
 * never touch the disk); a Persistence receives every committed change and must make it survive a
 * restart. Two implementations: `memoryPersistence` (nothing survives) and SQLite.
 */
export interface PersistedObject {
  resource: string;
  key: string;
  data: string;
}

export interface PersistedCluster {
  name: string;
  token: string;
  rv: number;
}

export interface Persistence {
  readonly durable: boolean;
  clusters(): PersistedCluster[];
  objects(cluster: string): Iterable<PersistedObject>;
  putCluster(name: string, token: string): void;
  dropCluster(name: string): void;
  /** Records a committed write: `data` undefined means the object was deleted. */
  write(cluster: string, rv: number, resource: string, key: string, data: string | undefined): void;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Makes every queued write durable now. */
  flush(): void;
  close(): void;
}

export function memoryPersistence(): Persistence {
  const meta = new Map<string, string>();
  return {
    durable: false,
    clusters: () => [],
    objects: () => [],
    putCluster() {},
    dropCluster() {},
    write() {},
    getMeta: (k) => meta.get(k),
    setMeta: (k, v) => void meta.set(k, v),
    flush() {},
    close() {},
  };
}
