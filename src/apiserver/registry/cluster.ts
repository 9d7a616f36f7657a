import { type Clock, systemClock } from '../../lib/clock.js';
import type { KubeObject, ResourceType } from '../contracts.js';
import type { DiscoveryDocs } from '../handlers/discovery.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Parts } from './parts.js';
import { type ClusterTypes, gvString } from './types.js';

/** One virtual cluster: its objects, its CRD-derived types and its admin credential. */
export class VirtualCluster {
  discovery?: { generation: number; docs: DiscoveryDocs };
  /** Deferred lifecycle work (namespace deletion, garbage collection, CRD cleanup). */
  private pending: (() => void)[] = [];
  private scheduled = false;
  closed = false;

  constructor(
    readonly name: string,
    readonly token: string,
    readonly store: ObjectStore,
    readonly types: ClusterTypes,
    readonly parts: Parts,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Now as kube writes timestamps (RFC 3339, whole seconds). */
  now(): string {
    const sec = Math.floor(this.clock.now() / 1000);
    if (sec !== this.nowSec) {
      this.nowSec = sec;
      this.nowText = new Date(sec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    return this.nowText;
  }
  private nowSec = Number.NaN;
  private nowText = '';

  /** Runs `fn` after the current request, like kube's controllers do asynchronously. */
  defer(fn: () => void): void {
    this.pending.push(fn);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    let guard = 0;
    while (this.pending.length > 0 && !this.closed && guard++ < 10_000) {
      const fn = this.pending.shift()!;
      try {
        fn();
      } catch {
        // Lifecycle work is level-triggered: a failed step is retried by the next change.
      }
    }
  }

  /** The type that stores `kind` objects of `apiVersion`, if served. */
  typeForKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.all().find((t) => gvString(t.group, t.version) === apiVersion && t.kind === kind);
  }

  namespaceObject(ns: string): KubeObject | undefined {
    return this.store.get('/namespaces', undefined, ns)?.obj;
  }
}
