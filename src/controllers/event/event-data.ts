/**
 * What one EventReport says, decoded (matching refs, collected resources, CloudEvents), split into
 * event instances (one per generated ClusterProfile) and turned into template data (API.md §5.3).
 */
import type { EventReport, ObjectReference } from '../../api/index.js';
import { goStruct } from '../../engine/template/index.js';
import { labelValue } from './labels.js';

export type Obj = Record<string, unknown>;

export interface DecodedReport {
  matching: ObjectReference[];
  /** Collected objects, keyed `namespace/name` (plus kind) of their ref. */
  resources: Map<string, Obj>;
  cloudEvents: Obj[];
}

function b64decode(s: string): string {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

function refId(r: { kind?: string; namespace?: string; name?: string }): string {
  return `${r.kind ?? ''}:${r.namespace ?? ''}/${r.name ?? ''}`;
}

/** Parses `spec.resources` (base64 of JSON documents each followed by `---`). */
export function decodeResources(resources: string | undefined): Obj[] {
  if (!resources) return [];
  const text = b64decode(resources);
  const out: Obj[] = [];
  for (const part of text.split(/^---\s*$/m)) {
    const t = part.trim();
    if (t === '') continue;
    out.push(JSON.parse(t) as Obj);
  }
  return out;
}

/** Decodes a report. Malformed content is an error naming the report (fix the agent side). */
export function decodeReport(report: EventReport): DecodedReport {
  const where = `EventReport ${report.metadata?.namespace}/${report.metadata?.name}`;
  const resources = new Map<string, Obj>();
  try {
    for (const o of decodeResources(report.spec?.resources)) {
      const m = (o.metadata ?? {}) as Obj;
      resources.set(
        refId({ kind: o.kind as string, namespace: m.namespace as string, name: m.name as string }),
        o,
      );
    }
  } catch (err) {
    throw new Error(
      `${where}: spec.resources is not base64 JSON documents separated by ---: ${(err as Error).message}`,
    );
  }
  const cloudEvents: Obj[] = [];
  for (const [i, ce] of (report.spec?.cloudEvents ?? []).entries()) {
    try {
      cloudEvents.push(JSON.parse(b64decode(ce)) as Obj);
    } catch (err) {
      throw new Error(
        `${where}: spec.cloudEvents[${i}] is not a base64 JSON CloudEvent: ${(err as Error).message}`,
      );
    }
  }
  return { matching: [...(report.spec?.matchingResources ?? [])], resources, cloudEvents };
}

/** One generated ClusterProfile's worth of event data. */
export type EventInstance =
  | { kind: 'resource'; ref: ObjectReference; resource: Obj | undefined }
  | { kind: 'cloudEvent'; event: Obj }
  | { kind: 'all'; refs: ObjectReference[]; resources: Obj[] };

export function resourceOf(d: DecodedReport, ref: ObjectReference): Obj | undefined {
  return d.resources.get(refId(ref));
}

/** Identity labels of an instance (they tell generated profiles apart within a trigger × cluster). */
export function instanceLabels(inst: EventInstance): Record<string, string> {
  switch (inst.kind) {
    case 'resource': {
      const l: Record<string, string> = {
        'eventtrigger.lib.projectsveltos.io/resourcename': labelValue(inst.ref.name ?? ''),
      };
      if (inst.ref.namespace)
        l['eventtrigger.lib.projectsveltos.io/resourcenamespace'] = labelValue(inst.ref.namespace);
      return l;
    }
    case 'cloudEvent':
      return {
        'eventtrigger.lib.projectsveltos.io/cesource': labelValue(String(inst.event.source ?? '')),
        'eventtrigger.lib.projectsveltos.io/cesubject': labelValue(String(inst.event.subject ?? '')),
      };
    case 'all':
      return {};
  }
}

const IDENTITY_KEYS = [
  'eventtrigger.lib.projectsveltos.io/resourcename',
  'eventtrigger.lib.projectsveltos.io/resourcenamespace',
  'eventtrigger.lib.projectsveltos.io/cesource',
  'eventtrigger.lib.projectsveltos.io/cesubject',
];

/** A string identifying the instance of a generated object from its labels. */
export function identityOfLabels(labels: Readonly<Record<string, string>> | undefined): string {
  return IDENTITY_KEYS.map((k) => labels?.[k] ?? '').join('\u0000');
}

export function isCloudEventIdentity(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels?.['eventtrigger.lib.projectsveltos.io/cesource'] !== undefined;
}

function matchingStruct(r: ObjectReference) {
  return goStruct('v1.ObjectReference', {
    Kind: r.kind ?? '',
    Namespace: r.namespace ?? '',
    Name: r.name ?? '',
    UID: r.uid ?? '',
    APIVersion: r.apiVersion ?? '',
    ResourceVersion: r.resourceVersion ?? '',
    FieldPath: r.fieldPath ?? '',
  });
}

/**
 * Template data of an instance. Go field names for `MatchingResource(s)` (an ObjectReference
 * struct), JSON maps for `Resource(s)`, `Cluster`, `CloudEvent(s)` (API.md §5.3, §14.7).
 */
export function templateData(inst: EventInstance, cluster: Obj): unknown {
  switch (inst.kind) {
    case 'resource':
      return goStruct('controllers.currentObject', {
        MatchingResource: matchingStruct(inst.ref),
        Resource: inst.resource ?? null,
        Cluster: cluster,
        CloudEvent: null,
      });
    case 'cloudEvent':
      return goStruct('controllers.currentObject', {
        MatchingResource: matchingStruct({}),
        Resource: null,
        Cluster: cluster,
        CloudEvent: inst.event,
      });
    case 'all':
      return goStruct('controllers.currentObjects', {
        MatchingResources: inst.refs.map(matchingStruct),
        Resources: inst.resources,
        Cluster: cluster,
        CloudEvents: [],
      });
  }
}

/** Data for templates that only see the cluster (eventSourceName, generator names). */
export function clusterOnlyData(cluster: Obj): unknown {
  return goStruct('controllers.clusterObject', { Cluster: cluster });
}
