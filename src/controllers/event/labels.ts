/** Labels and names of the objects the EventTrigger controller generates (API.md §7.5, §13). */
import { createHash } from 'node:crypto';

const P = 'eventtrigger.lib.projectsveltos.io/';

export const EventLabels = {
  eventTriggerName: `${P}eventtriggername`,
  /** Camel-case upstream (sic). */
  clusterNamespace: `${P}clusterNamespace`,
  clusterName: `${P}clustername`,
  clusterType: `${P}clustertype`,
  /** Legacy: holds the EventSource name. */
  eventReportName: `${P}eventreportname`,
  eventSourceName: `${P}eventsourcename`,
  resourceName: `${P}resourcename`,
  resourceNamespace: `${P}resourcenamespace`,
  ceSource: `${P}cesource`,
  ceSubject: `${P}cesubject`,
  refNamespace: `${P}refnamespace`,
  refName: `${P}refname`,
  fromGenerator: `${P}fromgenerator`,
} as const;

/**
 * flotilla's empty-report safeguard: when the report of a generated profile was first seen empty
 * or missing (RFC 3339). Kept on the generated ClusterProfile, i.e. in the API server.
 */
export const EMPTY_SINCE_ANNOTATION = `${P}empty-since`;

export const SVELTOS_NS = 'projectsveltos';
export const FIELD_MANAGER = 'flotilla-event-manager';

/** Label values allow `[A-Za-z0-9._-]`, 63 chars, alphanumeric at both ends. */
export function labelValue(v: string): string {
  let s = v.replaceAll('/', '-').replace(/[^A-Za-z0-9._-]/g, '-');
  if (s.length > 63) s = s.slice(0, 63);
  s = s.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  return s;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `sveltos-<20 lowercase alphanumerics>`, Sveltos' format for generated names, derived from the
 * identity of what is named (trigger, cluster, EventSource, event, reference) instead of drawn at
 * random as upstream does: two passes over a cache that has not yet seen the first pass's write
 * (or two replicas) name the same thing alike, so a stale read can never create a duplicate
 * profile (which would deploy the same resources twice and, when cleaned up, withdraw them).
 */
export function stableName(identity: readonly string[]): string {
  const digest = createHash('sha256').update(JSON.stringify(identity)).digest();
  let s = 'sveltos-';
  for (let i = 0; i < 20; i++) s += ALNUM[(digest[i] as number) % ALNUM.length];
  return s;
}

/** The source cluster of a report, as the labels see it. */
export interface SourceCluster {
  namespace: string;
  name: string;
  type: 'Sveltos' | 'Capi';
}

/** Labels shared by every object generated for (EventTrigger, cluster, EventSource). */
export function baseLabels(
  trigger: string,
  cluster: SourceCluster,
  eventSource: string,
): Record<string, string> {
  return {
    [EventLabels.eventTriggerName]: labelValue(trigger),
    [EventLabels.clusterNamespace]: labelValue(cluster.namespace),
    [EventLabels.clusterName]: labelValue(cluster.name),
    [EventLabels.clusterType]: cluster.type,
    [EventLabels.eventReportName]: labelValue(eventSource),
    [EventLabels.eventSourceName]: labelValue(eventSource),
  };
}

/**
 * Values of the `…/clustertype` label that stand for a cluster type: upstream writes the type as
 * is (`Sveltos`, seed 002); flotilla before this fix wrote it lower-case, still found (and
 * relabelled by the next apply).
 */
export function clusterTypeLabelValues(type: SourceCluster['type']): string[] {
  return [type, type.toLowerCase()];
}

/** Management-cluster EventReport name: `<capi|sveltos>--<eventSource>--<cluster>`. */
export function managementReportName(eventSource: string, cluster: SourceCluster): string {
  return `${cluster.type.toLowerCase()}--${eventSource}--${cluster.name}`;
}

/** The (EventSource, cluster) a management-cluster report name stands for, if it parses. */
export function parseReportName(
  namespace: string,
  name: string,
): { eventSource: string; cluster: SourceCluster } | undefined {
  const m = /^(capi|sveltos)--(.+)--([^-](?:.*[^-])?)$/.exec(name);
  if (!m) return undefined;
  // The cluster name is the part after the last `--` (EventSource names may contain `--`).
  const rest = name.slice(m[1].length + 2);
  const i = rest.lastIndexOf('--');
  if (i <= 0) return undefined;
  return {
    eventSource: rest.slice(0, i),
    cluster: { namespace, name: rest.slice(i + 2), type: m[1] === 'capi' ? 'Capi' : 'Sveltos' },
  };
}
