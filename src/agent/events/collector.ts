/**
 * Push placement, management side: watches the EventReports in `projectsveltos` of every managed
 * cluster and copies each one up as `<capi|sveltos>--<eventSource>--<cluster>` in the cluster's
 * namespace of the management cluster, by watch (Sveltos polls every 10 s). A report deleted in
 * the managed cluster is deleted in the management cluster. The managed copy is then marked
 * `Processed`.
 */
import type { Registry } from 'prom-client';
import { type EventReport, LIB_API_VERSION, SVELTOS_NAMESPACE } from '../../api/index.js';
import type { Clock } from '../../lib/clock.js';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../../kube/index.js';
import {
  Controller,
  type Informer,
  type InformerFactory,
  type Logger,
  mappers,
  Outcome,
  type Runnable,
  splitClusterKey,
} from '../../runtime/index.js';
import {
  type ClusterRef,
  desiredReport,
  EVENT_REPORT_KIND,
  goJson,
  reportLabels,
  reportLocation,
} from './report.js';
import { EVENTS_FIELD_MANAGER } from './writer.js';

export interface CollectorOptions {
  /** The management cluster, where the copies go. */
  management: KubeClient;
  /** Informers of the managed clusters (shared with the other management controllers). */
  informers: InformerFactory;
  logger: Logger;
  clock?: Clock;
  registry?: Registry;
  workers?: number;
}

interface Source {
  cluster: ClusterRef;
  informer: Informer<EventReport>;
  off: () => void;
}

/** `<type>.<namespace>.<name>`: no `:` so it survives `splitClusterKey`. */
export function collectorClusterId(c: ClusterRef): string {
  return `${c.clusterType}.${c.clusterNamespace}.${c.clusterName}`;
}

export class EventReportCollector implements Runnable {
  readonly needLeaderElection = true;
  readonly controller: Controller;
  private readonly clusters = new Map<string, Source>();

  constructor(private readonly opts: CollectorOptions) {
    this.controller = new Controller({
      name: 'eventreport-collector',
      reconcile: (key, { signal }) => this.reconcile(key, signal),
      logger: opts.logger,
      workers: opts.workers ?? 2,
      needLeaderElection: false,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.registry ? { registry: opts.registry } : {}),
    });
  }

  /** Starts collecting from a managed cluster (its client's informer set comes from the factory). */
  addCluster(cluster: ClusterRef, client: KubeClient): void {
    const id = collectorClusterId(cluster);
    if (this.clusters.has(id)) return;
    const informer = this.opts.informers.forCluster(client).informer<EventReport>({
      apiVersion: LIB_API_VERSION,
      kind: EVENT_REPORT_KIND,
      namespace: SVELTOS_NAMESPACE,
    });
    const off = this.controller.watch(informer, { map: mappers.inCluster(id) });
    this.clusters.set(id, { cluster, informer, off });
  }

  /** Stops collecting from a cluster (its copies stay until the cleanup of the event framework). */
  removeCluster(cluster: ClusterRef): void {
    const id = collectorClusterId(cluster);
    this.clusters.get(id)?.off();
    this.clusters.delete(id);
  }

  start(signal: AbortSignal): Promise<void> {
    return this.controller.start(signal);
  }

  private async reconcile(key: string, signal: AbortSignal): Promise<Outcome> {
    const { cluster: id, namespace, name } = splitClusterKey(key);
    const src = this.clusters.get(id);
    if (!src) return Outcome.done;
    const { management } = this.opts;
    const loc = reportLocation({ kind: 'management' }, name, src.cluster);
    const ref = { apiVersion: LIB_API_VERSION, kind: EVENT_REPORT_KIND, ...loc };
    const report = src.informer.store.get(`${namespace}/${name}`);
    if (!report || report.metadata?.deletionTimestamp) {
      try {
        await management.delete(ref, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return Outcome.done;
    }
    let stored: EventReport | undefined;
    try {
      stored = await management.get<EventReport>(ref, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const spec = { ...(report.spec ?? {}), ...reportIdentity(name, src.cluster) };
    const labels = reportLabels(name, src.cluster);
    const have = stored?.metadata?.labels ?? {};
    const same =
      stored &&
      goJson(stored.spec) === goJson(spec) &&
      Object.entries(labels).every(([k, v]) => have[k] === v);
    if (!same) {
      const want = desiredReport(loc, spec, labels, stored);
      want.spec = spec;
      const opts = { fieldManager: EVENTS_FIELD_MANAGER, signal };
      try {
        if (stored) await management.update(want, opts);
        else await management.create(want, opts);
      } catch (err) {
        if (isConflict(err) || isAlreadyExists(err)) return Outcome.retry(err);
        throw err;
      }
    }
    if (report.status?.phase !== 'Processed') {
      await src.informer.client.updateStatus<EventReport>(
        { ...structuredClone(report), status: { ...report.status, phase: 'Processed' } },
        { fieldManager: EVENTS_FIELD_MANAGER, signal },
      );
    }
    return Outcome.done;
  }
}

function reportIdentity(eventSource: string, c: ClusterRef) {
  return {
    clusterName: c.clusterName,
    clusterNamespace: c.clusterNamespace,
    clusterType: c.clusterType,
    eventSourceName: eventSource,
  };
}
