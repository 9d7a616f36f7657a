import type { KubeObject } from '../contracts.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change. `json` is the object serialised once, shared by every watcher. */
export interface WatchEvent {
  type: EventType;
  rv: number;
  resource: string;
  namespace: string;
  name: string;
  obj: KubeObject;
  json: string;
  /** The object before the change (MODIFIED/DELETED), for selector transitions. */
  prev?: KubeObject;
}

/** A live watch subscription; `deliver` returns false when the watcher is gone. */
export interface Watcher {
  resource: string;
  /** Only events of this namespace; undefined for all. */
  namespace?: string;
  deliver(ev: WatchEvent): void;
}

/**
 * Per-cluster fan-out of committed changes plus a bounded window of recent events, so watches can
 * resume from a resourceVersion. Resuming from before the window gets 410 Expired.
 */
export class WatchHub {
  private window: WatchEvent[] = [];
  private start = 0;
  /** Highest resourceVersion no longer replayable. */
  compactedRv: number;
  private watchers = new Map<string, Set<Watcher>>();

  constructor(
    initialRv: number,
    private readonly capacity = 1000,
  ) {
    this.compactedRv = initialRv;
  }

  publish(ev: WatchEvent): void {
    this.window.push(ev);
    if (this.window.length - this.start > this.capacity) {
      this.compactedRv = this.window[this.start].rv;
      this.start++;
      if (this.start > this.capacity) {
        this.window = this.window.slice(this.start);
        this.start = 0;
      }
    }
    const set = this.watchers.get(ev.resource);
    if (!set) return;
    for (const w of set) {
      if (w.namespace !== undefined && w.namespace !== ev.namespace) continue;
      w.deliver(ev);
    }
  }

  /** Events of `resource` after `rv`, or undefined if `rv` is older than the window. */
  since(rv: number, resource: string): WatchEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const out: WatchEvent[] = [];
    for (let i = this.start; i < this.window.length; i++) {
      const ev = this.window[i];
      if (ev.rv > rv && ev.resource === resource) out.push(ev);
    }
    return out;
  }

  add(w: Watcher): () => void {
    let set = this.watchers.get(w.resource);
    if (!set) this.watchers.set(w.resource, (set = new Set()));
    set.add(w);
    return () => {
      set.delete(w);
      if (set.size === 0) this.watchers.delete(w.resource);
    };
  }

  watcherCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  /** Ends every watch (the cluster is being removed). */
  closeAll(currentRv: number): void {
    for (const resource of [...this.watchers.keys()]) this.forget(resource, currentRv);
  }

  /** Ends the watches of `resource` (its type was removed). */
  forget(resource: string, currentRv: number): void {
    for (const w of this.watchers.get(resource) ?? []) w.deliver(closeEvent(resource, currentRv));
    this.watchers.delete(resource);
  }
}

/** A sentinel event telling a watcher to end (its type went away). */
export function closeEvent(resource: string, rv: number): WatchEvent {
  return { type: 'DELETED', rv, resource, namespace: '\0close', name: '', obj: {}, json: '' };
}

export function isCloseEvent(ev: WatchEvent): boolean {
  return ev.namespace === '\0close';
}
