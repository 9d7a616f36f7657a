/**
 * Writes EventReports where the placement says (managed-cluster copy or management-cluster copy),
 * only when their content changes, and appends CloudEvents for the NATS watcher.
 */
import { type EventReport, type EventReportSpec, LIB_API_VERSION, Labels } from '../../api/index.js';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../../kube/index.js';
import {
  type ClusterRef,
  desiredReport,
  EVENT_REPORT_KIND,
  type ReportPlacement,
  reportLabels,
  reportLocation,
  reportUpToDate,
} from './report.js';

export const EVENTS_FIELD_MANAGER = 'flotilla-agent-events';

/** Where one agent's reports go: the client of the cluster hosting them, and the naming. */
export interface ReportTarget {
  client: KubeClient;
  placement: ReportPlacement;
  cluster: ClusterRef;
}

export type WriteResult = 'created' | 'updated' | 'unchanged';

const ref = (loc: { namespace: string; name: string }) => ({
  apiVersion: LIB_API_VERSION,
  kind: EVENT_REPORT_KIND,
  ...loc,
});

async function getReport(
  client: KubeClient,
  loc: { namespace: string; name: string },
  signal?: AbortSignal,
): Promise<EventReport | undefined> {
  try {
    return await client.get<EventReport>(ref(loc), signal ? { signal } : {});
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function createWithNamespace(
  client: KubeClient,
  obj: EventReport,
  signal?: AbortSignal,
): Promise<EventReport> {
  const opts = { fieldManager: EVENTS_FIELD_MANAGER, ...(signal ? { signal } : {}) };
  try {
    return await client.create<EventReport>(obj, opts);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    // The namespace is missing (a fresh managed cluster has no projectsveltos yet).
    try {
      await client.create(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: obj.metadata?.namespace } },
        opts,
      );
    } catch (nsErr) {
      if (!isAlreadyExists(nsErr)) throw nsErr;
    }
    return await client.create<EventReport>(obj, opts);
  }
}

export class ReportWriter {
  /**
   * The report as this writer last wrote or read it, per EventSource: a changed report is updated
   * from it directly (one request instead of GET + update); a conflict or a missing report falls
   * back to reading the stored one.
   */
  private readonly known = new Map<string, EventReport>();

  constructor(private readonly target: ReportTarget) {}

  location(eventSource: string): { namespace: string; name: string } {
    return reportLocation(this.target.placement, eventSource, this.target.cluster);
  }

  /** Creates or updates the report of `eventSource` unless it already holds `spec`. */
  async write(eventSource: string, spec: EventReportSpec, signal?: AbortSignal): Promise<WriteResult> {
    const { client } = this.target;
    const loc = this.location(eventSource);
    const labels = reportLabels(eventSource, this.target.cluster);
    const opts = { fieldManager: EVENTS_FIELD_MANAGER, ...(signal ? { signal } : {}) };
    const known = this.known.get(eventSource);
    this.known.delete(eventSource);
    if (known && !reportUpToDate(known, spec, labels)) {
      try {
        const written = await client.update<EventReport>(desiredReport(loc, spec, labels, known), opts);
        this.known.set(eventSource, await this.markWaiting(written, opts));
        return 'updated';
      } catch (err) {
        // Written by someone else since (CloudEvents, status) or deleted: read it and start over.
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
    }
    const stored = await getReport(client, loc, signal);
    if (reportUpToDate(stored, spec, labels)) {
      if (stored) this.known.set(eventSource, stored);
      return 'unchanged';
    }
    const want = desiredReport(loc, spec, labels, stored);
    const written = stored
      ? await client.update<EventReport>(want, opts)
      : await createWithNamespace(client, want, signal);
    this.known.set(eventSource, await this.markWaiting(written, opts));
    return stored ? 'updated' : 'created';
  }

  /** Managed copies wait for the collector, which marks them Processed once copied up. */
  private async markWaiting(
    written: EventReport,
    opts: { fieldManager: string; signal?: AbortSignal },
  ): Promise<EventReport> {
    if (this.target.placement.kind !== 'managed' || written.status?.phase === 'WaitingForDelivery')
      return written;
    return this.target.client.updateStatus<EventReport>(
      { ...written, status: { ...written.status, phase: 'WaitingForDelivery' } },
      opts,
    );
  }

  /** Deletes the report of `eventSource` (absent is fine). */
  async remove(eventSource: string, signal?: AbortSignal): Promise<boolean> {
    this.known.delete(eventSource);
    try {
      await this.target.client.delete(ref(this.location(eventSource)), signal ? { signal } : {});
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** The EventSource names of this cluster's reports that exist now (to clean up after restarts). */
  async listReportSources(signal?: AbortSignal): Promise<string[]> {
    const { client, cluster } = this.target;
    const probe = this.location('x');
    try {
      const list = await client.list<EventReport>(
        { apiVersion: LIB_API_VERSION, kind: EVENT_REPORT_KIND, namespace: probe.namespace },
        {
          labelSelector: `${Labels.eventReportClusterName}=${cluster.clusterName}`,
          ...(signal ? { signal } : {}),
        },
      );
      return list.items
        .filter(
          (r) =>
            r.spec?.clusterType === cluster.clusterType &&
            r.spec?.clusterNamespace === cluster.clusterNamespace,
        )
        .map((r) => r.spec?.eventSourceName ?? r.metadata?.labels?.[Labels.eventSourceName] ?? '')
        .filter((n) => n !== '');
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /**
   * Appends one CloudEvent (JSON structured mode) to the report of `eventSource`, creating an
   * empty report when none exists. Retries on write conflicts (the evaluator writes the same
   * object); the evaluator keeps `spec.cloudEvents` as it finds them.
   */
  async appendCloudEvent(eventSource: string, ce: object, signal?: AbortSignal): Promise<void> {
    const { client, cluster } = this.target;
    const loc = this.location(eventSource);
    const encoded = Buffer.from(JSON.stringify(ce), 'utf8').toString('base64');
    const opts = { fieldManager: EVENTS_FIELD_MANAGER, ...(signal ? { signal } : {}) };
    for (let attempt = 0; ; attempt++) {
      const stored = await getReport(client, loc, signal);
      const base: EventReportSpec = stored?.spec ?? {
        clusterNamespace: cluster.clusterNamespace,
        clusterName: cluster.clusterName,
        clusterType: cluster.clusterType,
        eventSourceName: eventSource,
      };
      const want = desiredReport(loc, base, reportLabels(eventSource, cluster), stored);
      want.spec = { ...base, cloudEvents: [...(stored?.spec?.cloudEvents ?? []), encoded] };
      try {
        if (stored) await client.update(want, opts);
        else await createWithNamespace(client, want, signal);
        return;
      } catch (err) {
        const again = isConflict(err) || isAlreadyExists(err);
        if (!again || attempt >= 10) throw err;
      }
    }
  }
}

/**
 * For the NATS watcher (`src/agent/nats/`): appends a CloudEvent to the EventReport of
 * `eventSourceName` in `target` (same placement and naming as the evaluator's reports).
 */
export function appendCloudEvent(
  target: ReportTarget,
  eventSourceName: string,
  ce: object,
  signal?: AbortSignal,
): Promise<void> {
  return new ReportWriter(target).appendCloudEvent(eventSourceName, ce, signal);
}
